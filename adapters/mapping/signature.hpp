#pragma once

#include <optional>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/mapping/plan.hpp"

namespace ordergate::adapters::mapping {

/// Checks a mapping's declared signature scheme over the raw bytes of each message.
/// Built once per configured channel; immutable; verify() is thread-safe.
class SignatureVerifier {
 public:
  /// Keys the secret from `settings` (key `spec.secret_setting`, required unless the scheme is
  /// none). `spec` must outlive the verifier (it lives in the plan the adapter holds).
  /// Error kConfig naming the settings key (missing secret, invalid base64 secret).
  [[nodiscard]] static Result<SignatureVerifier> create(const SignatureSpec& spec,
                                                        const Settings& settings);

  /// Ok, or kUnauthenticated naming the header: "missing <header>", "invalid <ts header>",
  /// "timestamp outside tolerance", "signature mismatch", "token mismatch".
  /// The timestamp is compared with msg.received_at.
  [[nodiscard]] Result<void> verify(const InboundMessage& msg) const;

 private:
  explicit SignatureVerifier(const SignatureSpec& spec) : spec_(&spec) {}

  const SignatureSpec* spec_;
  std::optional<HmacSha256> mac_;
  std::string token_;
};

}  // namespace ordergate::adapters::mapping
