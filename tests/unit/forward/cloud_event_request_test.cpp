#include "gateway/forward/cloud_event_request.hpp"

#include <gtest/gtest.h>

#include <map>

namespace ordergate::gateway::forward {
namespace {

std::map<std::string, std::string> headerMap(const HttpRequest& r) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : r.headers) {
    out[name] = value;
  }
  return out;
}

TEST(CloudEventRequest, UnsignedHasIdempotencyKeyAndContentType) {
  const HttpRequest r = buildCloudEventRequest(
      {.url = "http://oms/events", .event_id = "ev_1", .body = R"({"id":"ev_1"})"});
  EXPECT_EQ(r.url, "http://oms/events");
  EXPECT_EQ(r.body, R"({"id":"ev_1"})");
  auto h = headerMap(r);
  EXPECT_EQ(h["Content-Type"], "application/cloudevents+json");
  EXPECT_EQ(h["Idempotency-Key"], "ev_1");
  EXPECT_EQ(h["User-Agent"], "ordergate/" ORDERGATE_VERSION);
  EXPECT_EQ(h.count("webhook-signature"), 0u);
  EXPECT_EQ(r.headers.size(), 3u);
}

TEST(CloudEventRequest, SignedCarriesStandardWebhooksHeaders) {
  auto signer = adapters::StandardWebhooksSigner::create("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(signer);
  const HttpRequest r = buildCloudEventRequest({.url = "http://oms/events",
                                                .event_id = "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                                .body = R"({"test": 2432232314})",
                                                .signer = &*signer,
                                                .timestamp_seconds = 1614265330,
                                                .timeout = std::chrono::milliseconds(1234)});
  auto h = headerMap(r);
  EXPECT_EQ(h["webhook-id"], "msg_p5jXN8AQM9LWM0D4loKWxJek");
  EXPECT_EQ(h["webhook-timestamp"], "1614265330");
  EXPECT_EQ(h["webhook-signature"], "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_EQ(h["Idempotency-Key"], "msg_p5jXN8AQM9LWM0D4loKWxJek");
  EXPECT_EQ(r.timeout, std::chrono::milliseconds(1234));
}

}  // namespace
}  // namespace ordergate::gateway::forward
