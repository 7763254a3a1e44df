#pragma once

#include <span>
#include <string_view>

namespace ordergate::adapters {

struct Header {
  std::string_view name;
  std::string_view value;
};

/// Case-insensitive, read-only view of a request's headers. Does not own them.
class HeaderView {
 public:
  HeaderView() = default;
  explicit HeaderView(std::span<const Header> headers) : headers_(headers) {}

  /// The first value of `name` (ASCII case-insensitive), or "" when absent.
  [[nodiscard]] std::string_view get(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const;
  [[nodiscard]] std::span<const Header> all() const { return headers_; }

 private:
  std::span<const Header> headers_;
};

/// ASCII case-insensitive equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
/// ASCII case-insensitive "text starts with prefix".
[[nodiscard]] inline bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace ordergate::adapters
