#include "gateway/forward/retry_policy.hpp"

#include <gtest/gtest.h>

namespace ordergate::gateway::forward {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

Random fixed(double value) {
  return [value] { return value; };
}

RetryPolicy policy(RetryConfig config = {}) {
  auto p = RetryPolicy::create(config);
  EXPECT_TRUE(p.has_value());
  return *p;
}

TEST(Classify, StatusTable) {
  struct Row {
    int status;
    Verdict verdict;
  };
  const Row rows[] = {
      {200, Verdict::kDelivered},  {201, Verdict::kDelivered},  {202, Verdict::kDelivered},
      {204, Verdict::kDelivered},  {299, Verdict::kDelivered},  {0, Verdict::kRetry},
      {500, Verdict::kRetry},      {502, Verdict::kRetry},      {503, Verdict::kRetry},
      {504, Verdict::kRetry},      {599, Verdict::kRetry},      {408, Verdict::kRetry},
      {425, Verdict::kRetry},      {429, Verdict::kRetry},      {400, Verdict::kDeadLetter},
      {401, Verdict::kDeadLetter}, {403, Verdict::kDeadLetter}, {404, Verdict::kDeadLetter},
      {409, Verdict::kDeadLetter}, {410, Verdict::kDeadLetter}, {413, Verdict::kDeadLetter},
      {415, Verdict::kDeadLetter}, {422, Verdict::kDeadLetter}, {499, Verdict::kDeadLetter},
      {301, Verdict::kDeadLetter}, {302, Verdict::kDeadLetter}, {307, Verdict::kDeadLetter},
      {100, Verdict::kRetry},      {199, Verdict::kRetry},      {600, Verdict::kRetry},
      {-1, Verdict::kRetry},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(classifyStatus(row.status), row.verdict) << row.status;
    HttpResponse response;
    response.status = row.status;
    EXPECT_EQ(classify(response), row.verdict) << row.status;
  }
  EXPECT_EQ(toString(Verdict::kDeadLetter), "dead_letter");
}

TEST(Backoff, FullJitterBoundsAndGrowth) {
  const RetryPolicy p = policy();  // initial 1 s, cap 10 min
  EXPECT_EQ(p.backoff(1, std::nullopt, fixed(0.0)), 0ms);
  EXPECT_EQ(p.backoff(5, std::nullopt, fixed(0.0)), 0ms);
  EXPECT_EQ(p.backoff(1, std::nullopt, fixed(0.999)), 999ms);
  EXPECT_EQ(p.backoff(2, std::nullopt, fixed(0.999)), 1998ms);
  EXPECT_EQ(p.backoff(3, std::nullopt, fixed(0.999)), 3996ms);
  EXPECT_EQ(p.backoff(4, std::nullopt, fixed(0.5)), 4000ms);
  // Upper bound is the ceiling itself, never more.
  EXPECT_EQ(p.backoff(1, std::nullopt, fixed(0.99999999)), 1000ms);
  milliseconds previous{0};
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const milliseconds d = p.backoff(attempt, std::nullopt, fixed(0.999));
    EXPECT_GT(d, previous) << attempt;
    EXPECT_LE(d, milliseconds(1000LL << (attempt - 1))) << attempt;
    previous = d;
  }
}

TEST(Backoff, CapAndHugeAttemptsDoNotOverflow) {
  const RetryPolicy p = policy();
  EXPECT_EQ(p.backoff(11, std::nullopt, fixed(0.999)), 599400ms);  // 1024 s capped at 600 s
  EXPECT_EQ(p.backoff(64, std::nullopt, fixed(0.999)), 599400ms);
  EXPECT_EQ(p.backoff(1'000'000, std::nullopt, fixed(0.999)), 599400ms);
  EXPECT_EQ(p.backoff(0, std::nullopt, fixed(0.999)), 999ms);  // treated as attempt 1
  EXPECT_EQ(p.backoff(-3, std::nullopt, fixed(0.999)), 999ms);
  const RetryPolicy small = policy({100ms, 250ms, 1h});
  EXPECT_EQ(small.backoff(3, std::nullopt, fixed(0.999)), 250ms);
}

TEST(Backoff, HonoursRetryAfterUpToMaxAge) {
  const RetryPolicy p = policy({1000ms, 600000ms, 3600000ms});
  EXPECT_EQ(p.backoff(1, 30000ms, fixed(0.5)), 30000ms);      // wait at least Retry-After
  EXPECT_EQ(p.backoff(10, 1000ms, fixed(0.999)), 511488ms);   // jitter already longer
  EXPECT_EQ(p.backoff(1, 7200000ms, fixed(0.0)), 3600000ms);  // capped at max_age
  EXPECT_EQ(p.backoff(1, 0ms, fixed(0.0)), 0ms);
}

TEST(Backoff, DistributionCoversTheRange) {
  const RetryPolicy p = policy();
  Random random = defaultRandom();
  milliseconds low = 1h;
  milliseconds high = 0ms;
  for (int i = 0; i < 2000; ++i) {
    const milliseconds d = p.backoff(3, std::nullopt, random);
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 4000ms);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_LT(low, 400ms);
  EXPECT_GT(high, 3600ms);
}

TEST(RetryPolicy, RejectsInvalidConfig) {
  EXPECT_FALSE(RetryPolicy::create({0ms, 1000ms, 1h}));
  EXPECT_FALSE(RetryPolicy::create({1000ms, 999ms, 1h}));
  auto bad = RetryPolicy::create({1000ms, 2000ms, 0ms});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  EXPECT_EQ(bad.error().field, "retry.max_age");
}

TEST(RetryPolicy, ExpiresAfterMaxAge) {
  const RetryPolicy p = policy({1000ms, 600000ms, std::chrono::hours(24)});
  const auto received = std::chrono::system_clock::time_point{} + std::chrono::hours(1000);
  EXPECT_FALSE(p.expired(received, received));
  EXPECT_FALSE(p.expired(received, received + std::chrono::hours(24)));
  EXPECT_TRUE(p.expired(received, received + std::chrono::hours(24) + 1ms));
}

TEST(ParseRetryAfter, DeltaSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parseRetryAfter("120", now), 120000ms);
  EXPECT_EQ(parseRetryAfter("0", now), 0ms);
  EXPECT_EQ(parseRetryAfter("  5 ", now), 5000ms);
  EXPECT_EQ(parseRetryAfter("99999999999999999999", now), milliseconds(1'000'000'000'000LL));
  EXPECT_FALSE(parseRetryAfter("", now));
  EXPECT_FALSE(parseRetryAfter("-5", now));
  EXPECT_FALSE(parseRetryAfter("1.5", now));
  EXPECT_FALSE(parseRetryAfter("12s", now));
  EXPECT_FALSE(parseRetryAfter("soon", now));
}

TEST(ParseRetryAfter, HttpDate) {
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 Unix seconds.
  const auto date = std::chrono::system_clock::time_point{std::chrono::seconds(1445412480)};
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", date - 90s), 90000ms);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", date - 1500ms), 1500ms);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", date), 0ms);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", date + 1h), 0ms);  // in the past
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", date), 0ms);
  EXPECT_EQ(
      parseRetryAfter("Thu, 01 Jan 1970 00:01:00 GMT", std::chrono::system_clock::time_point{}),
      60000ms);
  EXPECT_FALSE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 UTC", date));
  EXPECT_FALSE(parseRetryAfter("Wed, 32 Oct 2015 07:28:00 GMT", date));
  EXPECT_FALSE(parseRetryAfter("Wed, 31 Feb 2015 07:28:00 GMT", date));
  EXPECT_FALSE(parseRetryAfter("Wed, 21 Foo 2015 07:28:00 GMT", date));
  EXPECT_FALSE(parseRetryAfter("Wed, 21 Oct 2015 25:28:00 GMT", date));
  EXPECT_FALSE(parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", date));  // RFC 850
  EXPECT_FALSE(parseRetryAfter("Wed Oct 21 07:28:00 2015", date));           // asctime
}

}  // namespace
}  // namespace ordergate::gateway::forward
