#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/error.hpp"

namespace ordergate::canonical {

/// An amount as an integer count of the currency's minor units (cents, yen, fils).
using MinorUnits = std::int64_t;

/// ISO 4217 exponent (0, 2, 3 or 4) of an active currency code such as "USD"; nullopt when the
/// code is not an active ISO 4217 code. Case-sensitive: codes are upper case.
[[nodiscard]] std::optional<int> currencyExponent(std::string_view code);

/// Parses exact decimal text ("19.99", "-5.00", "1500", "0.7") into minor units of `currency`,
/// never through floating point. Errors (kInvalidInput, message names the value): unknown
/// currency, empty text, thousands separators or any other non-digit, a non-zero digit beyond
/// the currency's exponent ("19.995" USD), overflow of int64. Grammar: `[+-]?digits(.digits)?` —
/// a leading "+" is accepted; ".5", "5." and surrounding blanks are rejected.
[[nodiscard]] Result<MinorUnits> parseMoney(std::string_view text, std::string_view currency);

/// parseMoney with the currency's exponent already known (`exponent` = currencyExponent(currency),
/// for callers that parse many amounts of one currency); `currency` only names it in errors.
[[nodiscard]] Result<MinorUnits> parseMinorUnits(std::string_view text, int exponent,
                                                 std::string_view currency);

/// Formats minor units as decimal text with the currency's exponent: (1999, "USD") → "19.99".
/// Unknown currencies are formatted with exponent 2.
[[nodiscard]] std::string formatMoney(MinorUnits amount, std::string_view currency);

}  // namespace ordergate::canonical
