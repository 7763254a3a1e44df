#include "adapters/amazon/order_index.hpp"

namespace ordergate::adapters::amazon {
namespace {

std::size_t hashKey(std::uint64_t key, std::size_t mask) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
}

}  // namespace

std::uint64_t packAmazonOrderId(std::string_view id) {
  if (id.size() != 19 || id[3] != '-' || id[11] != '-') {
    return 0;
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 3 || i == 11) {
      continue;
    }
    const unsigned digit = static_cast<unsigned char>(id[i]) - '0';
    if (digit > 9) {
      return 0;
    }
    value = value * 10 + digit;
  }
  return value + 1;
}

void OrderIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key == 0) {
      continue;
    }
    std::size_t i = hashKey(s.key, mask);
    while (slots_[i].key != 0) {
      i = (i + 1) & mask;
    }
    slots_[i] = s;
  }
}

OrderIndex::Slot* OrderIndex::slotFor(std::uint64_t key) {
  if ((packed_count_ + 1) * 10 > slots_.size() * 7) {
    grow();
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hashKey(key, mask);
  while (slots_[i].key != 0 && slots_[i].key != key) {
    i = (i + 1) & mask;
  }
  if (slots_[i].key == 0) {
    slots_[i].key = key;
    ++packed_count_;
  }
  return &slots_[i];
}

const OrderIndex::Slot* OrderIndex::findSlot(std::uint64_t key) const {
  if (slots_.empty()) {
    return nullptr;
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hashKey(key, mask);
  while (slots_[i].key != 0) {
    if (slots_[i].key == key) {
      return &slots_[i];
    }
    i = (i + 1) & mask;
  }
  return nullptr;
}

std::uint32_t OrderIndex::add(std::string_view id, std::uint32_t line) {
  Entry* entry = nullptr;
  if (const std::uint64_t key = packAmazonOrderId(id); key != 0) {
    entry = &slotFor(key)->entry;
  } else {
    entry = &other_[std::string(id)];
  }
  const std::uint32_t previous = entry->last_line;
  entry->last_line = line;
  ++entry->rows;
  return previous;
}

const OrderIndex::Entry* OrderIndex::find(std::string_view id) const {
  if (const std::uint64_t key = packAmazonOrderId(id); key != 0) {
    const Slot* s = findSlot(key);
    return s == nullptr ? nullptr : &s->entry;
  }
  auto it = other_.find(std::string(id));
  return it == other_.end() ? nullptr : &it->second;
}

std::size_t OrderIndex::memoryBytes() const {
  std::size_t bytes = slots_.capacity() * sizeof(Slot);
  for (const auto& [id, entry] : other_) {
    bytes += sizeof(entry) + 48 + id.capacity();
  }
  return bytes;
}

}  // namespace ordergate::adapters::amazon
