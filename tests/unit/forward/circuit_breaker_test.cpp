#include "gateway/forward/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace ordergate::gateway::forward {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreaker::Clock::time_point now_{std::chrono::hours(1)};
  CircuitBreaker breaker_;

  void failTimes(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(breaker_.allowRequest(now_));
      breaker_.onFailure(now_);
    }
  }
};

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailures) {
  EXPECT_EQ(breaker_.state(), State::kClosed);
  failTimes(4);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  breaker_.onSuccess(now_);  // resets the run
  failTimes(4);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  failTimes(1);
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.allowRequest(now_));
  EXPECT_FALSE(breaker_.allowRequest(now_ + 999ms));
  EXPECT_EQ(breaker_.openUntil(), now_ + 1s);
}

TEST_F(CircuitBreakerTest, HalfOpenLetsExactlyOneProbeThrough) {
  failTimes(5);
  now_ += 1s;
  EXPECT_TRUE(breaker_.allowRequest(now_));
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_FALSE(breaker_.allowRequest(now_));
  EXPECT_FALSE(breaker_.allowRequest(now_ + 10s));
  breaker_.onSuccess(now_);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.allowRequest(now_));
  EXPECT_TRUE(breaker_.allowRequest(now_));
}

TEST_F(CircuitBreakerTest, FailedProbesDoubleTheCooldownUpToTheMaximum) {
  failTimes(5);
  std::chrono::milliseconds expected = 1s;
  for (int round = 0; round < 8; ++round) {
    EXPECT_EQ(breaker_.currentCooldown(), expected) << round;
    EXPECT_FALSE(breaker_.allowRequest(now_ + expected - 1ms));
    now_ += expected;
    ASSERT_TRUE(breaker_.allowRequest(now_)) << round;
    breaker_.onFailure(now_);
    EXPECT_EQ(breaker_.state(), State::kOpen);
    expected = std::min<std::chrono::milliseconds>(expected * 2, 30s);
  }
  EXPECT_EQ(breaker_.currentCooldown(), 30s);
  now_ += 30s;
  ASSERT_TRUE(breaker_.allowRequest(now_));
  breaker_.onSuccess(now_);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_EQ(breaker_.currentCooldown(), 1s);  // reset
  failTimes(5);
  EXPECT_EQ(breaker_.openUntil(), now_ + 1s);
}

TEST_F(CircuitBreakerTest, DeadLetterAnswersCountAsSuccess) {
  failTimes(4);
  breaker_.onResult(Verdict::kDeadLetter, now_);
  EXPECT_EQ(breaker_.consecutiveFailures(), 0);
  for (int i = 0; i < 5; ++i) {
    breaker_.onResult(Verdict::kRetry, now_);
  }
  EXPECT_EQ(breaker_.state(), State::kOpen);
  // Late reports from requests sent before it opened change nothing.
  breaker_.onResult(Verdict::kDelivered, now_);
  EXPECT_EQ(breaker_.state(), State::kOpen);
}

TEST(CircuitBreaker, ConfigValidationAndNames) {
  EXPECT_FALSE(CircuitBreaker::create({0, 1s, 30s}));
  EXPECT_FALSE(CircuitBreaker::create({5, 0s, 30s}));
  EXPECT_FALSE(CircuitBreaker::create({5, 2s, 1s}));
  auto custom = CircuitBreaker::create({2, 100ms, 150ms});
  ASSERT_TRUE(custom);
  const auto t0 = CircuitBreaker::Clock::time_point{} + 1h;
  custom->onFailure(t0);
  custom->onFailure(t0);
  EXPECT_EQ(custom->state(), State::kOpen);
  ASSERT_TRUE(custom->allowRequest(t0 + 100ms));
  custom->onFailure(t0 + 100ms);
  EXPECT_EQ(custom->currentCooldown(), 150ms);
  EXPECT_EQ(toString(State::kClosed), "closed");
  EXPECT_EQ(toString(State::kOpen), "open");
  EXPECT_EQ(toString(State::kHalfOpen), "half_open");
}

}  // namespace
}  // namespace ordergate::gateway::forward
