#include "gateway/forward/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace ordergate::gateway::forward {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<int> digits(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" — exactly 29 characters.
std::optional<std::chrono::system_clock::time_point> parseImfFixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  if (std::find(kDays.begin(), kDays.end(), s.substr(0, 3)) == kDays.end()) {
    return std::nullopt;
  }
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
  if (month_it == kMonths.end()) {
    return std::nullopt;
  }
  const auto day = digits(s.substr(5, 2));
  const auto year = digits(s.substr(12, 4));
  const auto hour = digits(s.substr(17, 2));
  const auto minute = digits(s.substr(20, 2));
  const auto second = digits(s.substr(23, 2));
  if (!day || !year || !hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year{*year},
      std::chrono::month{static_cast<unsigned>(month_it - kMonths.begin() + 1)},
      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{ymd} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
         std::chrono::seconds{std::min(*second, 59)};
}

}  // namespace

std::string_view toString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kDelivered:
      return "delivered";
    case Verdict::kRetry:
      return "retry";
    case Verdict::kDeadLetter:
      return "dead_letter";
  }
  return "unknown";
}

Random defaultRandom() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

Verdict classifyStatus(int status) {
  if (status >= 200 && status <= 299) {
    return Verdict::kDelivered;
  }
  if (status >= 300 && status <= 399) {
    return Verdict::kDeadLetter;
  }
  if (status >= 400 && status <= 499) {
    switch (status) {
      case 408:  // Request Timeout
      case 425:  // Too Early
      case 429:  // Too Many Requests
        return Verdict::kRetry;
      default:
        return Verdict::kDeadLetter;
    }
  }
  // 0 (no answer), 5xx, a final 1xx, or nonsense.
  return Verdict::kRetry;
}

Verdict classify(const HttpResponse& response) { return classifyStatus(response.status); }

std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view header, std::chrono::system_clock::time_point now) {
  header = trim(header);
  if (header.empty()) {
    return std::nullopt;
  }
  if (header.front() >= '0' && header.front() <= '9') {
    // More than ~31 years is nonsense; saturate instead of overflowing.
    constexpr long long kMaxSeconds = 1'000'000'000;
    long long seconds = 0;
    for (char c : header) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      seconds = std::min(kMaxSeconds, seconds * 10 + (c - '0'));
    }
    return std::chrono::milliseconds(seconds * 1000);
  }
  const auto when = parseImfFixdate(header);
  if (!when) {
    return std::nullopt;
  }
  if (*when <= now) {
    return std::chrono::milliseconds{0};
  }
  return std::chrono::ceil<std::chrono::milliseconds>(*when - now);
}

Result<RetryPolicy> RetryPolicy::create(RetryConfig config) {
  if (config.initial.count() <= 0) {
    return fail(ErrorCode::kConfig, "must be > 0", "retry.initial");
  }
  if (config.cap < config.initial) {
    return fail(ErrorCode::kConfig, "must be >= retry.initial", "retry.cap");
  }
  if (config.max_age.count() <= 0) {
    return fail(ErrorCode::kConfig, "must be > 0", "retry.max_age");
  }
  return RetryPolicy(config);
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt,
                                               std::optional<std::chrono::milliseconds> retry_after,
                                               const Random& random) const {
  const long long initial = config_.initial.count();
  const long long cap = config_.cap.count();
  // initial * 2^(attempt-1), saturating at cap without overflow.
  long long ceiling = initial;
  for (int i = 1; i < attempt && ceiling < cap; ++i) {
    ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
  }
  ceiling = std::min(ceiling, cap);

  double r = random ? random() : 0.0;
  if (!(r >= 0.0)) {  // also catches NaN
    r = 0.0;
  }
  r = std::min(r, 1.0);
  // Uniform over the integers 0..ceiling inclusive.
  long long delay = static_cast<long long>(std::floor(r * static_cast<double>(ceiling + 1)));
  delay = std::min(delay, ceiling);

  if (retry_after) {
    delay = std::max(delay, static_cast<long long>(retry_after->count()));
  }
  delay = std::min(delay, static_cast<long long>(config_.max_age.count()));
  return std::chrono::milliseconds(std::max(0LL, delay));
}

bool RetryPolicy::expired(std::chrono::system_clock::time_point received_at,
                          std::chrono::system_clock::time_point now) const {
  return now - received_at > config_.max_age;
}

}  // namespace ordergate::gateway::forward
