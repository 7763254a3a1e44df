#pragma once

#include <chrono>
#include <string_view>

#include "canonical/error.hpp"
#include "gateway/forward/retry_policy.hpp"

namespace ordergate::gateway::forward {

/// Thresholds of a CircuitBreaker.
struct CircuitBreakerConfig {
  int failure_threshold = 5;                         ///< consecutive failures that open it
  std::chrono::milliseconds initial_cooldown{1000};  ///< first open period
  std::chrono::milliseconds max_cooldown{30000};     ///< doubling stops here
};

/// A per-destination circuit breaker with an injected clock (every call takes `now`).
///
///   closed ──N consecutive failures──▶ open ──cooldown elapsed──▶ half-open
///   half-open: exactly one probe request is allowed through;
///     probe succeeds → closed (cooldown back to initial);
///     probe fails    → open again with the cooldown doubled (up to max_cooldown).
///
/// What counts: only outcomes that say the destination is unhealthy are failures — the kRetry
/// verdicts (5xx, 408, 425, 429, timeouts, connection errors). A dead-letter 4xx means the
/// destination is up and answering, so onResult() counts it as a success. Reports that arrive
/// while open (from requests sent before it opened) are ignored. The caller must report the
/// probe's outcome, or the breaker stays half-open with the probe slot taken (HttpClient always
/// completes, at the latest at the request timeout).
///
/// Thread-safety: none; one breaker per destination per forwarder thread.
class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };
  using Clock = std::chrono::steady_clock;

  /// Errors (kConfig): threshold < 1, cooldowns <= 0, max_cooldown < initial_cooldown.
  [[nodiscard]] static Result<CircuitBreaker> create(CircuitBreakerConfig config);
  /// A breaker with the defaults above.
  CircuitBreaker() = default;

  /// Whether a request may be sent now. In half-open, true exactly once (the probe) until its
  /// outcome is reported.
  [[nodiscard]] bool allowRequest(Clock::time_point now);
  void onSuccess(Clock::time_point now);
  void onFailure(Clock::time_point now);
  /// onSuccess for kDelivered and kDeadLetter, onFailure for kRetry.
  void onResult(Verdict verdict, Clock::time_point now);

  [[nodiscard]] State state() const { return state_; }
  /// When an open breaker lets the next probe through (meaningful in kOpen only).
  [[nodiscard]] Clock::time_point openUntil() const { return open_until_; }
  [[nodiscard]] std::chrono::milliseconds currentCooldown() const { return cooldown_; }
  [[nodiscard]] int consecutiveFailures() const { return consecutive_failures_; }

 private:
  explicit CircuitBreaker(CircuitBreakerConfig config)
      : config_(config), cooldown_(config.initial_cooldown) {}
  void open(Clock::time_point now);

  CircuitBreakerConfig config_;
  State state_ = State::kClosed;
  int consecutive_failures_ = 0;
  std::chrono::milliseconds cooldown_{config_.initial_cooldown};
  Clock::time_point open_until_{};
  bool probe_in_flight_ = false;
};

/// "closed", "open", "half_open".
[[nodiscard]] std::string_view toString(CircuitBreaker::State state);

}  // namespace ordergate::gateway::forward
