#include "canonical/time.hpp"

#include <date/tz.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>

namespace ordergate::canonical {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q.append("\"").append(text).append("\"");
  return q;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian
// calendar, and cheaper than going through the tz library for plain UTC arithmetic.
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool isLeap(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr unsigned daysInMonth(std::int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// A small cursor over the text; every read is bounds-checked.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  void skip() { ++pos_; }
  std::size_t pos() const { return pos_; }

  bool accept(char c) {
    if (peek() == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // Exactly `width` digits.
  bool digits(std::size_t width, int& out) {
    if (text_.size() - pos_ < width) {
      return false;
    }
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (!isDigit(c)) {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    pos_ += width;
    out = value;
    return true;
  }

  bool acceptWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  bool has_seconds = false;
  bool has_offset = false;
  bool offset_has_colon = false;
  bool space_before_offset = false;
  int offset_seconds = 0;
};

// YYYY-MM-DD[Tt ]HH:MM[:SS[(.|,)fraction]][ ][Z|z|UTC|GMT|(+|-)HH[[:]MM]]
// Returns the reason on failure.
std::optional<std::string_view> scan(std::string_view text, Fields& f) {
  Scanner s(text);
  if (!s.digits(4, f.year) || !s.accept('-') || !s.digits(2, f.month) || !s.accept('-') ||
      !s.digits(2, f.day)) {
    return "expected a date YYYY-MM-DD";
  }
  if (!(s.accept('T') || s.accept('t') || s.accept(' '))) {
    return "expected 'T' or a space after the date";
  }
  if (!s.digits(2, f.hour) || !s.accept(':') || !s.digits(2, f.minute)) {
    return "expected a time HH:MM";
  }
  if (s.accept(':')) {
    if (!s.digits(2, f.second)) {
      return "expected seconds after ':'";
    }
    f.has_seconds = true;
    if (s.accept('.') || s.accept(',')) {
      int digit_count = 0;
      while (isDigit(s.peek())) {
        // Beyond milliseconds the digits are read and dropped: truncation, not rounding.
        if (digit_count < 3) {
          f.millis = f.millis * 10 + (s.peek() - '0');
        }
        ++digit_count;
        s.skip();
      }
      if (digit_count == 0) {
        return "expected digits after the decimal point";
      }
      for (int i = digit_count; i < 3; ++i) {
        f.millis *= 10;
      }
    }
  }
  f.space_before_offset = s.accept(' ');
  if (s.accept('Z') || s.accept('z') || s.acceptWord("UTC") || s.acceptWord("GMT")) {
    f.has_offset = true;
  } else if (s.peek() == '+' || s.peek() == '-') {
    const int sign = s.peek() == '-' ? -1 : 1;
    s.skip();
    int hours = 0;
    int minutes = 0;
    if (!s.digits(2, hours)) {
      return "expected an offset +HH:MM";
    }
    if (s.accept(':')) {
      f.offset_has_colon = true;
      if (!s.digits(2, minutes)) {
        return "expected offset minutes";
      }
    } else if (!s.done() && !s.digits(2, minutes)) {
      return "expected offset minutes";
    }
    if (hours > 23 || minutes > 59) {
      return "offset out of range";
    }
    f.has_offset = true;
    f.offset_seconds = sign * (hours * 3600 + minutes * 60);
  } else if (f.space_before_offset) {
    return "expected an offset after the space";
  }
  if (!s.done()) {
    return "unexpected text after the time";
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 ||
      static_cast<unsigned>(f.day) > daysInMonth(f.year, static_cast<unsigned>(f.month))) {
    return "no such date";
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) {
    return "time of day out of range";
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

tl::unexpected<Error> timeError(std::string_view text, std::string_view why) {
  std::string message = "cannot read time ";
  message.append(quoted(text)).append(": ").append(why);
  return fail(ErrorCode::kInvalidInput, std::move(message));
}

std::int64_t localSeconds(const Fields& f) {
  return daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) *
             86400 +
         f.hour * 3600 + f.minute * 60 + f.second;
}

Timestamp withOffset(const Fields& f) {
  return Timestamp{milliseconds{(localSeconds(f) - f.offset_seconds) * 1000 + f.millis}};
}

}  // namespace

Result<TimeZone> findTimeZone(std::string_view name) {
  if (name.empty()) {
    return fail(ErrorCode::kConfig, "empty time zone name");
  }
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return fail(ErrorCode::kConfig, "unknown time zone " + quoted(name));
  }
}

TimeZone utcZone() {
  static const TimeZone kUtc = [] {
    for (const char* name : {"UTC", "Etc/UTC"}) {
      auto zone = findTimeZone(name);
      if (zone) {
        return *zone;
      }
    }
    // Without a tz database nothing time-related can work; this is an installation bug.
    std::fputs("ordergate: no UTC zone in the tz database (/usr/share/zoneinfo)\n", stderr);
    std::abort();
  }();
  return kUtc;
}

Result<Timestamp> parseRfc3339(std::string_view text) {
  Fields f;
  if (auto why = scan(text, f)) {
    return timeError(text, *why);
  }
  if (!f.has_seconds) {
    return timeError(text, "RFC 3339 needs seconds");
  }
  if (!f.has_offset) {
    return timeError(text, "RFC 3339 needs an offset or Z");
  }
  if (f.space_before_offset || (f.offset_seconds != 0 && !f.offset_has_colon) ||
      (f.offset_seconds == 0 && !f.offset_has_colon && text.back() != 'Z' && text.back() != 'z')) {
    return timeError(text, "RFC 3339 offsets are Z or +HH:MM");
  }
  return withOffset(f);
}

Result<Timestamp> parseTimestampWithOffset(std::string_view text) {
  const std::string_view trimmed = trim(text);
  Fields f;
  if (auto why = scan(trimmed, f)) {
    return timeError(text, *why);
  }
  if (!f.has_offset) {
    return timeError(text, "no offset or Z");
  }
  return withOffset(f);
}

Result<Timestamp> parseTimestamp(std::string_view text, TimeZone zone) {
  const std::string_view trimmed = trim(text);
  Fields f;
  if (auto why = scan(trimmed, f)) {
    return timeError(text, *why);
  }
  if (f.has_offset) {
    return withOffset(f);
  }
  if (zone == nullptr || zone == utcZone()) {
    return withOffset(f);
  }
  try {
    const date::local_seconds local{seconds{localSeconds(f)}};
    const date::local_info info = zone->get_info(local);
    // `first` is the offset in force before any transition around this wall time. Using it
    // gives, for a fold, the earlier instant (first occurrence) and, for a gap, the wall time
    // moved forward by the gap (02:30 in a 02:00→03:00 gap is 03:30 in the later offset) —
    // the same choice as java.time and Python's zoneinfo with fold=0.
    const auto utc = local.time_since_epoch() - info.first.offset;
    return Timestamp{std::chrono::duration_cast<milliseconds>(utc) + milliseconds{f.millis}};
  } catch (const std::exception& e) {
    return timeError(text, e.what());
  }
}

Timestamp fromEpoch(std::int64_t seconds_or_millis) {
  constexpr std::int64_t kMillisThreshold = 100'000'000'000;  // 10^11 s is year 5138
  if (seconds_or_millis > kMillisThreshold || seconds_or_millis < -kMillisThreshold) {
    return Timestamp{milliseconds{seconds_or_millis}};
  }
  return Timestamp{milliseconds{seconds_or_millis * 1000}};
}

std::string formatRfc3339(Timestamp t) {
  const std::int64_t ms = t.time_since_epoch().count();
  std::int64_t days = ms / 86'400'000;
  std::int64_t ms_of_day = ms % 86'400'000;
  if (ms_of_day < 0) {
    ms_of_day += 86'400'000;
    --days;
  }
  const Civil c = civilFromDays(days);
  const auto secs = ms_of_day / 1000;
  const auto millis = ms_of_day % 1000;
  char buf[40];
  int n = std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(c.year), c.month, c.day,
                        static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                        static_cast<long long>(secs % 60));
  if (millis != 0) {
    n += std::snprintf(buf + n, sizeof(buf) - static_cast<std::size_t>(n), ".%03lld",
                       static_cast<long long>(millis));
  }
  std::string out(buf, static_cast<std::size_t>(n));
  out.push_back('Z');
  return out;
}

Result<CalendarDate> parseIsoDate(std::string_view text) {
  Scanner s(text);
  int year = 0;
  int month = 0;
  int day = 0;
  if (!s.digits(4, year) || !s.accept('-') || !s.digits(2, month) || !s.accept('-') ||
      !s.digits(2, day) || !s.done()) {
    return fail(ErrorCode::kInvalidInput, "not an ISO date YYYY-MM-DD: " + quoted(text));
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month))) {
    return fail(ErrorCode::kInvalidInput, "no such date: " + quoted(text));
  }
  return CalendarDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

std::string formatIsoDate(CalendarDate d) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", d.year, d.month, d.day);
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace ordergate::canonical
