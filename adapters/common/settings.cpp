#include "adapters/common/settings.hpp"

#include <charconv>

namespace ordergate::adapters {

std::string Settings::keyPath(std::string_view key) const {
  std::string p = path_;
  if (!p.empty()) {
    p += '.';
  }
  p += key;
  return p;
}

const SettingNode* Settings::find(std::string_view key) const {
  if (root_.kind != SettingNode::Kind::kMap) {
    return nullptr;
  }
  auto it = root_.map.find(key);
  return it == root_.map.end() ? nullptr : &it->second;
}

bool Settings::has(std::string_view key) const { return find(key) != nullptr; }

Result<std::string> Settings::required(std::string_view key) const {
  const SettingNode* n = find(key);
  if (n == nullptr) {
    return fail(ErrorCode::kConfig, "required", keyPath(key));
  }
  if (n->kind != SettingNode::Kind::kScalar) {
    return fail(ErrorCode::kConfig, "must be a single value", keyPath(key));
  }
  if (n->scalar.empty()) {
    return fail(ErrorCode::kConfig, "must not be empty", keyPath(key));
  }
  return n->scalar;
}

Result<std::string> Settings::optional(std::string_view key, std::string fallback) const {
  const SettingNode* n = find(key);
  if (n == nullptr) {
    return fallback;
  }
  if (n->kind != SettingNode::Kind::kScalar) {
    return fail(ErrorCode::kConfig, "must be a single value", keyPath(key));
  }
  return n->scalar;
}

Result<std::vector<std::string>> Settings::list(std::string_view key) const {
  const SettingNode* n = find(key);
  std::vector<std::string> out;
  if (n == nullptr) {
    return out;
  }
  if (n->kind == SettingNode::Kind::kScalar) {
    out.push_back(n->scalar);
    return out;
  }
  if (n->kind == SettingNode::Kind::kMap) {
    return fail(ErrorCode::kConfig, "must be a value or a list of values", keyPath(key));
  }
  for (const SettingNode& item : n->list) {
    if (item.kind != SettingNode::Kind::kScalar) {
      return fail(ErrorCode::kConfig, "list items must be single values", keyPath(key));
    }
    out.push_back(item.scalar);
  }
  return out;
}

Result<bool> Settings::flag(std::string_view key, bool fallback) const {
  auto v = optional(key);
  if (!v) {
    return tl::unexpected(v.error());
  }
  if (v->empty()) {
    return fallback;
  }
  if (*v == "true" || *v == "yes" || *v == "on") {
    return true;
  }
  if (*v == "false" || *v == "no" || *v == "off") {
    return false;
  }
  return fail(ErrorCode::kConfig, "must be true or false, got \"" + *v + "\"", keyPath(key));
}

Result<long long> Settings::integer(std::string_view key, long long fallback) const {
  auto v = optional(key);
  if (!v) {
    return tl::unexpected(v.error());
  }
  if (v->empty()) {
    return fallback;
  }
  long long out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    return fail(ErrorCode::kConfig, "must be an integer, got \"" + *v + "\"", keyPath(key));
  }
  return out;
}

Result<Settings> Settings::child(std::string_view key) const {
  const SettingNode* n = find(key);
  if (n == nullptr) {
    SettingNode empty;
    empty.kind = SettingNode::Kind::kMap;
    return Settings(keyPath(key), std::move(empty));
  }
  if (n->kind != SettingNode::Kind::kMap) {
    return fail(ErrorCode::kConfig, "must be a mapping", keyPath(key));
  }
  return Settings(keyPath(key), *n);
}

Result<void> Settings::allowOnly(std::initializer_list<std::string_view> allowed) const {
  if (root_.kind != SettingNode::Kind::kMap) {
    return {};
  }
  for (const auto& [key, node] : root_.map) {
    bool ok = false;
    for (std::string_view a : allowed) {
      ok = ok || a == key;
    }
    if (!ok) {
      return fail(ErrorCode::kConfig, "unknown key", keyPath(key));
    }
  }
  return {};
}

}  // namespace ordergate::adapters
