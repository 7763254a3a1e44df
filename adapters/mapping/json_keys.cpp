#include "adapters/mapping/json_keys.hpp"

namespace ordergate::adapters::mapping {

JsonKeyTable::JsonKeyTable(std::span<const std::string> keys) : count_(keys.size()) {
  if (keys.empty()) {
    return;
  }
  // At most half full, so a probe for a payload key the plan never reads ends quickly.
  std::size_t capacity = 16;
  while (capacity < 2 * keys.size()) {
    capacity *= 2;
  }
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  for (std::uint32_t id = 0; id < keys.size(); ++id) {
    const std::uint32_t h = hash(keys[id]);
    std::size_t i = h & mask_;
    while (slots_[i].id != kNone) {
      i = (i + 1) & mask_;
    }
    slots_[i] = Slot{h, id, static_cast<std::uint32_t>(blob_.size()),
                     static_cast<std::uint32_t>(keys[id].size())};
    offsets_.push_back(static_cast<std::uint32_t>(blob_.size()));
    blob_ += keys[id];
  }
  offsets_.push_back(static_cast<std::uint32_t>(blob_.size()));
}

}  // namespace ordergate::adapters::mapping
