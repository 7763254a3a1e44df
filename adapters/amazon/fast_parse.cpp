#include "adapters/amazon/fast_parse.hpp"

#include <chrono>

namespace ordergate::adapters::amazon {
namespace {

using canonical::MinorUnits;
using canonical::Timestamp;

// Two ASCII digits at text[at], or -1.
int twoDigits(std::string_view text, std::size_t at) {
  const unsigned hi = static_cast<unsigned char>(text[at]) - '0';
  const unsigned lo = static_cast<unsigned char>(text[at + 1]) - '0';
  return hi <= 9 && lo <= 9 ? static_cast<int>(hi * 10 + lo) : -1;
}

// "YYYY-MM-DDTHH:MM:SS+00:00" with a day that exists in every month: the UTC instant.
std::optional<Timestamp> fastReportTime(std::string_view text) {
  if (text.size() != 25 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text.substr(19) != "+00:00") {
    return std::nullopt;
  }
  const int century = twoDigits(text, 0);
  const int year2 = twoDigits(text, 2);
  const int month = twoDigits(text, 5);
  const int day = twoDigits(text, 8);
  const int hour = twoDigits(text, 11);
  const int minute = twoDigits(text, 14);
  const int second = twoDigits(text, 17);
  if (century < 0 || year2 < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const sys_days date{year{century * 100 + year2} / month / day};
  return Timestamp{date} + hours{hour} + minutes{minute} + seconds{second};
}

}  // namespace

std::optional<MinorUnits> fastMoney(std::string_view text, int exponent) {
  std::size_t pos = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    pos = 1;
  }
  std::int64_t value = 0;
  int digits = 0;
  const std::size_t int_begin = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos++] - '0');
    ++digits;
  }
  if (pos == int_begin) {
    return std::nullopt;
  }
  int frac = 0;
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t frac_begin = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (frac < exponent) {
        value = value * 10 + (text[pos] - '0');
        ++frac;
        ++digits;
      } else if (text[pos] != '0') {
        return std::nullopt;
      }
      ++pos;
    }
    if (pos == frac_begin) {
      return std::nullopt;
    }
  }
  if (pos != text.size() || digits + (exponent - frac) > 17) {
    return std::nullopt;
  }
  for (; frac < exponent; ++frac) {
    value *= 10;
  }
  return negative ? -value : value;
}

Result<Timestamp> parseReportTime(std::string_view text, canonical::TimeZone zone) {
  if (auto fast = fastReportTime(text)) {
    return *fast;
  }
  return canonical::parseTimestamp(text, zone);
}

}  // namespace ordergate::adapters::amazon
