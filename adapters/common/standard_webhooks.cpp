#include "adapters/common/standard_webhooks.hpp"

#include <optional>

namespace ordergate::adapters {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kVersionPrefix = "v1,";

std::optional<long long> parseTimestamp(std::string_view text) {
  if (text.empty() || text.size() > 18) {
    return std::nullopt;
  }
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<StandardWebhooksSigner> StandardWebhooksSigner::create(std::string secret) {
  if (secret.empty()) {
    return fail(ErrorCode::kConfig, "webhook signing secret is empty");
  }
  std::string key;
  if (std::string_view(secret).starts_with(kSecretPrefix)) {
    auto decoded = base64Decode(std::string_view(secret).substr(kSecretPrefix.size()));
    if (!decoded) {
      return fail(ErrorCode::kConfig, "webhook signing secret: invalid base64 after \"whsec_\"");
    }
    key = std::move(*decoded);
  } else {
    key = std::move(secret);
  }
  if (key.empty()) {
    return fail(ErrorCode::kConfig, "webhook signing secret: empty key after \"whsec_\"");
  }
  return StandardWebhooksSigner(HmacSha256(std::move(key)));
}

std::string StandardWebhooksSigner::rawSignature(std::string_view msg_id,
                                                 std::string_view timestamp,
                                                 std::string_view body) const {
  return mac_.digestParts({msg_id, ".", timestamp, ".", body});
}

std::string StandardWebhooksSigner::sign(std::string_view msg_id, long long timestamp,
                                         std::string_view body) const {
  const std::string ts = std::to_string(timestamp);
  std::string out(kVersionPrefix);
  out += base64Encode(rawSignature(msg_id, ts, body));
  return out;
}

Result<void> StandardWebhooksSigner::verify(std::string_view msg_id,
                                            std::string_view timestamp_header,
                                            std::string_view signature_header,
                                            std::string_view body, long long now_seconds,
                                            long long tolerance_seconds) const {
  msg_id = trimSpaces(msg_id);
  timestamp_header = trimSpaces(timestamp_header);
  signature_header = trimSpaces(signature_header);
  if (msg_id.empty()) {
    return fail(ErrorCode::kUnauthenticated, "missing webhook-id", "webhook-id");
  }
  if (signature_header.empty()) {
    return fail(ErrorCode::kUnauthenticated, "missing webhook-signature", "webhook-signature");
  }
  if (timestamp_header.empty()) {
    return fail(ErrorCode::kUnauthenticated, "missing webhook-timestamp", "webhook-timestamp");
  }
  const std::optional<long long> timestamp = parseTimestamp(timestamp_header);
  if (!timestamp) {
    return fail(ErrorCode::kUnauthenticated, "invalid webhook-timestamp", "webhook-timestamp");
  }
  if (*timestamp < now_seconds - tolerance_seconds ||
      *timestamp > now_seconds + tolerance_seconds) {
    return fail(ErrorCode::kUnauthenticated, "timestamp outside tolerance", "webhook-timestamp");
  }
  // Signed over the normalised number, as the reference libraries do.
  const std::string expected = rawSignature(msg_id, std::to_string(*timestamp), body);

  bool matched = false;
  std::string_view rest = signature_header;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view token = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    if (!token.starts_with(kVersionPrefix)) {
      continue;  // other versions (e.g. "v1a," asymmetric) or empty tokens
    }
    const std::optional<std::string> candidate = base64Decode(token.substr(kVersionPrefix.size()));
    if (candidate && constantTimeEquals(*candidate, expected)) {
      matched = true;  // keep looping: time does not depend on which entry matched
    }
  }
  if (!matched) {
    return fail(ErrorCode::kUnauthenticated, "no matching signature", "webhook-signature");
  }
  return {};
}

}  // namespace ordergate::adapters
