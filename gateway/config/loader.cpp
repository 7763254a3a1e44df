#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "gateway/config/config.hpp"

namespace ordergate::gateway::config {
namespace {

using adapters::SettingNode;

// `${NAME}` inside a YAML flow mapping (`{ secret: ${X} }`, as CONTRACT.md writes it) is not
// valid YAML: `{` and `}` are flow indicators. Each `${…}` is swapped for a plain-scalar-safe
// placeholder before parsing and restored (then interpolated) when a value is read.
struct ProtectedText {
  std::string text;
  std::vector<std::string> originals;  // placeholder i → "${…}"
};

constexpr std::string_view kPlaceholderPrefix = "__ordergate_env_";

ProtectedText protectEnvReferences(const std::string& in) {
  ProtectedText out;
  out.text.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t close = std::string::npos;
    if (in[i] == '$' && i + 1 < in.size() && in[i + 1] == '{') {
      close = in.find('}', i + 2);
      std::size_t newline = in.find('\n', i);
      if (newline < close) close = std::string::npos;
    }
    if (close == std::string::npos) {
      out.text += in[i++];
      continue;
    }
    out.text += kPlaceholderPrefix;
    out.text += std::to_string(out.originals.size());
    out.text += "__";
    out.originals.push_back(in.substr(i, close - i + 1));
    i = close + 1;
  }
  return out;
}

std::string restoreEnvReferences(std::string_view value, const std::vector<std::string>& originals) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value.substr(i, kPlaceholderPrefix.size()) == kPlaceholderPrefix) {
      std::size_t start = i + kPlaceholderPrefix.size();
      std::size_t end = value.find("__", start);
      if (end != std::string_view::npos) {
        std::size_t index = 0;
        bool digits = end > start;
        for (std::size_t k = start; k < end; ++k) {
          digits = digits && value[k] >= '0' && value[k] <= '9';
          index = index * 10 + static_cast<std::size_t>(value[k] - '0');
        }
        if (digits && index < originals.size()) {
          out += originals[index];
          i = end + 2;
          continue;
        }
      }
    }
    out += value[i++];
  }
  return out;
}

// Walks the YAML tree once; every error carries "<file>:<line>" and the full key path.
class Loader {
 public:
  Loader(std::string name, const EnvLookup& env, std::vector<std::string> originals)
      : name_(std::move(name)), env_(env), originals_(std::move(originals)) {}

  Result<Config> load(const YAML::Node& root) {
    Config cfg;
    cfg.source_path = name_;
    if (!root || root.IsNull()) {
      return error(root, "", "the file is empty");
    }
    if (!root.IsMap()) {
      return error(root, "", "must be a mapping of sections (server, redis, oms, …)");
    }
    using Section = std::function<Result<void>(const YAML::Node&, const std::string&)>;
    const std::map<std::string, Section> sections = {
        {"server", [&](auto& n, auto& p) { return server(n, p, cfg.server); }},
        {"redis", [&](auto& n, auto& p) { return redis(n, p, cfg.redis); }},
        {"oms", [&](auto& n, auto& p) { return oms(n, p, cfg.oms); }},
        {"admin", [&](auto& n, auto& p) { return admin(n, p, cfg.admin); }},
        {"log", [&](auto& n, auto& p) { return logSection(n, p, cfg.log); }},
        {"pipeline", [&](auto& n, auto& p) { return pipeline(n, p, cfg.pipeline); }},
        {"retry", [&](auto& n, auto& p) { return retry(n, p, cfg.retry); }},
        {"forwarder", [&](auto& n, auto& p) { return forwarder(n, p, cfg.forwarder); }},
        {"channels", [&](auto& n, auto& p) { return endpoints(n, p, cfg.channels); }},
        {"carriers", [&](auto& n, auto& p) { return endpoints(n, p, cfg.carriers); }},
    };
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      auto it = sections.find(key);
      if (it == sections.end()) {
        return error(kv.first, key, "unknown key");
      }
      if (!kv.second.IsNull()) {
        if (auto r = it->second(kv.second, key); !r) {
          return tl::unexpected(r.error());
        }
      }
    }
    if (cfg.oms.orders_url.empty()) {
      return error(root, "oms.orders_url", "required");
    }
    if (cfg.oms.tracking_url.empty()) {
      cfg.oms.tracking_url = cfg.oms.orders_url;
    }
    return cfg;
  }

 private:
  tl::unexpected<Error> error(const YAML::Node& node, const std::string& path,
                              const std::string& message) const {
    std::string where = name_;
    if (node && node.Mark().line >= 0) {
      where += ":" + std::to_string(node.Mark().line + 1);
    }
    return fail(ErrorCode::kConfig, message, path.empty() ? where : where + ": " + path);
  }

  Result<std::string> scalar(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      return error(n, path, "must be a single value");
    }
    auto v = interpolateEnv(restoreEnvReferences(n.Scalar(), originals_), env_);
    if (!v) {
      return error(n, path, v.error().message);
    }
    return *v;
  }

  // Iterates a section's keys, calling `handle(key, node, path)`; unknown keys are errors.
  template <class Handler>
  Result<void> each(const YAML::Node& n, const std::string& path, Handler&& handle) {
    if (!n.IsMap()) {
      return error(n, path, "must be a mapping");
    }
    for (const auto& kv : n) {
      std::string key = kv.first.as<std::string>();
      std::string child = path + "." + key;
      Result<bool> known = handle(key, kv.second, child);
      if (!known) {
        return tl::unexpected(known.error());
      }
      if (!*known) {
        return error(kv.first, child, "unknown key");
      }
    }
    return {};
  }

  Result<bool> setString(const YAML::Node& n, const std::string& path, std::string& out) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    out = *v;
    return true;
  }

  Result<bool> setDuration(const YAML::Node& n, const std::string& path, milliseconds& out) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    auto d = parseDuration(*v);
    if (!d) return error(n, path, d.error().message);
    out = *d;
    return true;
  }

  Result<bool> setSize(const YAML::Node& n, const std::string& path, std::size_t& out) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    auto d = parseSize(*v);
    if (!d) return error(n, path, d.error().message);
    out = *d;
    return true;
  }

  Result<bool> setInt(const YAML::Node& n, const std::string& path, int& out, int min, int max) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    try {
      std::size_t used = 0;
      long long x = std::stoll(*v, &used);
      if (used != v->size() || x < min || x > max) {
        throw std::out_of_range("range");
      }
      out = static_cast<int>(x);
    } catch (const std::exception&) {
      return error(n, path, "must be an integer from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got \"" + *v + "\"");
    }
    return true;
  }

  Result<bool> setBool(const YAML::Node& n, const std::string& path, bool& out) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    if (*v == "true" || *v == "yes" || *v == "on") {
      out = true;
    } else if (*v == "false" || *v == "no" || *v == "off") {
      out = false;
    } else {
      return error(n, path, "must be true or false, got \"" + *v + "\"");
    }
    return true;
  }

  Result<bool> setUrl(const YAML::Node& n, const std::string& path, std::string& out) {
    auto v = scalar(n, path);
    if (!v) return tl::unexpected(v.error());
    if (v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0) {
      return error(n, path, "must be an http:// or https:// URL, got \"" + *v + "\"");
    }
    out = *v;
    return true;
  }

  Result<void> server(const YAML::Node& n, const std::string& p, ServerConfig& s) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "listen") {
        auto text = scalar(v, path);
        if (!text) return tl::unexpected(text.error());
        auto colon = text->rfind(':');
        if (colon == std::string::npos || colon == 0) {
          return error(v, path, "must be host:port, got \"" + *text + "\"");
        }
        int port = 0;
        try {
          std::size_t used = 0;
          port = std::stoi(text->substr(colon + 1), &used);
          if (used != text->size() - colon - 1) throw std::invalid_argument("port");
        } catch (const std::exception&) {
          port = -1;
        }
        if (port < 0 || port > 65535) {
          return error(v, path, "port must be 0..65535 in \"" + *text + "\"");
        }
        s.host = text->substr(0, colon);
        if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']') {
          s.host = s.host.substr(1, s.host.size() - 2);
        }
        s.port = static_cast<std::uint16_t>(port);
        return true;
      }
      if (k == "io_threads") return setInt(v, path, s.io_threads, 1, 64);
      if (k == "max_webhook_body") return setSize(v, path, s.max_webhook_body);
      if (k == "max_file_body") return setSize(v, path, s.max_file_body);
      if (k == "max_admin_body") return setSize(v, path, s.max_admin_body);
      if (k == "max_header_bytes") return setSize(v, path, s.max_header_bytes);
      if (k == "read_timeout") return setDuration(v, path, s.read_timeout);
      if (k == "idle_timeout") return setDuration(v, path, s.idle_timeout);
      if (k == "shutdown_timeout") return setDuration(v, path, s.shutdown_timeout);
      return false;
    });
  }

  Result<void> redis(const YAML::Node& n, const std::string& p, RedisConfig& r) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "url") {
        auto res = setString(v, path, r.url);
        if (res && r.url.rfind("redis://", 0) != 0 && r.url.rfind("unix://", 0) != 0) {
          return error(v, path, "must be a redis:// or unix:// URL, got \"" + r.url + "\"");
        }
        return res;
      }
      if (k == "connect_timeout") return setDuration(v, path, r.connect_timeout);
      if (k == "command_timeout") return setDuration(v, path, r.command_timeout);
      if (k == "key_prefix") return setString(v, path, r.key_prefix);
      return false;
    });
  }

  Result<void> oms(const YAML::Node& n, const std::string& p, OmsConfig& o) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "orders_url") return setUrl(v, path, o.orders_url);
      if (k == "tracking_url") return setUrl(v, path, o.tracking_url);
      if (k == "signing_secret") return setString(v, path, o.signing_secret);
      if (k == "timeout") return setDuration(v, path, o.timeout);
      if (k == "max_connections") return setInt(v, path, o.max_connections, 1, 1024);
      return false;
    });
  }

  Result<void> admin(const YAML::Node& n, const std::string& p, AdminConfig& a) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "token") return setString(v, path, a.token);
      return false;
    });
  }

  Result<void> logSection(const YAML::Node& n, const std::string& p, LogConfig& l) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "level") {
        auto r = setString(v, path, l.level);
        if (r && l.level != "debug" && l.level != "info" && l.level != "warn" && l.level != "error") {
          return error(v, path, "must be debug, info, warn or error, got \"" + l.level + "\"");
        }
        return r;
      }
      return false;
    });
  }

  Result<void> pipeline(const YAML::Node& n, const std::string& p, PipelineConfig& c) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "outbox_shards") return setInt(v, path, c.outbox_shards, 1, 1024);
      if (k == "recent_deliveries") return setInt(v, path, c.recent_deliveries, 0, 10'000'000);
      if (k == "dedup_ttl") {
        milliseconds ms{};
        auto r = setDuration(v, path, ms);
        if (r && ms.count() < 1000) return error(v, path, "must be at least 1s");
        c.dedup_ttl = std::chrono::duration_cast<std::chrono::seconds>(ms);
        return r;
      }
      return false;
    });
  }

  Result<void> retry(const YAML::Node& n, const std::string& p, RetryConfig& c) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "initial") return setDuration(v, path, c.initial);
      if (k == "cap") return setDuration(v, path, c.cap);
      if (k == "max_age") return setDuration(v, path, c.max_age);
      return false;
    });
  }

  Result<void> forwarder(const YAML::Node& n, const std::string& p, ForwarderConfig& c) {
    return each(n, p, [&](const std::string& k, const YAML::Node& v, const std::string& path) -> Result<bool> {
      if (k == "enabled") return setBool(v, path, c.enabled);
      if (k == "threads") return setInt(v, path, c.threads, 1, 64);
      if (k == "max_in_flight") return setInt(v, path, c.max_in_flight, 1, 100000);
      if (k == "claim_idle") return setDuration(v, path, c.claim_idle);
      if (k == "lease_ttl") return setDuration(v, path, c.lease_ttl);
      if (k == "breaker_failures") return setInt(v, path, c.breaker_failures, 1, 1000);
      if (k == "breaker_open") return setDuration(v, path, c.breaker_open);
      if (k == "breaker_max_open") return setDuration(v, path, c.breaker_max_open);
      return false;
    });
  }

  Result<SettingNode> toSettings(const YAML::Node& n, const std::string& path) {
    SettingNode out;
    if (n.IsScalar()) {
      auto v = scalar(n, path);
      if (!v) return tl::unexpected(v.error());
      out.scalar = *v;
    } else if (n.IsSequence()) {
      out.kind = SettingNode::Kind::kList;
      std::size_t i = 0;
      for (const auto& item : n) {
        auto child = toSettings(item, path + "[" + std::to_string(i++) + "]");
        if (!child) return tl::unexpected(child.error());
        out.list.push_back(std::move(*child));
      }
    } else if (n.IsMap()) {
      out.kind = SettingNode::Kind::kMap;
      for (const auto& kv : n) {
        std::string key = kv.first.as<std::string>();
        auto child = toSettings(kv.second, path + "." + key);
        if (!child) return tl::unexpected(child.error());
        out.map.emplace(key, std::move(*child));
      }
    }
    return out;
  }

  Result<void> endpoints(const YAML::Node& n, const std::string& p, std::vector<EndpointConfig>& out) {
    if (!n.IsMap()) {
      return error(n, p, "must be a mapping of id → settings");
    }
    for (const auto& kv : n) {
      EndpointConfig ep;
      ep.id = kv.first.as<std::string>();
      std::string path = p + "." + ep.id;
      bool id_ok = !ep.id.empty() && ep.id.size() <= 64;
      for (char c : ep.id) {
        id_ok = id_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
      }
      if (!id_ok) {
        return error(kv.first, path, "id must be 1-64 characters of a-z, 0-9, _ and -");
      }
      if (!kv.second.IsMap()) {
        return error(kv.second, path, "must be a mapping with `adapter` or `mapping`");
      }
      auto node = toSettings(kv.second, path);
      if (!node) return tl::unexpected(node.error());
      if (auto it = node->map.find("adapter"); it != node->map.end()) {
        ep.adapter = it->second.scalar;
        node->map.erase(it);
      }
      if (auto it = node->map.find("mapping"); it != node->map.end()) {
        ep.mapping = it->second.scalar;
        node->map.erase(it);
      }
      if (ep.adapter.empty() == ep.mapping.empty()) {
        return error(kv.second, path, "needs exactly one of `adapter` or `mapping`");
      }
      ep.settings = adapters::Settings(path, std::move(*node));
      out.push_back(std::move(ep));
    }
    return {};
  }

  std::string name_;
  const EnvLookup& env_;
  std::vector<std::string> originals_;
};

}  // namespace

Result<Config> parseConfig(const std::string& yaml_text, const std::string& name,
                           const EnvLookup& env) {
  YAML::Node root;
  ProtectedText text = protectEnvReferences(yaml_text);
  try {
    root = YAML::Load(text.text);
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kConfig, "invalid YAML: " + e.msg,
                name + ":" + std::to_string(e.mark.line + 1));
  }
  try {
    return Loader(name, env, std::move(text.originals)).load(root);
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kConfig, e.msg, name + ":" + std::to_string(e.mark.line + 1));
  }
}

Result<Config> loadConfig(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kConfig, "cannot read the file", path);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return parseConfig(buf.str(), path, env);
}

}  // namespace ordergate::gateway::config
