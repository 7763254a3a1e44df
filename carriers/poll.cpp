#include "carriers/poll.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "adapters/common/crypto.hpp"
#include "canonical/json.hpp"

namespace ordergate::carriers {

namespace {

using std::chrono::milliseconds;

constexpr std::string_view kPlaceholder = "tracking_number";

Result<AuthConfig> parseAuth(const adapters::Settings& s) {
  AuthConfig a;
  auto kind = s.optional("kind", "none");
  if (!kind) {
    return tl::unexpected(kind.error());
  }
  auto text = [&](std::string_view key, std::string& out, bool required) -> Result<void> {
    auto v = required ? s.required(key) : s.optional(key, out);
    if (!v) {
      return tl::unexpected(v.error());
    }
    out = *v;
    return {};
  };
  Result<void> ok;
  if (*kind == "none") {
    ok = s.allowOnly({"kind"});
  } else if (*kind == "api_key") {
    a.kind = AuthKind::kApiKey;
    ok = s.allowOnly({"kind", "header", "prefix", "key"});
    ok = ok ? text("key", a.key, true) : ok;
    ok = ok ? text("header", a.header, false) : ok;
    ok = ok ? text("prefix", a.prefix, false) : ok;
  } else if (*kind == "basic") {
    a.kind = AuthKind::kBasic;
    ok = s.allowOnly({"kind", "username", "password"});
    ok = ok ? text("username", a.username, true) : ok;
    ok = ok ? text("password", a.password, false) : ok;
  } else if (*kind == "oauth_client_credentials") {
    a.kind = AuthKind::kOAuthClientCredentials;
    ok = s.allowOnly({"kind", "token_url", "client_id", "client_secret", "scope", "client_auth"});
    ok = ok ? text("token_url", a.token_url, true) : ok;
    ok = ok ? text("client_id", a.client_id, true) : ok;
    ok = ok ? text("client_secret", a.client_secret, true) : ok;
    ok = ok ? text("scope", a.scope, false) : ok;
    std::string client_auth = "body";
    ok = ok ? text("client_auth", client_auth, false) : ok;
    if (ok && client_auth != "body" && client_auth != "basic") {
      return fail(ErrorCode::kConfig, "must be body or basic", s.keyPath("client_auth"));
    }
    a.client_auth_basic = client_auth == "basic";
  } else {
    return fail(ErrorCode::kConfig, "must be none, api_key, basic or oauth_client_credentials",
                s.keyPath("kind"));
  }
  if (!ok) {
    return tl::unexpected(ok.error());
  }
  return a;
}

Result<void> checkTemplate(const adapters::Settings& s, std::string_view key, std::string_view tmpl) {
  auto unknown = unknownPlaceholders(tmpl);
  if (!unknown.empty()) {
    return fail(ErrorCode::kConfig,
                "unknown placeholder {" + unknown.front() + "} (only {tracking_number})",
                s.keyPath(key));
  }
  return {};
}

void appendEscaped(std::string& out, std::string_view value, Escape escape) {
  switch (escape) {
    case Escape::kNone: out += value; return;
    case Escape::kUrl:
    case Escape::kForm: out += urlEncode(value); return;
    case Escape::kJson: {
      std::string quoted;
      canonical::appendJsonString(quoted, value);
      out += std::string_view(quoted).substr(1, quoted.size() - 2);
      return;
    }
    case Escape::kXml:
      for (char c : value) {
        switch (c) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&apos;"; break;
          default: out += c;
        }
      }
      return;
  }
}

Escape bodyEscape(std::string_view content_type) {
  if (content_type.find("json") != std::string_view::npos) {
    return Escape::kJson;
  }
  if (content_type.find("xml") != std::string_view::npos) {
    return Escape::kXml;
  }
  if (content_type.find("x-www-form-urlencoded") != std::string_view::npos) {
    return Escape::kForm;
  }
  return Escape::kNone;
}

void formField(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) {
    out += '&';
  }
  out += urlEncode(name);
  out += '=';
  out += urlEncode(value);
}

}  // namespace

std::optional<milliseconds> parseInterval(std::string_view text) {
  long long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n < 0) {
    return std::nullopt;
  }
  std::string_view unit(p, static_cast<std::size_t>(text.data() + text.size() - p));
  long long factor = 0;
  if (unit == "ms") {
    factor = 1;
  } else if (unit.empty() || unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else if (unit == "d") {
    factor = 86'400'000;
  } else {
    return std::nullopt;
  }
  return milliseconds(n * factor);
}

Result<PollConfig> parsePollConfig(const adapters::Settings& s) {
  PollConfig c;
  if (auto ok = s.allowOnly({"url", "method", "body", "content_type", "headers", "auth", "interval",
                             "max_requests_per_second", "timeout", "poll_mapping"});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto url = s.required("url");
  if (!url) {
    return tl::unexpected(url.error());
  }
  c.url = *url;
  if (c.url.rfind("http://", 0) != 0 && c.url.rfind("https://", 0) != 0) {
    return fail(ErrorCode::kConfig, "must be an http:// or https:// URL", s.keyPath("url"));
  }
  auto method = s.optional("method", "GET");
  auto body = s.optional("body");
  auto content_type = s.optional("content_type", c.content_type);
  auto poll_mapping = s.optional("poll_mapping");
  for (auto* r : {&method, &body, &content_type, &poll_mapping}) {
    if (!*r) {
      return tl::unexpected(r->error());
    }
  }
  c.method = *method;
  if (c.method != "GET" && c.method != "POST") {
    return fail(ErrorCode::kConfig, "must be GET or POST", s.keyPath("method"));
  }
  c.body = *body;
  c.content_type = *content_type;
  c.poll_mapping = *poll_mapping;
  if (auto ok = checkTemplate(s, "url", c.url); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = checkTemplate(s, "body", c.body); !ok) {
    return tl::unexpected(ok.error());
  }
  auto headers = s.child("headers");
  if (!headers) {
    return tl::unexpected(headers.error());
  }
  for (const auto& [name, node] : headers->root().map) {
    if (node.kind != adapters::SettingNode::Kind::kScalar) {
      return fail(ErrorCode::kConfig, "must be a single value", headers->keyPath(name));
    }
    c.headers.emplace_back(name, node.scalar);
  }
  auto auth = s.child("auth");
  if (!auth) {
    return tl::unexpected(auth.error());
  }
  auto a = parseAuth(*auth);
  if (!a) {
    return tl::unexpected(a.error());
  }
  c.auth = std::move(*a);
  for (auto [key, target] : {std::pair{"interval", &c.interval}, std::pair{"timeout", &c.timeout}}) {
    auto text = s.optional(key);
    if (!text) {
      return tl::unexpected(text.error());
    }
    if (text->empty()) {
      continue;
    }
    auto d = parseInterval(*text);
    if (!d || d->count() <= 0) {
      return fail(ErrorCode::kConfig, "must be a duration like 500ms, 30s, 15m, 2h",
                  s.keyPath(key));
    }
    *target = *d;
  }
  auto rps = s.optional("max_requests_per_second", "5");
  if (!rps) {
    return tl::unexpected(rps.error());
  }
  double v = 0;
  auto [p, ec] = std::from_chars(rps->data(), rps->data() + rps->size(), v);
  if (ec != std::errc() || p != rps->data() + rps->size() || !(v > 0) || v > 10000) {
    return fail(ErrorCode::kConfig, "must be a number > 0", s.keyPath("max_requests_per_second"));
  }
  c.max_requests_per_second = v;
  return c;
}

std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string expandTemplate(std::string_view tmpl, std::string_view tracking_number, Escape escape) {
  std::string out;
  out.reserve(tmpl.size() + tracking_number.size());
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl.compare(i, 2, "{{") == 0) {
      out += '{';
      ++i;
      continue;
    }
    if (tmpl[i] == '{' && tmpl.compare(i + 1, kPlaceholder.size() + 1, "tracking_number}") == 0) {
      appendEscaped(out, tracking_number, escape);
      i += kPlaceholder.size() + 1;
      continue;
    }
    out += tmpl[i];
  }
  return out;
}

std::vector<std::string> unknownPlaceholders(std::string_view tmpl) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl.compare(i, 2, "{{") == 0) {
      ++i;
      continue;
    }
    if (tmpl[i] != '{') {
      continue;
    }
    const std::size_t end = tmpl.find('}', i);
    if (end == std::string_view::npos) {
      break;
    }
    std::string_view name = tmpl.substr(i + 1, end - i - 1);
    // JSON bodies contain braces: only identifier-like names are placeholders.
    const bool ident = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (ident && name != kPlaceholder) {
      out.emplace_back(name);
    }
    if (ident) {
      i = end;
    }
  }
  return out;
}

Headers authHeaders(const AuthConfig& auth, std::string_view access_token) {
  Headers h;
  switch (auth.kind) {
    case AuthKind::kNone: break;
    case AuthKind::kApiKey: h.emplace_back(auth.header, auth.prefix + auth.key); break;
    case AuthKind::kBasic:
      h.emplace_back("Authorization",
                     "Basic " + adapters::base64Encode(auth.username + ":" + auth.password));
      break;
    case AuthKind::kOAuthClientCredentials:
      h.emplace_back("Authorization", "Bearer " + std::string(access_token));
      break;
  }
  return h;
}

ApiRequest buildPollRequest(const PollConfig& cfg, std::string_view tracking_number,
                            std::string_view access_token) {
  ApiRequest r;
  r.method = cfg.method;
  r.url = expandTemplate(cfg.url, tracking_number, Escape::kUrl);
  r.headers = authHeaders(cfg.auth, access_token);
  r.headers.insert(r.headers.end(), cfg.headers.begin(), cfg.headers.end());
  if (cfg.method == "POST") {
    r.body = expandTemplate(cfg.body, tracking_number, bodyEscape(cfg.content_type));
    r.headers.emplace_back("Content-Type", cfg.content_type);
  }
  return r;
}

ApiRequest buildTokenRequest(const AuthConfig& auth) {
  ApiRequest r;
  r.method = "POST";
  r.url = auth.token_url;
  formField(r.body, "grant_type", "client_credentials");
  if (auth.client_auth_basic) {
    r.headers.emplace_back("Authorization", "Basic " + adapters::base64Encode(
                                                           urlEncode(auth.client_id) + ":" +
                                                           urlEncode(auth.client_secret)));
  } else {
    formField(r.body, "client_id", auth.client_id);
    formField(r.body, "client_secret", auth.client_secret);
  }
  if (!auth.scope.empty()) {
    formField(r.body, "scope", auth.scope);
  }
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

Result<Token> parseTokenResponse(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return fail(ErrorCode::kInvalidInput, "token response is not a JSON object", "access_token");
  }
  Token t;
  std::string_view token;
  if (doc["access_token"].get(token) != simdjson::SUCCESS || token.empty()) {
    return fail(ErrorCode::kInvalidInput, "token response has no access_token", "access_token");
  }
  t.access_token = std::string(token);
  simdjson::dom::element exp;
  if (doc["expires_in"].get(exp) == simdjson::SUCCESS) {
    std::int64_t seconds = -1;
    std::string_view text;
    double d = 0;
    if (exp.get_int64().get(seconds) == simdjson::SUCCESS) {
    } else if (exp.get_double().get(d) == simdjson::SUCCESS) {
      seconds = static_cast<std::int64_t>(d);
    } else if (exp.get(text) == simdjson::SUCCESS) {
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      if (ec != std::errc() || p != text.data() + text.size()) {
        seconds = -1;
      }
    }
    if (seconds < 0) {
      return fail(ErrorCode::kInvalidInput, "expires_in is not a number of seconds", "expires_in");
    }
    t.expires_in = std::chrono::seconds(seconds);
  }
  return t;
}

void TokenCache::store(const Token& token, Clock::time_point now) {
  token_ = token.access_token;
  const auto life = std::chrono::duration_cast<milliseconds>(token.expires_in);
  const auto margin = std::min<milliseconds>(life / 10, milliseconds(60'000));
  refresh_at_ = now + (life - margin);
}

std::optional<std::string> TokenCache::get(Clock::time_point now) const {
  if (token_.empty() || now >= refresh_at_) {
    return std::nullopt;
  }
  return token_;
}

RateLimiter::RateLimiter(double max_requests_per_second)
    : spacing_ms_(static_cast<std::int64_t>(std::ceil(1000.0 / std::max(max_requests_per_second, 0.001)))) {}

std::int64_t RateLimiter::reserve(std::int64_t now_ms) {
  const std::int64_t at = std::max(now_ms, next_ms_);
  next_ms_ = at + spacing_ms_;
  return at;
}

std::int64_t nextPollMs(const PollConfig& cfg, std::int64_t now_ms) {
  return now_ms + cfg.interval.count();
}

}  // namespace ordergate::carriers
