#include <cctype>
#include <charconv>
#include <cstdlib>

#include "gateway/config/config.hpp"

namespace ordergate::gateway::config {

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) {
      return std::nullopt;
    }
    return std::string(v);
  };
}

Result<std::string> interpolateEnv(std::string_view text, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return fail(ErrorCode::kConfig, "unterminated ${ in \"" + std::string(text) + "\"");
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      std::string_view name = inner;
      std::optional<std::string_view> fallback;
      if (auto dash = inner.find(":-"); dash != std::string_view::npos) {
        name = inner.substr(0, dash);
        fallback = inner.substr(dash + 2);
      }
      if (name.empty()) {
        return fail(ErrorCode::kConfig, "empty variable name in \"" + std::string(text) + "\"");
      }
      auto value = env(std::string(name));
      if (value) {
        out += *value;
      } else if (fallback) {
        out += *fallback;
      } else {
        return fail(ErrorCode::kConfig,
                    "environment variable " + std::string(name) + " is not set");
      }
      i = close + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

Result<milliseconds> parseDuration(std::string_view text) {
  std::int64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) {
    return fail(ErrorCode::kConfig, "not a duration: \"" + std::string(text) +
                                        "\" (use e.g. 250ms, 10s, 5m, 2h, 7d)");
  }
  std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  std::int64_t factor = 0;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else if (unit == "d") {
    factor = 86'400'000;
  } else {
    return fail(ErrorCode::kConfig, "unknown duration unit in \"" + std::string(text) +
                                        "\" (use ms, s, m, h or d)");
  }
  return milliseconds(number * factor);
}

Result<std::size_t> parseSize(std::string_view text) {
  std::uint64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc()) {
    return fail(ErrorCode::kConfig,
                "not a size: \"" + std::string(text) + "\" (use e.g. 512KiB, 2MiB, 1GiB)");
  }
  std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  std::uint64_t factor = 0;
  if (unit.empty() || unit == "B") {
    factor = 1;
  } else if (unit == "KiB") {
    factor = 1024;
  } else if (unit == "MiB") {
    factor = 1024 * 1024;
  } else if (unit == "GiB") {
    factor = 1024ULL * 1024 * 1024;
  } else if (unit == "KB" || unit == "kB") {
    factor = 1000;
  } else if (unit == "MB") {
    factor = 1000 * 1000;
  } else if (unit == "GB") {
    factor = 1000ULL * 1000 * 1000;
  } else {
    return fail(ErrorCode::kConfig, "unknown size unit in \"" + std::string(text) + "\"");
  }
  return static_cast<std::size_t>(number * factor);
}

}  // namespace ordergate::gateway::config
