#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/settings.hpp"

// Helpers shared by the mapping compiler's implementation files.

namespace ordergate::adapters::mapping::compile_util {

using Kind = SettingNode::Kind;

inline constexpr std::string_view kSources[] = {
    "path", "literal", "header", "setting", "concat", "first_of", "split", "join", "position"};
inline constexpr std::string_view kModifiers[] = {
    "trim",    "case",     "pad",  "map",     "map_ignore_case", "fallback",
    "default", "required", "when", "replace", "separator",       "index"};
inline constexpr std::string_view kOperators[] = {"equals", "not_equals", "in",    "not_in",
                                                  "prefix", "contains",   "exists"};

template <class List>
inline bool contains(const List& list, std::string_view key) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

template <class List>
inline std::string join(const List& list) {
  std::string out;
  for (std::string_view s : list) {
    out += (out.empty() ? "" : ", ") + std::string(s);
  }
  return out;
}

inline const SettingNode* child(const SettingNode& node, std::string_view key) {
  if (node.kind != Kind::kMap) {
    return nullptr;
  }
  const auto it = node.map.find(key);
  return it == node.map.end() ? nullptr : &it->second;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

inline std::vector<std::string> scalars(const SettingNode& node) {
  std::vector<std::string> out;
  if (node.kind == Kind::kScalar) {
    out.push_back(node.scalar);
  } else if (node.kind == Kind::kList) {
    for (const SettingNode& item : node.list) {
      out.push_back(item.scalar);
    }
  }
  return out;
}

}  // namespace ordergate::adapters::mapping::compile_util
