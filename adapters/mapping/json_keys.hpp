#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::adapters::mapping {

/// The object keys a JSON plan reads (its interned Path::Step keys), hashed once at compile time.
/// A payload object is then indexed in one pass over its fields — each field's key resolved to
/// a key id here — instead of a linear at_key() scan for every step that reads it.
/// Immutable after construction; shared by all threads.
class JsonKeyTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  JsonKeyTable() = default;
  /// `keys[i]` gets id i (the plan's ColumnList, where Step::key_id points).
  explicit JsonKeyTable(std::span<const std::string> keys);

  /// The id of `key`, kNone when the plan never reads it.
  [[nodiscard]] std::uint32_t find(std::string_view key) const {
    if (slots_.empty()) {
      return kNone;
    }
    const std::uint32_t h = hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id == kNone) {
        return kNone;
      }
      if (s.hash == h && s.size == key.size() && equalBytes(blob_.data() + s.offset, key)) {
        return s.id;
      }
    }
  }

  [[nodiscard]] std::size_t size() const { return count_; }

  /// The key with id `id` (< size()).
  [[nodiscard]] std::string_view key(std::uint32_t id) const {
    return std::string_view(blob_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }

  /// Cheap mix of the length and the first and last bytes: keys are short and mostly differ
  /// there. Overlapping fixed-size loads, no loop: this runs once per field of every object read.
  [[nodiscard]] static std::uint32_t hash(std::string_view key) {
    const std::size_t n = key.size();
    const char* p = key.data();
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    if (n >= 8) {
      __builtin_memcpy(&head, p, 8);
      __builtin_memcpy(&tail, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t a = 0;
      std::uint32_t b = 0;
      __builtin_memcpy(&a, p, 4);
      __builtin_memcpy(&b, p + n - 4, 4);
      head = a;
      tail = b;
    } else if (n > 0) {
      const auto byte = [](char c) { return std::uint64_t{static_cast<unsigned char>(c)}; };
      head = byte(p[0]) | byte(p[n / 2]) << 8 | byte(p[n - 1]) << 16;
    }
    const std::uint64_t x = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ n;
    return static_cast<std::uint32_t>((x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull >> 32);
  }

 private:
  // Everything a probe needs in one slot, so a probe touches one cache line plus the key bytes.
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t id = kNone;
    std::uint32_t offset = 0;  // of the key in blob_
    std::uint32_t size = 0;
  };

  // Equal-length comparison without a memcmp call: keys are short, the call showed in profiles.
  static bool equalBytes(const char* a, std::string_view b) {
    std::size_t i = 0;
    for (; i + 8 <= b.size(); i += 8) {
      std::uint64_t x = 0;
      std::uint64_t y = 0;
      __builtin_memcpy(&x, a + i, 8);
      __builtin_memcpy(&y, b.data() + i, 8);
      if (x != y) {
        return false;
      }
    }
    for (; i < b.size(); ++i) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  std::size_t count_ = 0;
  std::string blob_;                    // every key, back to back
  std::vector<std::uint32_t> offsets_;  // key id → start in blob_; one past the last at the end
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace ordergate::adapters::mapping
