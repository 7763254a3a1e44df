#include "gateway/forward/cloud_event_request.hpp"

#include <utility>

namespace ordergate::gateway::forward {

std::string_view userAgent() { return "ordergate/" ORDERGATE_VERSION; }

HttpRequest buildCloudEventRequest(CloudEventDelivery delivery) {
  HttpRequest request;
  request.url = std::move(delivery.url);
  request.timeout = delivery.timeout;
  request.headers.reserve(delivery.signer != nullptr ? 6 : 3);
  request.headers.emplace_back("Content-Type", "application/cloudevents+json");
  request.headers.emplace_back("Idempotency-Key", delivery.event_id);
  request.headers.emplace_back("User-Agent", std::string(userAgent()));
  if (delivery.signer != nullptr) {
    std::string signature =
        delivery.signer->sign(delivery.event_id, delivery.timestamp_seconds, delivery.body);
    request.headers.emplace_back("webhook-id", delivery.event_id);
    request.headers.emplace_back("webhook-timestamp", std::to_string(delivery.timestamp_seconds));
    request.headers.emplace_back("webhook-signature", std::move(signature));
  }
  request.body = std::move(delivery.body);
  return request;
}

}  // namespace ordergate::gateway::forward
