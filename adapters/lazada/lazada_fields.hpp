#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/error.hpp"
#include "canonical/order.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::lazada {

/// Typed reads of Lazada JSON fields that collect every problem with its field path. Lazada
/// prints ids and amounts as numbers in some responses and as strings in others: both are
/// accepted everywhere. Missing, null and "" read as absent. Not thread-safe: one per parse.
class FieldReader {
 public:
  using Object = simdjson::dom::object;
  using Element = simdjson::dom::element;

  FieldErrors errors;

  void add(std::string field, std::string message);

  /// The field, or nullopt when missing or null.
  [[nodiscard]] std::optional<Element> get(Object obj, std::string_view key) const;
  /// A string (numbers and booleans as their text); "" when absent; an error for objects/arrays.
  [[nodiscard]] std::string text(Object obj, std::string_view key, std::string_view path);
  /// An id: a JSON integer or a non-empty string, as text.
  [[nodiscard]] std::string id(Object obj, std::string_view key, std::string_view path);
  /// An integer given as a JSON integer or a string of digits.
  [[nodiscard]] std::optional<std::int64_t> integer(Object obj, std::string_view key,
                                                    std::string_view path);
  /// An amount (decimal string or JSON number) in `currency`, exactly; nullopt when absent or
  /// while the currency is unknown ("" — its own error explains the amounts).
  [[nodiscard]] canonical::Money money(Object obj, std::string_view key, std::string_view path,
                                       std::string_view currency);
  /// A time with an offset ("2024-11-05 16:15:31 +0800", ISO 8601); without one, in `zone`.
  [[nodiscard]] std::optional<canonical::Timestamp> time(Object obj, std::string_view key,
                                                         std::string_view path,
                                                         canonical::TimeZone zone);

  /// a + b treating absent as "not given": absent only when both are; an error on overflow.
  [[nodiscard]] canonical::Money plus(canonical::Money a, canonical::Money b, std::string_view path);
  [[nodiscard]] canonical::Money minus(canonical::Money a, canonical::Money b,
                                       std::string_view path);
};

/// The decimal text of a JSON number or string amount ("12.50", 12.5 → "12.5", 1200 → "1200");
/// nullopt for other types. Doubles are printed in shortest round-trip form, which gives back
/// the digits Lazada sent for any amount of up to 15 significant digits.
[[nodiscard]] std::optional<std::string> amountText(simdjson::dom::element value);

}  // namespace ordergate::adapters::lazada
