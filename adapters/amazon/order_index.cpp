#include "adapters/amazon/order_index.hpp"

#include <algorithm>
#include <bit>

namespace ordergate::adapters::amazon {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
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

std::uint64_t OrderKey::hash() const {
  return mix(packed != 0 ? packed : std::hash<std::string_view>{}(text) ^ (1ULL << 63));
}

// ---- OrderIdMap

std::size_t OrderIdMap::home(std::uint64_t key) const {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
}

void OrderIdMap::grow() {
  std::vector<Slot> old = std::move(slots_);
  const std::size_t size = old.empty() ? 64 : old.size() * 2;
  slots_.assign(size, Slot{});
  shift_ = 64 - std::countr_zero(size);
  const std::size_t mask = size - 1;
  for (const Slot& s : old) {
    if (s.key == 0) {
      continue;
    }
    std::size_t i = home(s.key);
    while (slots_[i].key != 0) {
      i = (i + 1) & mask;
    }
    slots_[i] = s;
  }
}

std::uint32_t* OrderIdMap::find(const OrderKey& key) {
  if (key.packed == 0) {
    auto it = other_.find(key.text);
    return it == other_.end() ? nullptr : &it->second;
  }
  if (slots_.empty()) {
    return nullptr;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(key.packed);; i = (i + 1) & mask) {
    if (slots_[i].key == key.packed) {
      return &slots_[i].value;
    }
    if (slots_[i].key == 0) {
      return nullptr;
    }
  }
}

void OrderIdMap::set(const OrderKey& key, std::uint32_t value) {
  if (key.packed == 0) {
    auto it = other_.find(key.text);
    if (it == other_.end()) {
      other_.emplace(std::string(key.text), value);
    } else {
      it->second = value;
    }
    return;
  }
  if ((packed_count_ + 1) * 10 > slots_.size() * 7) {
    grow();
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(key.packed);
  while (slots_[i].key != 0 && slots_[i].key != key.packed) {
    i = (i + 1) & mask;
  }
  if (slots_[i].key == 0) {
    slots_[i].key = key.packed;
    ++packed_count_;
  }
  slots_[i].value = value;
}

bool OrderIdMap::erase(const OrderKey& key) {
  if (key.packed == 0) {
    auto it = other_.find(key.text);
    if (it == other_.end()) {
      return false;
    }
    other_.erase(it);
    return true;
  }
  if (slots_.empty()) {
    return false;
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(key.packed);
  while (slots_[i].key != key.packed) {
    if (slots_[i].key == 0) {
      return false;
    }
    i = (i + 1) & mask;
  }
  // Backward-shift deletion keeps every probe chain unbroken without tombstones.
  for (std::size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
    if (slots_[j].key == 0) {
      break;
    }
    const std::size_t h = home(slots_[j].key);
    // Move slot j into the hole at i unless its home lies cyclically in (i, j].
    const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
    if (!stays) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
  --packed_count_;
  return true;
}

std::size_t OrderIdMap::memoryBytes() const {
  std::size_t bytes = slots_.capacity() * sizeof(Slot);
  for (const auto& [id, value] : other_) {
    bytes += sizeof(value) + 48 + id.capacity();
  }
  return bytes;
}

// ---- BloomFilter

BloomFilter::BloomFilter(std::size_t bytes) {
  const std::size_t blocks = std::bit_floor(std::max<std::size_t>(bytes / 64, 1));
  words_.assign(blocks * 8, 0);
  block_mask_ = blocks - 1;
}

void BloomFilter::add(std::uint64_t hash) {
  std::uint64_t* block = &words_[(hash & block_mask_) * 8];
  const std::uint64_t bits = mix(hash);
  for (int w = 0; w < 8; ++w) {
    block[w] |= std::uint64_t{1} << ((bits >> (w * 6)) & 63);
  }
}

bool BloomFilter::mayContain(std::uint64_t hash) const {
  const std::uint64_t* block = &words_[(hash & block_mask_) * 8];
  const std::uint64_t bits = mix(hash);
  bool all = true;
  for (int w = 0; w < 8; ++w) {
    all &= ((block[w] >> ((bits >> (w * 6)) & 63)) & 1) != 0;
  }
  return all;
}

// ---- ScatterScan

ScatterScan::ScatterScan(std::size_t window, std::size_t filter_bytes)
    : window_(std::max<std::size_t>(window, 1)), seen_(filter_bytes), fifo_(window_) {}

void ScatterScan::evictBefore(std::uint32_t line) {
  while (count_ > 0 && fifo_[head_].line + window_ <= line) {
    const Row& r = fifo_[head_];
    const OrderKey key{r.packed, r.text};
    if (std::uint32_t* last = in_window_.find(key); last != nullptr && *last == r.line) {
      in_window_.erase(key);
      seen_.add(r.hash);
    }
    head_ = (head_ + 1) % window_;
    --count_;
  }
  if (count_ > kLookahead) {  // the entry evicted a few rows from now
    seen_.prefetch(fifo_[(head_ + kLookahead) % window_].hash);
  }
}

void ScatterScan::add(std::string_view id, std::uint32_t line) {
  if (pending_count_ == kLookahead) {
    process(pending_[pending_head_]);
    pending_head_ = (pending_head_ + 1) % kLookahead;
    --pending_count_;
  }
  Row& row = pending_[(pending_head_ + pending_count_) % kLookahead];
  ++pending_count_;
  const OrderKey key = OrderKey::of(id);
  row.line = line;
  row.packed = key.packed;
  row.hash = key.hash();
  if (key.packed == 0) {
    row.text.assign(id);
  }
  seen_.prefetch(row.hash);
}

void ScatterScan::finish() {
  for (; pending_count_ > 0; --pending_count_) {
    process(pending_[pending_head_]);
    pending_head_ = (pending_head_ + 1) % kLookahead;
  }
}

void ScatterScan::process(const Row& row) {
  evictBefore(row.line);
  const OrderKey key{row.packed, row.text};
  if (std::uint32_t* last = scattered_.find(key); last != nullptr) {
    *last = row.line;
    return;
  }
  if (std::uint32_t* last = in_window_.find(key); last != nullptr) {
    *last = row.line;
  } else if (seen_.mayContain(row.hash)) {
    scattered_.set(key, row.line);
    return;
  } else {
    in_window_.set(key, row.line);
  }
  // Lines increase and the window was just trimmed to lines > line - window_: a slot is free.
  Row& r = fifo_[(head_ + count_) % window_];
  ++count_;
  r.line = row.line;
  r.packed = row.packed;
  r.hash = row.hash;
  if (row.packed == 0) {
    r.text = row.text;
  }
}

std::size_t ScatterScan::memoryBytes() const {
  return seen_.memoryBytes() + in_window_.memoryBytes() + scattered_.memoryBytes() +
         fifo_.size() * sizeof(Row);
}

}  // namespace ordergate::adapters::amazon
