// parseRedisUrl, the reply helpers and Script: the parts of redis_client.hpp that do not touch
// the connection.
#include <openssl/evp.h>

#include <array>
#include <charconv>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::store {
namespace {

tl::unexpected<Error> urlError(std::string message) {
  return fail(ErrorCode::kConfig, "redis url: " + std::move(message), "redis.url");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

Result<std::string> percentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return urlError(std::string(what) + " has a truncated %-escape");
    }
    const int hi = hexValue(text[i + 1]);
    const int lo = hexValue(text[i + 2]);
    if (hi < 0 || lo < 0) {
      return urlError(std::string(what) + " has an invalid %-escape");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool parseInt(std::string_view text, int& out) {
  if (text.empty()) {
    return false;
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "[user]:password@" in front of `text` (removed from it) into the endpoint.
Result<void> takeCredentials(std::string_view& text, RedisEndpoint& endpoint) {
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos) {
    return {};
  }
  const std::string_view userinfo = text.substr(0, at);
  text = text.substr(at + 1);
  const std::size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    return urlError("credentials must be written [user]:password@");
  }
  auto user = percentDecode(userinfo.substr(0, colon), "user name");
  if (!user) {
    return tl::unexpected(user.error());
  }
  auto pass = percentDecode(userinfo.substr(colon + 1), "password");
  if (!pass) {
    return tl::unexpected(pass.error());
  }
  if (pass->empty()) {
    return urlError("password after ':' is empty");
  }
  endpoint.username = std::move(*user);
  endpoint.password = std::move(*pass);
  return {};
}

// The database number of either URL form into the endpoint.
Result<void> takeDb(std::string_view text, RedisEndpoint& endpoint) {
  int db = 0;
  if (!parseInt(text, db) || db < 0) {
    return urlError("database must be a non-negative number, got '" + std::string(text) + "'");
  }
  endpoint.db = db;
  return {};
}

// unix://[[user]:password@]/absolute/path.sock[?db=N]: the form redis-py and Lettuce read.
Result<RedisEndpoint> parseUnixUrl(std::string_view rest) {
  RedisEndpoint endpoint;
  std::string_view query;
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (rest.find('#') != std::string_view::npos) {
    return urlError("fragments are not supported");
  }
  const std::size_t first_slash = rest.find('/');
  std::string_view userinfo_and_at = rest.substr(0, first_slash);
  if (!userinfo_and_at.empty()) {
    if (userinfo_and_at.back() != '@') {
      return urlError("unix socket path must be absolute: unix:///path/to/redis.sock");
    }
    if (auto ok = takeCredentials(userinfo_and_at, endpoint); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (first_slash == std::string_view::npos || first_slash + 1 >= rest.size()) {
    return urlError("unix socket path is empty");
  }
  auto path = percentDecode(rest.substr(first_slash), "socket path");
  if (!path) {
    return tl::unexpected(path.error());
  }
  endpoint.socket_path = std::move(*path);
  endpoint.host.clear();
  endpoint.port = 0;
  if (!query.empty()) {
    if (!startsWith(query, "db=") || query.find('&') != std::string_view::npos) {
      return urlError("the only query parameter is db=N, got '" + std::string(query) + "'");
    }
    if (auto ok = takeDb(query.substr(3), endpoint); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return endpoint;
}

}  // namespace

Result<RedisEndpoint> parseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (startsWith(url, "rediss://")) {
    return urlError("TLS (rediss://) is not supported");
  }
  if (startsWith(url, "unix://")) {
    return parseUnixUrl(url.substr(7));
  }
  if (!startsWith(url, kScheme)) {
    return urlError("must start with redis:// or unix://");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return urlError("query parameters and fragments are not supported");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path =
      slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);

  RedisEndpoint endpoint;
  if (auto ok = takeCredentials(authority, endpoint); !ok) {
    return tl::unexpected(ok.error());
  }

  std::string_view port_text;
  if (startsWith(authority, "[")) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return urlError("IPv6 host is missing ']'");
    }
    endpoint.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return urlError("unexpected text after IPv6 host");
      }
      port_text = after.substr(1);
      if (port_text.empty()) {
        return urlError("port after ':' is empty");
      }
    }
  } else {
    const std::size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) {
        return urlError("port after ':' is empty");
      }
    }
  }
  if (endpoint.host.empty()) {
    return urlError("host is empty");
  }
  if (!port_text.empty()) {
    int port = 0;
    if (!parseInt(port_text, port) || port < 1 || port > 65535) {
      return urlError("port must be a number in 1..65535, got '" + std::string(port_text) + "'");
    }
    endpoint.port = port;
  }
  if (!path.empty()) {
    if (auto ok = takeDb(path, endpoint); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return endpoint;
}

Result<RedisReply> asResult(RedisReply reply) {
  if (!reply.isError()) {
    return reply;
  }
  // Transient server states: the same command succeeds later, so the caller answers 503 and
  // the channel retries (rather than treating it as our bug).
  static constexpr std::array<std::string_view, 7> kTransient = {
      "LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "OOM"};
  for (const std::string_view prefix : kTransient) {
    if (startsWith(reply.str, prefix) &&
        (reply.str.size() == prefix.size() || reply.str[prefix.size()] == ' ')) {
      return fail(ErrorCode::kUnavailable, "redis: " + reply.str);
    }
  }
  return fail(ErrorCode::kInternal, "redis: " + reply.str);
}

Result<RedisReply> asResult(Result<RedisReply> reply) {
  if (!reply) {
    return reply;
  }
  return asResult(std::move(*reply));
}

Script::Script(std::string lua) : lua_(std::move(lua)) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(lua_.data(), lua_.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  sha1_.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    sha1_.push_back(kHex[digest[i] >> 4]);
    sha1_.push_back(kHex[digest[i] & 0xf]);
  }
}

boost::asio::awaitable<Result<RedisReply>> Script::exec(RedisClient& client,
                                                        std::vector<std::string> keys,
                                                        std::vector<std::string> args) const {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.emplace_back("EVALSHA");
  command.push_back(sha1_);
  command.push_back(std::to_string(keys.size()));
  for (auto& key : keys) {
    command.push_back(std::move(key));
  }
  for (auto& arg : args) {
    command.push_back(std::move(arg));
  }
  auto reply = co_await client.exec(command);
  // A restarted or fresh server has an empty script cache. EVAL runs the script and caches it,
  // so the next EVALSHA (from any connection) finds it.
  if (reply && reply->isError() && startsWith(reply->str, "NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = lua_;
    reply = co_await client.exec(std::move(command));
  }
  co_return reply;
}

}  // namespace ordergate::gateway::store
