#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "canonical/error.hpp"
#include "canonical/event.hpp"
#include "canonical/time.hpp"

// Channels whose pushes only say "something changed" (Lazada): the adapter turns a push into a
// PullRequest, the gateway stores it durably and later fetches the order through the channel's
// REST API. The adapter stays pure: it describes the calls and interprets the answers; the
// gateway (gateway/pulls/) does the I/O, the scheduling and the retries.
namespace ordergate::adapters {

/// One fetch to do. Pushes with the same key while a fetch is pending coalesce into one fetch.
struct PullRequest {
  std::string key;      ///< coalescing key, e.g. the channel's order id
  std::string payload;  ///< adapter-defined (Lazada: the verified push body, byte for byte)
};

/// One HTTP request the gateway should make. Plain data.
struct ApiCall {
  std::string method;  ///< "GET" or "POST"
  std::string url;     ///< absolute, query string included and encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// The answer to one ApiCall (same index).
struct ApiResponse {
  int status = 0;     ///< HTTP status; 0 when there was no HTTP answer
  std::string body;   ///< the whole body
  std::string error;  ///< transport failure text when status is 0
  std::string retry_after;  ///< raw Retry-After header, "" when absent
};

/// What the gateway does with a fetched job.
struct PullOutcome {
  enum Kind {
    kEvents,      ///< done: decide `events` (or quarantine `errors` when non-empty)
    kRetry,       ///< transient (network, 5xx, rate limit): try again with backoff
    kAuthAlert,   ///< the channel's credentials are refused: alert, keep the job, retry slowly
    kDeadLetter,  ///< permanent for this job: keep it with `code` and `message`
  };
  Kind kind = kRetry;
  std::vector<canonical::CanonicalEvent> events;
  FieldErrors errors;   ///< normalisation errors (kEvents only) → quarantine
  std::string code;     ///< the channel's error code ("ApiCallLimit", "IllegalAccessToken", "HTTP 503")
  std::string message;  ///< the channel's error message
  std::optional<std::chrono::milliseconds> retry_after;  ///< at least this long before the next try
};

/// The pull side of a channel adapter. Immutable; both calls are pure and thread-safe.
class ChannelPuller {
 public:
  virtual ~ChannelPuller() = default;
  /// The requests that fetch `request`'s order, signed for time `now`.
  [[nodiscard]] virtual std::vector<ApiCall> calls(const PullRequest& request,
                                                   canonical::Timestamp now) const = 0;
  /// Turns the answers (same order as calls()) into an outcome. `received_at` is when the
  /// gateway received the newest push of the job. Never throws.
  [[nodiscard]] virtual PullOutcome interpret(const PullRequest& request,
                                              const std::vector<ApiResponse>& responses,
                                              canonical::Timestamp received_at) const = 0;
};

}  // namespace ordergate::adapters
