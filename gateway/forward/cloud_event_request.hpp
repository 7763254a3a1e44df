#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "adapters/common/standard_webhooks.hpp"
#include "gateway/forward/http_message.hpp"

namespace ordergate::gateway::forward {

/// What one delivery of one event needs.
struct CloudEventDelivery {
  std::string url;       ///< the OMS endpoint
  std::string event_id;  ///< the stable canonical event id
  std::string body;      ///< the serialised CloudEvents envelope (structured JSON mode)
  /// Signs with Standard Webhooks headers when set; not owned, must outlive the call only.
  const adapters::StandardWebhooksSigner* signer = nullptr;
  /// Unix seconds of this attempt (a fresh timestamp and signature per attempt, same id).
  long long timestamp_seconds = 0;
  std::chrono::milliseconds timeout{5000};
};

/// The POST for one delivery attempt, with headers:
///   Content-Type: application/cloudevents+json
///   Idempotency-Key: <event id>
///   User-Agent: ordergate/<ORDERGATE_VERSION>
/// and, with a signer, webhook-id (= event id), webhook-timestamp, webhook-signature.
/// Pure; thread-safe.
[[nodiscard]] HttpRequest buildCloudEventRequest(CloudEventDelivery delivery);

/// "ordergate/0.1.0".
[[nodiscard]] std::string_view userAgent();

}  // namespace ordergate::gateway::forward
