#include <gtest/gtest.h>

#include "gateway/http/message.hpp"
#include "gateway/metrics/metrics.hpp"

namespace ordergate::gateway {
namespace {

boost::asio::awaitable<http::Response> noop(http::Request&) { co_return http::Response{}; }

TEST(Router, MatchesPatternsCapturesParamsAndKnows405) {
  http::Router router;
  router.add({"POST", "/v1/channels/{id}/webhooks", "webhook", http::BodyClass::kWebhook, noop});
  router.add({"GET", "/v1/admin/dlq/{id}", "admin", http::BodyClass::kAdmin, noop});
  router.add({"POST", "/v1/admin/dlq/replay", "admin", http::BodyClass::kAdmin, noop});
  http::Request req;
  auto m = router.match("POST", "/v1/channels/shop-1/webhooks", &req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(req.param("id"), "shop-1");
  EXPECT_EQ(router.match("POST", "/v1/admin/dlq/replay", &req).route->pattern, "/v1/admin/dlq/replay");
  auto wrong = router.match("GET", "/v1/channels/x/webhooks", nullptr);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_known);
  auto none = router.match("GET", "/v1/channels/x", nullptr);
  EXPECT_FALSE(none.path_known);
  EXPECT_EQ(router.match("POST", "/v1/channels//webhooks", nullptr).route, nullptr);
}

TEST(Request, QueryParams) {
  http::Request req;
  req.query = "channel=shop&limit=5&all";
  EXPECT_EQ(req.queryParam("channel"), "shop");
  EXPECT_EQ(req.queryParam("limit"), "5");
  EXPECT_EQ(req.queryParam("all"), "");
  EXPECT_EQ(req.queryParam("nope"), "");
}

TEST(ErrorTable, OneMappingFromErrorCodesToStatus) {
  EXPECT_EQ(http::httpStatus(ErrorCode::kUnauthenticated), 401u);
  EXPECT_EQ(http::httpStatus(ErrorCode::kNotFound), 404u);
  EXPECT_EQ(http::httpStatus(ErrorCode::kUnavailable), 503u);
  EXPECT_EQ(http::httpStatus(ErrorCode::kTooLarge), 413u);
  auto r = http::errorResponse(Error{ErrorCode::kNotFound, "no \"x\"", "id"});
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"error":"not_found","message":"no \"x\"","field":"id"})");
}

TEST(Metrics, PrometheusTextWithLabelsAndHistograms) {
  metrics::Registry reg;
  auto& c = reg.counter("og_requests_total", "Requests", {"route", "code"});
  c.with({"a", "200"}).inc();
  c.with({"a", "200"}).inc(2);
  c.with({"b\"q", "500"}).inc();
  auto& h = reg.histogram("og_latency_seconds", "Latency", {}, {0.001, 0.01});
  h.with({}).observe(0.0005);
  h.with({}).observe(0.005);
  h.with({}).observe(5);
  std::string text = reg.render();
  EXPECT_NE(text.find("# TYPE og_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("og_requests_total{route=\"a\",code=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("og_requests_total{route=\"b\\\"q\",code=\"500\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("og_latency_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("og_latency_seconds_bucket{le=\"0.01\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("og_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("og_latency_seconds_count 3\n"), std::string::npos);
  EXPECT_NEAR(h.with({}).quantile(0.5), 0.0055, 0.0046);
}

}  // namespace
}  // namespace ordergate::gateway
