#pragma once

#include <string>
#include <string_view>

#include "adapters/common/crypto.hpp"
#include "canonical/error.hpp"

namespace ordergate::adapters {

/// Signs and verifies Standard Webhooks (standardwebhooks.com, the scheme Svix uses):
/// signed content "<msg_id>.<timestamp>.<body>", HMAC-SHA256, header value
/// "v1,<base64 MAC>"; the receiver accepts any of a space-separated list of signatures.
///
/// Built once from configuration with create(); immutable afterwards. Thread-safety: sign() and
/// verify() may be called concurrently from any thread.
class StandardWebhooksSigner {
 public:
  /// The timestamp tolerance the reference libraries use (5 minutes either way).
  static constexpr long long kDefaultToleranceSeconds = 300;

  /// `secret` is either
  ///  - "whsec_<base64>": the spec's format; the key is the base64-decoded part, or
  ///  - anything else: a raw secret whose bytes are used as the key unchanged.
  /// Note the second form differs from the Svix libraries, which base64-decode an unprefixed
  /// secret too: paste Svix/Standard Webhooks secrets *with* their "whsec_" prefix.
  /// Errors (kConfig): empty secret or empty key, invalid base64 after "whsec_".
  [[nodiscard]] static Result<StandardWebhooksSigner> create(std::string secret);

  /// The webhook-signature header value for one delivery: "v1,<base64 HMAC-SHA256>".
  [[nodiscard]] std::string sign(std::string_view msg_id, long long timestamp,
                                 std::string_view body) const;

  /// Checks the webhook-id / webhook-timestamp / webhook-signature header values of a request.
  /// Accepts when the timestamp is within `tolerance_seconds` of `now_seconds` (either way) and
  /// any "v1,<base64>" entry of the space-separated `signature_header` matches (constant-time).
  /// Errors (kUnauthenticated), message one of: "missing webhook-id", "missing
  /// webhook-signature", "missing webhook-timestamp", "invalid webhook-timestamp", "timestamp
  /// outside tolerance", "no matching signature"; `field` names the header.
  [[nodiscard]] Result<void> verify(std::string_view msg_id, std::string_view timestamp_header,
                                    std::string_view signature_header, std::string_view body,
                                    long long now_seconds,
                                    long long tolerance_seconds = kDefaultToleranceSeconds) const;

 private:
  explicit StandardWebhooksSigner(HmacSha256 mac) : mac_(std::move(mac)) {}
  [[nodiscard]] std::string rawSignature(std::string_view msg_id, std::string_view timestamp,
                                         std::string_view body) const;

  HmacSha256 mac_;
};

}  // namespace ordergate::adapters
