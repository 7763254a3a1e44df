#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "canonical/error.hpp"
#include "gateway/forward/http_message.hpp"

namespace ordergate::gateway::forward {

/// Backoff and give-up limits for deliveries to one destination.
struct RetryConfig {
  std::chrono::milliseconds initial{1000};  ///< ceiling of the first retry's delay
  std::chrono::milliseconds cap{600000};    ///< the exponential ceiling stops growing here
  std::chrono::milliseconds max_age{
      std::chrono::hours{24}};  ///< an event older than this is dead-lettered
};

/// What to do with an event after one delivery attempt.
enum class Verdict { kDelivered, kRetry, kDeadLetter };

[[nodiscard]] std::string_view toString(Verdict verdict);

/// A source of uniformly distributed doubles in [0, 1). Injected so tests are deterministic.
using Random = std::function<double()>;

/// A Random backed by a per-thread std::mt19937_64 seeded from std::random_device.
/// Thread-safe (each thread draws from its own engine).
[[nodiscard]] Random defaultRandom();

/// The one table from an attempt's outcome to a decision:
///  - 2xx → kDelivered;
///  - status 0 (no HTTP answer: timeout, refused, reset), 408, 425, 429, 5xx → kRetry;
///  - 1xx as a final status and anything outside 100..599 → kRetry (a broken intermediary, not
///    an answer from the OMS);
///  - 3xx → kDeadLetter (redirects are not followed; the configured URL is wrong, and a replay
///    after fixing it is the cure, not repetition);
///  - every other 4xx → kDeadLetter (the OMS rejected this event; repeating will not help).
[[nodiscard]] Verdict classify(const HttpResponse& response);
[[nodiscard]] Verdict classifyStatus(int status);

/// Parses a Retry-After header value (RFC 9110 §10.2.3): delta-seconds ("120") or an
/// IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"; the obsolete RFC 850 / asctime forms are not
/// accepted). A date in the past gives 0. nullopt for an empty or malformed value.
[[nodiscard]] std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view header, std::chrono::system_clock::time_point now);

/// Exponential backoff with full jitter, honouring Retry-After. Built once with create(),
/// immutable, shareable between threads.
class RetryPolicy {
 public:
  /// Errors (kConfig): initial <= 0, cap < initial, max_age <= 0.
  [[nodiscard]] static Result<RetryPolicy> create(RetryConfig config);

  /// The delay before attempt `attempt + 1`, where `attempt` (1-based) is the attempt that just
  /// failed: uniform in [0, min(cap, initial * 2^(attempt-1))] ("full jitter"). With a
  /// Retry-After of `retry_after`, at least that long; the result never exceeds max_age.
  /// Attempts < 1 count as 1. `random` must return values in [0, 1).
  [[nodiscard]] std::chrono::milliseconds backoff(
      int attempt, std::optional<std::chrono::milliseconds> retry_after,
      const Random& random) const;

  /// True when an event received at `received_at` is older than max_age at `now` and must be
  /// dead-lettered instead of retried again.
  [[nodiscard]] bool expired(std::chrono::system_clock::time_point received_at,
                             std::chrono::system_clock::time_point now) const;

  [[nodiscard]] const RetryConfig& config() const { return config_; }

 private:
  explicit RetryPolicy(RetryConfig config) : config_(config) {}
  RetryConfig config_;
};

}  // namespace ordergate::gateway::forward
