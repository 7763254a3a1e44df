#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/error.hpp"
#include "canonical/order.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::shopify {

/// Where a value sits in the payload, e.g. "line_items[2].price": a link to the enclosing
/// path plus one key or index. Reading a field builds no text; str() makes it only when an
/// error names the field. A FieldPath points at its parent, so it must not outlive it (keep
/// them on the stack of the reading code).
class FieldPath {
 public:
  FieldPath() = default;  ///< the document itself: ""
  FieldPath(const FieldPath& parent, std::string_view key) : parent_(&parent), key_(key) {}
  FieldPath(const FieldPath& parent, std::size_t index)
      : parent_(&parent), index_(index), is_index_(true) {}

  /// "a.b", "a[3]", or "b" for a key of the document.
  [[nodiscard]] std::string str() const;

 private:
  void appendTo(std::string& out) const;

  const FieldPath* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

/// Typed reads of fields of a simdjson DOM object that collect every problem with its field
/// path instead of stopping at the first. A field `key` of an object at path `at` is named
/// `at.key` in errors. Missing and `null` fields read as absent. Money is parsed exactly
/// (canonical::parseMoney) in `currency`; while `currency` is empty (unknown), amounts are
/// skipped because the currency error already explains them. Not thread-safe: one per thread,
/// reset() before each document.
class FieldReader {
 public:
  using Object = simdjson::dom::object;
  using Array = simdjson::dom::array;
  using Element = simdjson::dom::element;

  FieldErrors errors;
  std::string currency;       ///< the shop currency, once known to be ISO 4217
  int currency_exponent = 0;  ///< canonical::currencyExponent(currency), set with it
  canonical::TimeZone zone = nullptr;

  /// Forgets the previous document (errors, currency, key indexes); keeps the memory an order
  /// needs.
  void reset(canonical::TimeZone time_zone);

  void add(std::string field, std::string message);
  void add(const FieldPath& field, std::string message);

  /// The field, or nullopt when missing or null.
  [[nodiscard]] std::optional<Element> get(Object obj, std::string_view key) const;
  /// A string, valid as long as the parsed document; "" when absent; an error when another type.
  [[nodiscard]] std::string_view view(Object obj, const FieldPath& at, std::string_view key);
  /// view() as a std::string.
  [[nodiscard]] std::string text(Object obj, const FieldPath& at, std::string_view key);
  /// An integer id (int64 / uint64, never through double) or a string of digits, as text.
  [[nodiscard]] std::string id(Object obj, const FieldPath& at, std::string_view key);
  [[nodiscard]] std::optional<std::int64_t> integer(Object obj, const FieldPath& at,
                                                    std::string_view key);
  [[nodiscard]] std::optional<bool> boolean(Object obj, const FieldPath& at, std::string_view key);
  [[nodiscard]] std::optional<Object> object(Object obj, const FieldPath& at, std::string_view key);
  [[nodiscard]] std::optional<Array> array(Object obj, const FieldPath& at, std::string_view key);
  [[nodiscard]] std::optional<canonical::Timestamp> time(Object obj, const FieldPath& at,
                                                         std::string_view key);
  /// A decimal-string amount in `currency`.
  [[nodiscard]] canonical::Money amount(Object obj, const FieldPath& at, std::string_view key);
  /// Shop money: `<key>_set.shop_money.amount` (its currency_code must be the shop currency),
  /// else the plain `<key>` string (which Shopify gives in shop currency).
  [[nodiscard]] canonical::Money shopAmount(Object obj, const FieldPath& at, std::string_view key);
  /// Sum of shopAmount(`key`) over the objects of array `array_key`; nullopt when the array is
  /// absent, 0 when empty.
  [[nodiscard]] canonical::Money sumOf(Object obj, const FieldPath& at, std::string_view array_key,
                                       std::string_view key);

  /// a + b (absent when either is absent), an error naming `path` on int64 overflow.
  [[nodiscard]] canonical::Money plus(canonical::Money a, canonical::Money b,
                                      const FieldPath& path);
  [[nodiscard]] canonical::Money minus(canonical::Money a, canonical::Money b,
                                       const FieldPath& path);
  /// a * n, an error naming `path` on overflow.
  [[nodiscard]] canonical::Money times(canonical::Money a, std::int64_t n, const FieldPath& path);

 private:
  // Objects with many fields (the order itself has ~80, a line item ~30) are looked up dozens
  // of times each; simdjson's at_key() scans the fields linearly, which was a quarter of the
  // adapter's time. Such objects get a small open-addressing index of their keys on first use.
  // The slots keep their memory from object to object and document to document; instead of
  // clearing them, each index takes a new stamp and only slots bearing it are in use.
  struct Slot {
    std::string_view key;
    Element value;
    std::uint32_t stamp = 0;
  };
  struct ObjectIndex {
    const char* id = nullptr;  ///< where the object's first key is stored: identifies it
    std::uint32_t stamp = 0;
    std::size_t mask = 0;     ///< slot count - 1: a power of two, at least twice the field count
    std::vector<Slot> slots;  ///< at least mask + 1
  };
  [[nodiscard]] const ObjectIndex* indexFor(Object obj) const;
  // indexes_[0, used_indexes_) belong to the current document; the rest keep their memory.
  mutable std::vector<ObjectIndex> indexes_;
  mutable std::size_t used_indexes_ = 0;
  mutable std::uint32_t stamp_ = 0;

  void wrongType(const FieldPath& path, std::string_view expected, Element value);
  canonical::Money amountOf(Element value, const FieldPath& path);
};

/// "<key><suffix>" for the short literal keys of the parser ("price" + "_set"), without
/// allocating.
class JoinedKey {
 public:
  JoinedKey(std::string_view key, std::string_view suffix);
  [[nodiscard]] std::string_view view() const { return {text_, size_}; }

 private:
  char text_[64];
  std::size_t size_ = 0;
};

}  // namespace ordergate::adapters::shopify
