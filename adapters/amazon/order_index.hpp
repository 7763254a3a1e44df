#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ordergate::adapters::amazon {

/// Pass 1 of the two-pass reader: order id → (rows, last line). Amazon order ids
/// ("123-1234567-1234567", 17 digits) are packed exactly into 64 bits and kept in an
/// open-addressing table of 16-byte slots (≤ 46 bytes per order at the worst load factor);
/// other ids go to a string map. Memory grows with the number of distinct orders, never with
/// row or file size. Not thread-safe.
class OrderIndex {
 public:
  struct Entry {
    std::uint32_t last_line = 0;
    std::uint32_t rows = 0;
  };

  /// Records one row of order `id` on physical line `line` (lines increase, < 2^32); returns
  /// the order's previous last line, 0 for its first row.
  std::uint32_t add(std::string_view id, std::uint32_t line);
  /// The entry of `id`, or nullptr when it was never added.
  [[nodiscard]] const Entry* find(std::string_view id) const;
  /// Number of distinct orders.
  [[nodiscard]] std::size_t size() const { return packed_count_ + other_.size(); }
  /// Approximate heap bytes held.
  [[nodiscard]] std::size_t memoryBytes() const;

 private:
  struct Slot {
    std::uint64_t key = 0;  // packed id + 1; 0 = empty
    Entry entry;
  };
  Slot* slotFor(std::uint64_t key);
  const Slot* findSlot(std::uint64_t key) const;
  void grow();

  std::vector<Slot> slots_;
  std::size_t packed_count_ = 0;
  std::unordered_map<std::string, Entry> other_;
};

/// "ddd-ddddddd-ddddddd" → its 17 digits as a number + 1 (never 0); 0 for any other shape.
[[nodiscard]] std::uint64_t packAmazonOrderId(std::string_view id);

}  // namespace ordergate::adapters::amazon
