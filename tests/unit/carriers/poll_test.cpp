#include "carriers/poll.hpp"

#include <gtest/gtest.h>

namespace ordergate::carriers {
namespace {

using adapters::SettingNode;
using adapters::Settings;

SettingNode scalar(std::string v) {
  SettingNode n;
  n.scalar = std::move(v);
  return n;
}

SettingNode map(std::initializer_list<std::pair<const std::string, SettingNode>> kv) {
  SettingNode n;
  n.kind = SettingNode::Kind::kMap;
  for (const auto& [k, v] : kv) {
    n.map.emplace(k, v);
  }
  return n;
}

Result<PollConfig> parse(SettingNode root) {
  return parsePollConfig(Settings("carriers.x.poll", std::move(root)));
}

TEST(PollConfig, MinimalDefaults) {
  auto c = parse(map({{"url", scalar("https://api.example/track/{tracking_number}")}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->method, "GET");
  EXPECT_EQ(c->auth.kind, AuthKind::kNone);
  EXPECT_EQ(c->interval, std::chrono::minutes(15));
  EXPECT_DOUBLE_EQ(c->max_requests_per_second, 5.0);
}

TEST(PollConfig, OAuthAndSchedule) {
  auto c = parse(map({{"url", scalar("https://api.example/track")},
                      {"method", scalar("POST")},
                      {"body", scalar(R"({"trackingNumber":"{tracking_number}"})")},
                      {"interval", scalar("2s")},
                      {"max_requests_per_second", scalar("0.5")},
                      {"headers", map({{"Accept", scalar("application/json")}})},
                      {"auth", map({{"kind", scalar("oauth_client_credentials")},
                                    {"token_url", scalar("https://api.example/oauth/token")},
                                    {"client_id", scalar("id")},
                                    {"client_secret", scalar("s3cr&t")},
                                    {"scope", scalar("track")}})}}));
  ASSERT_TRUE(c) << c.error().field << " " << c.error().message;
  EXPECT_EQ(c->interval, std::chrono::seconds(2));
  EXPECT_DOUBLE_EQ(c->max_requests_per_second, 0.5);
  ApiRequest r = buildPollRequest(*c, "1Z 9\"9", "tok");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, R"({"trackingNumber":"1Z 9\"9"})");
  ASSERT_GE(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Authorization", "Bearer tok"}));
  EXPECT_EQ(r.headers[1].first, "Accept");
  ApiRequest t = buildTokenRequest(c->auth);
  EXPECT_EQ(t.url, "https://api.example/oauth/token");
  EXPECT_EQ(t.body, "grant_type=client_credentials&client_id=id&client_secret=s3cr%26t&scope=track");
}

TEST(PollConfig, Errors) {
  auto unknown = parse(map({{"url", scalar("https://a/{trackingNumber}")}}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "carriers.x.poll.url");
  auto key = parse(map({{"url", scalar("https://a/")}, {"intervall", scalar("1s")}}));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().field, "carriers.x.poll.intervall");
  auto kind = parse(map({{"url", scalar("https://a/")}, {"auth", map({{"kind", scalar("magic")}})}}));
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().field, "carriers.x.poll.auth.kind");
  auto missing = parse(map({{"url", scalar("https://a/")},
                            {"auth", map({{"kind", scalar("oauth_client_credentials")}})}}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "carriers.x.poll.auth.token_url");
  auto interval = parse(map({{"url", scalar("https://a/")}, {"interval", scalar("soon")}}));
  ASSERT_FALSE(interval);
  EXPECT_FALSE(parse(map({{"url", scalar("ftp://a/")}})));
}

TEST(Template, UrlEncodingAndLiteralBraces) {
  EXPECT_EQ(expandTemplate("https://a/t/{tracking_number}?x={{y}", "A B/1", Escape::kUrl),
            "https://a/t/A%20B%2F1?x={y}");
  EXPECT_EQ(expandTemplate("<Id>{tracking_number}</Id>", "a<b", Escape::kXml), "<Id>a&lt;b</Id>");
  EXPECT_TRUE(unknownPlaceholders(R"({"a":{"b":"{tracking_number}"}})").empty());
  EXPECT_EQ(unknownPlaceholders("x/{id}/{tracking_number}"), std::vector<std::string>{"id"});
}

TEST(Auth, ApiKeyAndBasic) {
  AuthConfig k;
  k.kind = AuthKind::kApiKey;
  k.header = "DHL-API-Key";
  k.key = "abc";
  EXPECT_EQ(authHeaders(k, ""), (Headers{{"DHL-API-Key", "abc"}}));
  AuthConfig b;
  b.kind = AuthKind::kBasic;
  b.username = "user";
  b.password = "pass";
  EXPECT_EQ(authHeaders(b, ""), (Headers{{"Authorization", "Basic dXNlcjpwYXNz"}}));
  EXPECT_TRUE(authHeaders(AuthConfig{}, "x").empty());
}

TEST(Token, ParseAndCache) {
  auto t = parseTokenResponse(R"({"access_token":"abc","token_type":"bearer","expires_in":3599})");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->access_token, "abc");
  EXPECT_EQ(t->expires_in, std::chrono::seconds(3599));
  auto s = parseTokenResponse(R"({"access_token":"x","expires_in":"20"})");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->expires_in, std::chrono::seconds(20));
  auto d = parseTokenResponse(R"({"access_token":"x"})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->expires_in, std::chrono::seconds(3600));
  EXPECT_FALSE(parseTokenResponse(R"({"error":"invalid_client"})"));
  EXPECT_FALSE(parseTokenResponse("not json"));
  EXPECT_FALSE(parseTokenResponse(R"({"access_token":"x","expires_in":"soon"})"));

  TokenCache cache;
  const auto t0 = TokenCache::Clock::time_point(std::chrono::seconds(1000));
  EXPECT_FALSE(cache.get(t0));
  cache.store(*s, t0);  // 20 s: refreshed 2 s early
  EXPECT_EQ(cache.get(t0 + std::chrono::seconds(17)), "x");
  EXPECT_FALSE(cache.get(t0 + std::chrono::seconds(18)));
  cache.store(*t, t0);  // 1 h: refreshed 60 s early
  EXPECT_TRUE(cache.get(t0 + std::chrono::seconds(3538)));
  EXPECT_FALSE(cache.get(t0 + std::chrono::seconds(3539)));
  cache.invalidate();
  EXPECT_FALSE(cache.get(t0));
}

TEST(Schedule, RateLimiterSpacesRequests) {
  RateLimiter r(4.0);  // 250 ms apart
  EXPECT_EQ(r.reserve(1000), 1000);
  EXPECT_EQ(r.reserve(1000), 1250);
  EXPECT_EQ(r.reserve(1100), 1500);
  EXPECT_EQ(r.reserve(5000), 5000);
  PollConfig c;
  c.interval = std::chrono::seconds(30);
  EXPECT_EQ(nextPollMs(c, 1000), 31000);
  EXPECT_EQ(parseInterval("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parseInterval("15m"), std::chrono::minutes(15));
  EXPECT_EQ(parseInterval("7"), std::chrono::seconds(7));
  EXPECT_FALSE(parseInterval("7 s"));
}

}  // namespace
}  // namespace ordergate::carriers
