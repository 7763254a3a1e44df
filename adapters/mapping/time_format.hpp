#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/mapping/expr.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::mapping {

/// The pieces of a time read by a strftime-like format.
struct TimeFields {
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  int pm = -1;  // -1 none, 0 am, 1 pm
  bool has_offset = false;
  int offset = 0;
};

/// Parses `text` by `format` (directives of checkTimeFormat) into `f`, calendar-checked.
/// Returns the reason on failure, nullopt on success.
[[nodiscard]] std::optional<std::string> scanFormat(std::string_view text, std::string_view format,
                                                    TimeFields& f);

/// Whether text in a standard form already carries an offset ("Z", "+08:00", "+0800", "UTC").
[[nodiscard]] bool hasExplicitOffset(std::string_view text);

/// The instant of `f`: its own offset, else spec.offset_seconds, else local time in `zone`.
[[nodiscard]] Result<canonical::Timestamp> fromFields(const TimeFields& f, const TimeSpec& spec,
                                                      canonical::TimeZone zone);

}  // namespace ordergate::adapters::mapping
