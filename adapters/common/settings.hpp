#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/error.hpp"

namespace ordergate::adapters {

/// A channel's or carrier's configuration block as a small tree of strings, after `${ENV}`
/// interpolation. The gateway builds it from YAML; adapters read and validate it in their
/// factory, so adapters never depend on the YAML library.
struct SettingNode {
  enum class Kind { kScalar, kList, kMap };
  Kind kind = Kind::kScalar;
  std::string scalar;
  std::vector<SettingNode> list;
  std::map<std::string, SettingNode, std::less<>> map;
  int line = 0;  ///< 1-based line in the source file (0 when unknown), for error messages
};

/// Read access to one block, with errors naming the full key path ("channels.shop1.secret").
class Settings {
 public:
  Settings(std::string path, SettingNode root) : path_(std::move(path)), root_(std::move(root)) {}

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const SettingNode& root() const { return root_; }
  [[nodiscard]] bool has(std::string_view key) const;

  /// The scalar at `key`; kConfig error "<path>.<key>: required" when absent or not a scalar.
  [[nodiscard]] Result<std::string> required(std::string_view key) const;
  /// The scalar at `key`, or `fallback` when absent; kConfig error when not a scalar.
  [[nodiscard]] Result<std::string> optional(std::string_view key, std::string fallback = {}) const;
  /// A scalar or a list of scalars at `key` as a list (empty when absent).
  [[nodiscard]] Result<std::vector<std::string>> list(std::string_view key) const;
  [[nodiscard]] Result<bool> flag(std::string_view key, bool fallback) const;
  [[nodiscard]] Result<long long> integer(std::string_view key, long long fallback) const;
  /// A nested block at `key` (kMap); an empty block when absent.
  [[nodiscard]] Result<Settings> child(std::string_view key) const;

  /// kConfig error naming the first key not in `allowed` ("<path>.<key>: unknown key").
  [[nodiscard]] Result<void> allowOnly(std::initializer_list<std::string_view> allowed) const;

  /// Full path of a key, for error messages.
  [[nodiscard]] std::string keyPath(std::string_view key) const;

 private:
  const SettingNode* find(std::string_view key) const;
  std::string path_;
  SettingNode root_;
};

}  // namespace ordergate::adapters
