#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "canonical/error.hpp"

namespace date {
class time_zone;
}

namespace ordergate::canonical {

/// A point in time, UTC, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// An IANA zone ("Asia/Singapore", "UTC"), resolved once at configuration time. Never null.
using TimeZone = const date::time_zone*;

/// Looks up an IANA zone name from the system tz database. Error kConfig naming the zone.
[[nodiscard]] Result<TimeZone> findTimeZone(std::string_view name);

/// The UTC zone.
[[nodiscard]] TimeZone utcZone();

/// Parses RFC 3339 with a mandatory offset or `Z` ("2024-11-05T14:22:31-05:00",
/// "2024-11-05T14:22:31.123Z"). Fractions beyond milliseconds are truncated.
[[nodiscard]] Result<Timestamp> parseRfc3339(std::string_view text);

/// Parses the time formats channels and carriers use, in this order:
///  - RFC 3339 / ISO 8601 with an offset (`Z`, `+08:00`, `+0800`), `T` or space separated;
///  - `YYYY-MM-DD HH:MM:SS +0800` (offset after a space, with or without colon);
///  - `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` without offset: local time in `zone`
///    (DST gaps resolve to the later offset, folds to the earlier instant: in America/New_York
///    "2026-03-08 02:30" is 03:30 EDT = 07:30Z, "2026-11-01 01:30" is 01:30 EDT = 05:30Z).
/// Also accepted: lower-case `t`/`z`, `UTC`/`GMT` suffixes, `,` as the decimal mark, offsets
/// `+HH`, and blanks around the text.
/// Error kInvalidInput naming the text.
[[nodiscard]] Result<Timestamp> parseTimestamp(std::string_view text, TimeZone zone);

/// Like parseTimestamp but the text must carry its own offset (`Z`, `+08:00`, `+0800`, ` +0800`):
/// for values whose instant must not depend on configuration (ordering stamps). Error
/// kInvalidInput naming the text.
[[nodiscard]] Result<Timestamp> parseTimestampWithOffset(std::string_view text);

/// Epoch seconds or milliseconds (values above 10^11 are taken as milliseconds).
[[nodiscard]] Timestamp fromEpoch(std::int64_t seconds_or_millis);

/// RFC 3339 in UTC with `Z`: "2026-03-01T08:15:00Z", or with ".123" when milliseconds are set.
[[nodiscard]] std::string formatRfc3339(Timestamp t);

/// A calendar date without time ("2026-03-14"), for estimated delivery dates.
struct CalendarDate {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  friend bool operator==(const CalendarDate&, const CalendarDate&) = default;
};

/// Parses an ISO date "YYYY-MM-DD" (valid calendar date). Error kInvalidInput.
[[nodiscard]] Result<CalendarDate> parseIsoDate(std::string_view text);
[[nodiscard]] std::string formatIsoDate(CalendarDate d);

}  // namespace ordergate::canonical
