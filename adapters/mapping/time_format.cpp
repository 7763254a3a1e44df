#include "adapters/mapping/time_format.hpp"

#include <cstdio>

#include "adapters/mapping/text_util.hpp"

namespace ordergate::adapters::mapping {
namespace {

using canonical::Timestamp;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::string_view kMonths[12] = {"january",   "february", "march",    "april",
                                          "may",       "june",     "july",     "august",
                                          "september", "october",  "november", "december"};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip() { ++i_; }
  // Reads between min and max digits.
  bool number(int min, int max, int& out) {
    int n = 0;
    int v = 0;
    while (n < max && !done() && isDigit(peek())) {
      v = v * 10 + (peek() - '0');
      ++i_;
      ++n;
    }
    out = v;
    return n >= min;
  }
  bool word(std::string_view& out) {
    const std::size_t start = i_;
    while (!done() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z') ||
                       peek() == '.')) {
      ++i_;
    }
    out = s_.substr(start, i_ - start);
    return !out.empty();
  }
  std::size_t pos() const { return i_; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<int> monthFromName(std::string_view name) {
  if (name.size() < 3) {
    return std::nullopt;
  }
  std::string lower;
  for (char c : name) {
    if (c != '.') {
      lower.push_back(lowerAscii(c));
    }
  }
  for (int m = 0; m < 12; ++m) {
    if (kMonths[m] == lower || (lower.size() == 3 && kMonths[m].substr(0, 3) == lower) ||
        (lower == "sept" && m == 8)) {
      return m + 1;
    }
  }
  return std::nullopt;
}

}  // namespace

// Parses `text` by `format`; returns the reason on failure.
std::optional<std::string> scanFormat(std::string_view text, std::string_view format,
                                      TimeFields& f) {
  Scanner s(text);
  for (std::size_t k = 0; k < format.size(); ++k) {
    const char c = format[k];
    if (c == ' ') {
      while (!s.done() && (s.peek() == ' ' || s.peek() == '\t')) {
        s.skip();
      }
      continue;
    }
    if (c != '%' || k + 1 == format.size()) {
      if (lowerAscii(s.peek()) != lowerAscii(c)) {
        return "expected \"" + std::string(1, c) + "\" at position " + std::to_string(s.pos());
      }
      s.skip();
      continue;
    }
    const char d = format[++k];
    bool ok = true;
    switch (d) {
      case 'Y':
        ok = s.number(4, 4, f.year);
        break;
      case 'y':
        ok = s.number(2, 2, f.year);
        f.year += 2000;
        break;
      case 'm':
        ok = s.number(1, 2, f.month);
        break;
      case 'd':
      case 'e':
        ok = s.number(1, 2, f.day);
        break;
      case 'H':
      case 'I':
        ok = s.number(1, 2, f.hour);
        break;
      case 'M':
        ok = s.number(2, 2, f.minute);
        break;
      case 'S':
        ok = s.number(2, 2, f.second);
        break;
      case 'f': {
        int digits = 0;
        int ms = 0;
        while (!s.done() && isDigit(s.peek())) {
          if (digits < 3) {
            ms = ms * 10 + (s.peek() - '0');
          }
          ++digits;
          s.skip();
        }
        for (int i = digits; i < 3; ++i) {
          ms *= 10;
        }
        f.millis = ms;
        ok = digits > 0;
        break;
      }
      case 'p': {
        std::string_view w;
        ok = s.word(w);
        if (ok) {
          const char first = lowerAscii(w[0]);
          ok = first == 'a' || first == 'p';
          f.pm = first == 'p' ? 1 : 0;
        }
        break;
      }
      case 'b':
      case 'B': {
        std::string_view w;
        ok = s.word(w);
        const auto m = ok ? monthFromName(w) : std::nullopt;
        ok = m.has_value();
        if (ok) {
          f.month = *m;
        }
        break;
      }
      case 'a':
      case 'A': {
        std::string_view w;
        ok = s.word(w);
        break;
      }
      case 'z': {
        if (s.peek() == 'Z' || s.peek() == 'z') {
          s.skip();
          f.has_offset = true;
          f.offset = 0;
          break;
        }
        const char sign = s.peek();
        if (sign != '+' && sign != '-') {
          ok = false;
          break;
        }
        s.skip();
        int h = 0;
        int m = 0;
        ok = s.number(2, 2, h);
        if (ok && (s.peek() == ':' || s.peek() == '.')) {
          s.skip();
        }
        if (ok && isDigit(s.peek())) {
          ok = s.number(2, 2, m);
        }
        f.has_offset = ok;
        f.offset = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
        break;
      }
      case 'T':
        ok = s.number(1, 2, f.hour) && s.peek() == ':' && (s.skip(), s.number(2, 2, f.minute)) &&
             s.peek() == ':' && (s.skip(), s.number(2, 2, f.second));
        break;
      case 'F':
        ok = s.number(4, 4, f.year) && s.peek() == '-' && (s.skip(), s.number(1, 2, f.month)) &&
             s.peek() == '-' && (s.skip(), s.number(1, 2, f.day));
        break;
      case '%':
        ok = s.peek() == '%';
        s.skip();
        break;
      default:
        return "unsupported format directive %" + std::string(1, d);
    }
    if (!ok) {
      return "does not match %" + std::string(1, d) + " at position " + std::to_string(s.pos());
    }
  }
  if (!s.done()) {
    return "unexpected text at position " + std::to_string(s.pos());
  }
  if (f.pm >= 0) {
    if (f.hour < 1 || f.hour > 12) {
      return "hour out of range for %I";
    }
    f.hour = f.hour % 12 + (f.pm == 1 ? 12 : 0);
  }
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
  if (f.month < 1 || f.month > 12 || f.day < 1 ||
      f.day > kDays[f.month - 1] + (f.month == 2 && leap ? 1 : 0)) {
    return "no such date";
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) {
    return "time of day out of range";
  }
  return std::nullopt;
}

// Whether text in a standard form already carries an offset ("Z", "+08:00", "+0800", "UTC").
bool hasExplicitOffset(std::string_view text) {
  if (text.size() <= 10) {
    return false;
  }
  const std::string_view rest = text.substr(10);
  return rest.find_first_of("Zz+") != std::string_view::npos ||
         rest.find('-') != std::string_view::npos || rest.find("UTC") != std::string_view::npos ||
         rest.find("GMT") != std::string_view::npos;
}

Result<Timestamp> fromFields(const TimeFields& f, const TimeSpec& spec, canonical::TimeZone zone) {
  const std::int64_t local =
      daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) * 86400 +
      f.hour * 3600 + f.minute * 60 + f.second;
  if (f.has_offset || spec.offset_seconds) {
    const int offset = f.has_offset ? f.offset : *spec.offset_seconds;
    return Timestamp{std::chrono::milliseconds{(local - offset) * 1000 + f.millis}};
  }
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03d", f.year, f.month, f.day,
                f.hour, f.minute, f.second, f.millis);
  return canonical::parseTimestamp(buf, zone);
}

std::optional<int> parseOffset(std::string_view text) {
  if (text == "Z" || text == "z" || text == "UTC" || text == "GMT") {
    return 0;
  }
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
    return std::nullopt;
  }
  TimeFields f;
  if (scanFormat(text, "%z", f) || !f.has_offset) {
    return std::nullopt;
  }
  return f.offset;
}

std::optional<std::string> checkTimeFormat(std::string_view format, bool& has_time) {
  has_time = false;
  for (std::size_t k = 0; k < format.size(); ++k) {
    if (format[k] != '%') {
      continue;
    }
    if (k + 1 == format.size()) {
      return "format ends with %";
    }
    const char d = format[++k];
    if (std::string_view("YymdeHIMSfpbBaAzTF%").find(d) == std::string_view::npos) {
      return "unsupported directive %" + std::string(1, d) +
             " (supported: %Y %y %m %d %e %H %I %M %S %f %p %b %B %a %z %T %F %%)";
    }
    if (d == 'H' || d == 'I' || d == 'T') {
      has_time = true;
    }
  }
  return std::nullopt;
}

Result<Timestamp> parseTimeWith(std::string_view text, const TimeSpec& spec,
                                canonical::TimeZone zone) {
  std::optional<std::string> why;
  for (const std::string& format : spec.formats) {
    TimeFields f;
    why = scanFormat(text, format, f);
    if (!why) {
      return fromFields(f, spec, zone);
    }
  }
  if (why) {
    return fail(ErrorCode::kInvalidInput,
                "time " + quote(text) + " does not match the format(s): " + *why);
  }
  return canonical::parseTimestamp(text, zone);
}

}  // namespace ordergate::adapters::mapping
