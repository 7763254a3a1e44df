#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ordergate::adapters::amazon {

/// "ddd-ddddddd-ddddddd" → its 17 digits as a number + 1 (never 0); 0 for any other shape.
[[nodiscard]] std::uint64_t packAmazonOrderId(std::string_view id);

/// An order id as looked up: Amazon ids packed into 64 bits (no allocation), others as text.
struct OrderKey {
  std::uint64_t packed = 0;  ///< packAmazonOrderId(text); 0 → use `text`
  std::string_view text;

  [[nodiscard]] static OrderKey of(std::string_view id) { return {packAmazonOrderId(id), id}; }
  /// 64-bit hash (for the Bloom filter; equal ids give equal hashes).
  [[nodiscard]] std::uint64_t hash() const;
};

/// Exact map order id → 32-bit value (a line number or a slot). Packed ids live in an
/// open-addressing table of 16-byte slots (linear probing, backward-shift erase, load ≤ 0.7);
/// other ids in a string map. Not thread-safe.
class OrderIdMap {
 public:
  /// The value of `key`, or nullptr.
  [[nodiscard]] std::uint32_t* find(const OrderKey& key);
  /// Inserts `key` with `value` (overwrites an existing value).
  void set(const OrderKey& key, std::uint32_t value);
  /// Removes `key`; false when absent.
  bool erase(const OrderKey& key);
  [[nodiscard]] std::size_t size() const { return packed_count_ + other_.size(); }
  [[nodiscard]] bool empty() const { return size() == 0; }
  /// Approximate heap bytes held.
  [[nodiscard]] std::size_t memoryBytes() const;

 private:
  struct Slot {
    std::uint64_t key = 0;  // packed id; 0 = empty
    std::uint32_t value = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  [[nodiscard]] std::size_t home(std::uint64_t key) const;
  void grow();

  std::vector<Slot> slots_;
  std::size_t packed_count_ = 0;
  int shift_ = 64;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> other_;
};

/// Fixed-size split-block Bloom filter: each key sets one bit in each of the eight 64-bit words
/// of one 64-byte block (one cache line per lookup). No false negatives; false positives grow
/// with the keys added (≈ 0.5 % at 12 bits per key). Not thread-safe.
class BloomFilter {
 public:
  /// `bytes` is rounded down to a power of two, at least one block.
  explicit BloomFilter(std::size_t bytes);
  void add(std::uint64_t hash);
  [[nodiscard]] bool mayContain(std::uint64_t hash) const;
  /// Hints the cache line of `hash` (a lookup is one likely cache miss in a 4 MiB filter).
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&words_[(hash & block_mask_) * 8]); }
  [[nodiscard]] std::size_t memoryBytes() const { return words_.size() * sizeof(std::uint64_t); }

 private:
  std::vector<std::uint64_t> words_;
  std::size_t block_mask_ = 0;
};

/// Pass 1 of the reader: finds the "scattered" orders, those with two consecutive rows
/// `window` or more lines apart, and the line of their last row. Every other order has all its
/// rows less than `window` lines after the previous one, so pass 2 knows it is complete once
/// `window` lines have passed after a row of it.
///
/// How: an exact map of the ids seen in the last `window` lines (their last line) and a FIFO of
/// those rows; an id leaving the window goes into a fixed-size Bloom filter. A row whose id is
/// not in the window but may be in the filter starts (or continues) a scattered order: exact
/// map id → last line from then on. A false positive only sends a contiguous order down the
/// scattered path (still correct). Memory: the filter + `window` entries + one entry per
/// scattered order (true or false positive); it does not depend on the file's size otherwise.
class ScatterScan {
 public:
  ScatterScan(std::size_t window, std::size_t filter_bytes);
  /// One row of `id` on physical line `line` (increasing). Rows are processed a few calls
  /// later, so the filter's cache line can be fetched in the meantime.
  void add(std::string_view id, std::uint32_t line);
  /// Processes the rows still pending. Call once, after the last add().
  void finish();
  /// The scattered orders → line of their last row (after finish()).
  [[nodiscard]] OrderIdMap takeScattered() { return std::move(scattered_); }
  [[nodiscard]] std::size_t scatteredCount() const { return scattered_.size(); }
  /// Heap bytes held (filter + window + scattered map); the structures never shrink, so this is
  /// also their peak.
  [[nodiscard]] std::size_t memoryBytes() const;

 private:
  struct Row {
    std::uint32_t line = 0;
    std::uint64_t packed = 0;
    std::uint64_t hash = 0;
    std::string text;  // only for ids that do not pack
  };
  static constexpr std::size_t kLookahead = 8;
  void process(const Row& row);
  void evictBefore(std::uint32_t line);

  std::size_t window_;
  BloomFilter seen_;
  OrderIdMap in_window_;
  std::array<Row, kLookahead> pending_;  // ring: added, not processed yet
  std::size_t pending_head_ = 0;
  std::size_t pending_count_ = 0;
  std::vector<Row> fifo_;  // ring of window_ entries
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  OrderIdMap scattered_;
};

}  // namespace ordergate::adapters::amazon
