#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ordergate::gateway::store {

/// Builds a vector of strings without a braced list: g++ 12 rejects std::initializer_list
/// temporaries inside coroutines ("array used as initializer"), so store coroutines build
/// Redis commands with this instead.
template <class... Args>
[[nodiscard]] std::vector<std::string> strings(Args&&... args) {
  std::vector<std::string> out;
  out.reserve(sizeof...(Args));
  (out.emplace_back(std::forward<Args>(args)), ...);
  return out;
}

}  // namespace ordergate::gateway::store
