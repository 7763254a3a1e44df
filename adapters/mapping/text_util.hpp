#pragma once

#include <string>
#include <string_view>

namespace ordergate::adapters::mapping {

// Small ASCII helpers shared by the mapping engine's implementation files.

[[nodiscard]] inline char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] inline char upperAscii(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

[[nodiscard]] inline bool iequalAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) {
      return false;
    }
  }
  return true;
}

/// Without surrounding spaces, tabs, CR and LF.
[[nodiscard]] inline std::string_view trimView(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && blank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

/// "\"text\"" for messages.
[[nodiscard]] inline std::string quote(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q.append("\"").append(text).append("\"");
  return q;
}

}  // namespace ordergate::adapters::mapping
