#pragma once

#include <span>
#include <string_view>

namespace ordergate::canonical {

/// One active ISO 4217 currency with its minor-unit exponent.
struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

/// Every active ISO 4217 code that has a minor unit, sorted by code (for binary search).
/// Static storage; safe to share between threads.
[[nodiscard]] std::span<const CurrencyInfo> currencyTable();

}  // namespace ordergate::canonical
