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

/// "a.b", or "b" when `prefix` is empty.
[[nodiscard]] std::string joinPath(std::string_view prefix, std::string_view key);
/// "name[3]".
[[nodiscard]] std::string indexPath(std::string_view name, std::size_t index);

/// Typed reads of fields of a simdjson DOM object that collect every problem with its field
/// path instead of stopping at the first. Missing and `null` fields read as absent. Money is
/// parsed exactly (canonical::parseMoney) in `currency`; while `currency` is empty (unknown),
/// amounts are skipped because the currency error already explains them. Not thread-safe: one
/// per parse.
class FieldReader {
 public:
  using Object = simdjson::dom::object;
  using Array = simdjson::dom::array;
  using Element = simdjson::dom::element;

  FieldErrors errors;
  std::string currency;  ///< the shop currency, once known to be ISO 4217
  canonical::TimeZone zone = nullptr;

  void add(std::string field, std::string message);

  /// The field, or nullopt when missing or null.
  [[nodiscard]] std::optional<Element> get(Object obj, std::string_view key) const;
  /// A string; "" when absent; an error when another type.
  [[nodiscard]] std::string text(Object obj, std::string_view key, std::string_view path);
  /// An integer id (int64 / uint64, never through double) or a string of digits, as text.
  [[nodiscard]] std::string id(Object obj, std::string_view key, std::string_view path);
  [[nodiscard]] std::optional<std::int64_t> integer(Object obj, std::string_view key,
                                                    std::string_view path);
  [[nodiscard]] std::optional<bool> boolean(Object obj, std::string_view key,
                                            std::string_view path);
  [[nodiscard]] std::optional<Object> object(Object obj, std::string_view key,
                                             std::string_view path);
  [[nodiscard]] std::optional<Array> array(Object obj, std::string_view key, std::string_view path);
  [[nodiscard]] std::optional<canonical::Timestamp> time(Object obj, std::string_view key,
                                                         std::string_view path);
  /// A decimal-string amount in `currency`.
  [[nodiscard]] canonical::Money amount(Object obj, std::string_view key, std::string_view path);
  /// Shop money: `<key>_set.shop_money.amount` (its currency_code must be the shop currency),
  /// else the plain `<key>` string (which Shopify gives in shop currency).
  [[nodiscard]] canonical::Money shopAmount(Object obj, std::string_view key,
                                            std::string_view path);
  /// Sum of shopAmount(`key`) over the objects of array `array_key`; nullopt when the array is
  /// absent, 0 when empty.
  [[nodiscard]] canonical::Money sumOf(Object obj, std::string_view array_key, std::string_view key,
                                       std::string_view path);

  /// a + b (absent when either is absent), an error naming `path` on int64 overflow.
  [[nodiscard]] canonical::Money plus(canonical::Money a, canonical::Money b,
                                      std::string_view path);
  [[nodiscard]] canonical::Money minus(canonical::Money a, canonical::Money b,
                                       std::string_view path);
  /// a * n, an error naming `path` on overflow.
  [[nodiscard]] canonical::Money times(canonical::Money a, std::int64_t n, std::string_view path);

 private:
  // Objects with many fields (the order itself has ~80, a line item ~30) are looked up dozens
  // of times each; simdjson's at_key() scans the fields linearly, which was a quarter of the
  // adapter's time. Such objects get a small open-addressing index of their keys on first use.
  struct Slot {
    std::string_view key;  ///< data() == nullptr: empty slot
    Element value;
  };
  struct ObjectIndex {
    const char* id = nullptr;  ///< where the object's first key is stored: identifies it
    std::vector<Slot> slots;   ///< power-of-two size, at least twice the field count
  };
  [[nodiscard]] const ObjectIndex* indexFor(Object obj) const;
  mutable std::vector<ObjectIndex> indexes_;

  void wrongType(std::string_view path, std::string_view expected, Element value);
  canonical::Money parseAmount(std::string_view text, std::string_view path);
};

}  // namespace ordergate::adapters::shopify
