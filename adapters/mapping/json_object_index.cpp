#include "adapters/mapping/json_object_index.hpp"

#include <algorithm>
#include <cstring>

namespace ordergate::adapters::mapping {
namespace {

namespace dom = simdjson::dom;

std::size_t slotOf(std::uint64_t tape) {
  return static_cast<std::size_t>((tape * 0x9E3779B97F4A7C15ull) >> 32);
}

}  // namespace

static_assert(sizeof(dom::element) == 2 * sizeof(std::uint64_t));

std::uint64_t JsonObjectIndex::tapeIndex(const dom::element& e) {
  std::uint64_t bits[2];
  std::memcpy(bits, &e, sizeof(bits));
  return bits[1];
}

void JsonObjectIndex::reset(const JsonKeyTable& keys) {
  keys_ = &keys;
  key_count_ = keys.size();
  if (++generation_ == 0) {  // wrapped: really clear once every 2^32 documents
    std::fill(objects_.begin(), objects_.end(), Entry{});
    generation_ = 1;
  }
  live_ = 0;
  blocks_ = 0;
  recent_[0] = recent_[1] = Recent{};
}

void JsonObjectIndex::remember(std::uint64_t tape, std::uint32_t block) {
  recent_[1] = recent_[0];
  recent_[0] = Recent{tape, block};
}

JsonObjectIndex::Entry* JsonObjectIndex::findEntry(std::uint64_t tape) {
  if (objects_.empty()) {
    return nullptr;
  }
  const std::size_t mask = objects_.size() - 1;
  for (std::size_t i = slotOf(tape) & mask; objects_[i].generation == generation_;
       i = (i + 1) & mask) {
    if (objects_[i].tape == tape) {
      return &objects_[i];
    }
  }
  return nullptr;
}

bool JsonObjectIndex::slowChild(const dom::element& object, std::uint64_t tape,
                                std::uint32_t key_id, dom::element& out) {
  Entry* entry = findEntry(tape);
  if (entry != nullptr && entry->block != kNotIndexed) {
    remember(tape, entry->block);
    return read(entry->block, key_id, out);
  }
  dom::object o;
  if (object.get(o) != simdjson::SUCCESS) {
    return false;
  }
  if (entry == nullptr && o.size() < kIndexAtOnceFields) {
    insert(tape, kNotIndexed, 1);
  } else if (entry != nullptr && ++entry->lookups < kIndexAfterLookups) {
    // counted; still below the threshold
  } else {
    const std::uint32_t block = indexObject(o);
    if (entry != nullptr) {
      entry->block = block;
    } else {
      insert(tape, block, 0);
    }
    remember(tape, block);
    return read(block, key_id, out);
  }
  return o.at_key(keys_->key(key_id)).get(out) == simdjson::SUCCESS;
}

std::uint32_t JsonObjectIndex::indexObject(const dom::object& object) {
  const std::uint32_t block = blocks_++;
  const std::size_t base = std::size_t{block} * key_count_;
  if (children_.size() < base + key_count_) {
    children_.resize(base + key_count_);
    found_.resize(base + key_count_);
  }
  std::uint8_t* found = found_.data() + base;
  std::memset(found, 0, key_count_);
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::uint32_t id = keys_->find(it.key());
    if (id != JsonKeyTable::kNone && found[id] == 0) {
      found[id] = 1;
      children_[base + id] = it.value();
    }
  }
  return block;
}

void JsonObjectIndex::insert(std::uint64_t tape, std::uint32_t block, std::uint32_t lookups) {
  if (2 * (live_ + 1) > objects_.size()) {
    grow();
  }
  const std::size_t mask = objects_.size() - 1;
  std::size_t i = slotOf(tape) & mask;
  while (objects_[i].generation == generation_) {
    i = (i + 1) & mask;
  }
  objects_[i] = Entry{tape, generation_, block, lookups};
  ++live_;
}

void JsonObjectIndex::grow() {
  std::vector<Entry> old;
  old.swap(objects_);
  objects_.assign(old.empty() ? 64 : 2 * old.size(), Entry{});
  live_ = 0;
  for (const Entry& entry : old) {
    if (entry.generation == generation_) {
      insert(entry.tape, entry.block, entry.lookups);
    }
  }
}

}  // namespace ordergate::adapters::mapping
