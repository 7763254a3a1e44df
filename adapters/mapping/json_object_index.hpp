#pragma once

#include <simdjson.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "adapters/mapping/json_keys.hpp"

namespace ordergate::adapters::mapping {

/// The children of the JSON objects a plan run looks into, by plan key id. Mappings read many
/// fields of the same object (billing.first_name, billing.city, …) and simdjson's DOM finds a key
/// by a linear scan of the object; here an object that is large or read often is indexed: all
/// its fields are resolved against the plan's JsonKeyTable in one pass, and every later lookup in
/// it is an array read. The first occurrence of a duplicated key wins, as with at_key().
///
/// Meant to be kept per thread and reused: reset() forgets every object without freeing or
/// clearing memory (a generation number invalidates the object map), so a warm index does not
/// allocate. Not thread-safe.
class JsonObjectIndex {
 public:
  /// Starts a new document whose lookups use `keys` (which must outlive the document).
  void reset(const JsonKeyTable& keys);

  /// Objects with at least this many fields are indexed on their first lookup; smaller ones on
  /// their kIndexAfterLookups-th. Before that, at_key(): scanning and hashing every field costs
  /// about as much as eight at_key() scans, and carrier events are small objects read a few
  /// times each (indexing them at once made the carrier mappings 5–15 % slower).
  static constexpr std::size_t kIndexAtOnceFields = 24;
  static constexpr std::uint32_t kIndexAfterLookups = 6;

  /// The child of `object` under `key_id` (an id of the table given to reset()); false when the
  /// key is absent or `object` is not an object.
  [[nodiscard]] bool child(const simdjson::dom::element& object, std::uint32_t key_id,
                           simdjson::dom::element& out) {
    // Paths alternate between two objects (the root, then billing; the root, then a line), so
    // the two most recently indexed objects are checked before the map.
    const std::uint64_t tape = tapeIndex(object);
    if (tape == recent_[0].tape) {
      return read(recent_[0].block, key_id, out);
    }
    if (tape == recent_[1].tape) {
      std::swap(recent_[0], recent_[1]);
      return read(recent_[0].block, key_id, out);
    }
    return slowChild(object, tape, key_id, out);
  }

  /// Objects indexed since reset() (each one scanned exactly once).
  [[nodiscard]] std::size_t indexedObjects() const { return blocks_; }

 private:
  struct Entry {
    std::uint64_t tape = 0;  // the object's tape index
    std::uint32_t generation = 0;
    std::uint32_t block = 0;  // kNotIndexed: still read with at_key()
    std::uint32_t lookups = 0;
  };

  static constexpr std::uint32_t kNotIndexed = 0xFFFFFFFFu;

  [[nodiscard]] bool read(std::uint32_t block, std::uint32_t key_id,
                          simdjson::dom::element& out) const {
    const std::size_t slot = std::size_t{block} * key_count_ + key_id;
    if (found_[slot] == 0) {
      return false;
    }
    out = children_[slot];
    return true;
  }
  [[nodiscard]] bool slowChild(const simdjson::dom::element& object, std::uint64_t tape,
                               std::uint32_t key_id, simdjson::dom::element& out);
  [[nodiscard]] Entry* findEntry(std::uint64_t tape);
  [[nodiscard]] std::uint32_t indexObject(const simdjson::dom::object& object);
  void insert(std::uint64_t tape, std::uint32_t block, std::uint32_t lookups);
  void remember(std::uint64_t tape, std::uint32_t block);
  void grow();

  // An element is a (document, tape index) pair; within one document the index identifies it.
  [[nodiscard]] static std::uint64_t tapeIndex(const simdjson::dom::element& e);

  const JsonKeyTable* keys_ = nullptr;
  std::size_t key_count_ = 0;
  std::vector<Entry> objects_;  // open addressing on the tape index; size a power of two
  std::size_t live_ = 0;        // entries of the current generation
  std::uint32_t generation_ = 0;
  std::uint32_t blocks_ = 0;
  std::vector<simdjson::dom::element> children_;  // block b: [b * key_count_, (b + 1) * …)
  std::vector<std::uint8_t> found_;
  struct Recent {
    std::uint64_t tape = ~std::uint64_t{0};
    std::uint32_t block = 0;
  };
  Recent recent_[2];  // most recent first
};

}  // namespace ordergate::adapters::mapping
