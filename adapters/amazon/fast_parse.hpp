#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/adapter.hpp"
#include "canonical/money.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::amazon {

/// The common case of canonical::parseMoney for a known exponent: [+-]?digits(.digits)? with at
/// most 17 digits and zeros beyond the exponent. nullopt for anything else: the caller then
/// asks parseMoney, whose result (and error text) is authoritative.
[[nodiscard]] std::optional<canonical::MinorUnits> fastMoney(std::string_view text, int exponent);

/// canonical::parseTimestamp(text, zone), with a fast path for the form Amazon writes
/// ("2026-02-01T10:00:00+00:00"); anything else, and any out-of-range field, goes to
/// parseTimestamp, so results and errors are the same.
[[nodiscard]] Result<canonical::Timestamp> parseReportTime(std::string_view text,
                                                           canonical::TimeZone zone);

}  // namespace ordergate::adapters::amazon
