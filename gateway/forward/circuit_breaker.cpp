#include "gateway/forward/circuit_breaker.hpp"

#include <algorithm>

namespace ordergate::gateway::forward {

Result<CircuitBreaker> CircuitBreaker::create(CircuitBreakerConfig config) {
  if (config.failure_threshold < 1) {
    return fail(ErrorCode::kConfig, "must be >= 1", "circuit_breaker.failure_threshold");
  }
  if (config.initial_cooldown.count() <= 0) {
    return fail(ErrorCode::kConfig, "must be > 0", "circuit_breaker.initial_cooldown");
  }
  if (config.max_cooldown < config.initial_cooldown) {
    return fail(ErrorCode::kConfig, "must be >= circuit_breaker.initial_cooldown",
                "circuit_breaker.max_cooldown");
  }
  return CircuitBreaker(config);
}

bool CircuitBreaker::allowRequest(Clock::time_point now) {
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now < open_until_) {
        return false;
      }
      state_ = State::kHalfOpen;
      probe_in_flight_ = true;
      return true;
    case State::kHalfOpen:
      if (probe_in_flight_) {
        return false;
      }
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::onSuccess(Clock::time_point /*now*/) {
  switch (state_) {
    case State::kClosed:
      consecutive_failures_ = 0;
      break;
    case State::kHalfOpen:
      state_ = State::kClosed;
      consecutive_failures_ = 0;
      cooldown_ = config_.initial_cooldown;
      probe_in_flight_ = false;
      break;
    case State::kOpen:
      break;
  }
}

void CircuitBreaker::onFailure(Clock::time_point now) {
  switch (state_) {
    case State::kClosed:
      ++consecutive_failures_;
      if (consecutive_failures_ >= config_.failure_threshold) {
        cooldown_ = config_.initial_cooldown;
        open(now);
      }
      break;
    case State::kHalfOpen:
      cooldown_ = std::min(config_.max_cooldown, cooldown_ * 2);
      open(now);
      break;
    case State::kOpen:
      break;
  }
}

void CircuitBreaker::onResult(Verdict verdict, Clock::time_point now) {
  if (verdict == Verdict::kRetry) {
    onFailure(now);
  } else {
    onSuccess(now);
  }
}

void CircuitBreaker::open(Clock::time_point now) {
  state_ = State::kOpen;
  probe_in_flight_ = false;
  open_until_ = now + cooldown_;
}

std::string_view toString(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half_open";
  }
  return "unknown";
}

}  // namespace ordergate::gateway::forward
