// Declared signature schemes. Vectors computed with openssl over the exact bytes, e.g.
//   printf '%s' '{"id":727,"status":"processing"}' | openssl dgst -sha256 -hmac woo-secret -binary
//   | base64
#include <chrono>

#include "adapters/mapping/mapping.hpp"
#include "canonical/time.hpp"
#include "tests/unit/mapping/mapping_test_util.hpp"

namespace ordergate::adapters::mapping::test {
namespace {

constexpr std::string_view kBody = R"({"id":727,"status":"processing"})";

Result<ChannelAdapterPtr> adapterFor(const std::string& signature_yaml, SettingNode settings) {
  auto tree = gateway::config::parseYamlTree(channelYaml("", signature_yaml), kFile);
  EXPECT_TRUE(tree);
  auto plan = compileMapping(*tree, kFile);
  EXPECT_TRUE(plan) << (plan ? "" : describe(plan.error()));
  return createMappingAdapter(
      AdapterContext{"shop", Settings("channels.shop", std::move(settings))}, *plan);
}

SettingNode settingsWith(std::vector<std::pair<std::string, std::string>> kv) {
  SettingNode n;
  n.kind = SettingNode::Kind::kMap;
  for (auto& [k, v] : kv) {
    SettingNode s;
    s.scalar = v;
    n.map.emplace(k, s);
  }
  return n;
}

Result<void> verify(const ChannelAdapter& a, std::vector<Header> headers,
                    std::string_view body = kBody) {
  InboundMessage msg;
  msg.channel_id = "shop";
  msg.body = body;
  msg.headers = HeaderView(headers);
  msg.received_at = *canonical::parseRfc3339("2026-01-01T00:01:00Z");
  return a.verify(msg);
}

TEST(MappingSignature, Base64OverBody) {
  auto a = adapterFor("signature: {scheme: hmac-sha256, header: X-WC-Webhook-Signature}\n",
                      settingsWith({{"secret", "woo-secret"}}));
  ASSERT_TRUE(a) << describe(a.error());
  const std::vector<Header> good = {
      {"x-wc-webhook-signature", "LvZUOgju7ekgfsyNofEgI6eG086kg6Y0Xx+IyVWgGCg="}};
  EXPECT_TRUE(verify(**a, good));
  auto tampered = verify(**a, good, R"({"id":728,"status":"processing"})");
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(tampered.error().message, "signature mismatch");
  auto missing = verify(**a, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "missing X-WC-Webhook-Signature");
}

TEST(MappingSignature, HexWithPrefix) {
  auto a = adapterFor(
      "signature: {scheme: hmac-sha256, header: X-Hmac-Signature, encoding: hex, "
      "prefix: \"hmac-sha256-hex=\", secret_setting: webhook_secret}\n",
      settingsWith({{"webhook_secret", "ep-secret"}}));
  ASSERT_TRUE(a) << describe(a.error());
  EXPECT_TRUE(verify(
      **a, {{"X-Hmac-Signature",
             "hmac-sha256-hex=f06948466ad9ae91d3832522b0f87fcaacda80bcecfdb60da73b3bfcc5f3b6b4"}}));
  EXPECT_TRUE(verify(
      **a, {{"X-Hmac-Signature",
             "hmac-sha256-hex=F06948466AD9AE91D3832522B0F87FCAACDA80BCECFDB60DA73B3BFCC5F3B6B4"}}));
  EXPECT_FALSE(verify(**a, {{"X-Hmac-Signature",
                             "f06948466ad9ae91d3832522b0f87fcaacda80bcecfdb60da73b3bfcc5f3b6b4"}}));
}

TEST(MappingSignature, TemplateOfHeadersAndBodyWithTimestampTolerance) {
  auto a = adapterFor(
      "signature: {scheme: hmac-sha256, header: webhook-signature, prefix: \"v1,\", separator: \" "
      "\", "
      "message: \"{header:webhook-id}.{header:webhook-timestamp}.{body}\", "
      "timestamp_header: webhook-timestamp, tolerance_seconds: 300, secret_encoding: base64}\n",
      settingsWith({{"secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}));
  ASSERT_TRUE(a) << describe(a.error());
  std::vector<Header> h = {
      {"webhook-id", "msg_2Kf8"},
      {"webhook-timestamp", "1767225600"},
      {"webhook-signature", "v1,AAAA v1,alWZzO808HgWtiRQIwwiq4vWYaxh5F/gaINhOxbbr6c="}};
  EXPECT_TRUE(verify(**a, h));
  h[1].value = "1767220000";  // 5660 s before received_at: outside tolerance
  auto old = verify(**a, h);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message, "timestamp outside tolerance");
}

TEST(MappingSignature, StaticTokenAndConfigErrors) {
  auto a = adapterFor("signature: {scheme: token, header: credential, prefix: \"Bearer \"}\n",
                      settingsWith({{"secret", "s3cret"}}));
  ASSERT_TRUE(a);
  EXPECT_TRUE(verify(**a, {{"credential", "Bearer s3cret"}}));
  EXPECT_FALSE(verify(**a, {{"credential", "Bearer s3cre"}}));
  auto no_secret = adapterFor("signature: {scheme: hmac-sha256, header: X}\n", settingsWith({}));
  ASSERT_FALSE(no_secret);
  EXPECT_EQ(no_secret.error().field, "channels.shop.secret");
  auto unknown = adapterFor("", settingsWith({{"mapping", "m.yaml"}, {"colour", "red"}}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "channels.shop.colour");
  auto zone = adapterFor("", settingsWith({{"timezone", "Nowhere/City"}}));
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().field, "channels.shop.timezone");
}

TEST(MappingAdapter, NormalizeUsesSettingsAndZone) {
  auto tree = gateway::config::parseYamlTree(
      channelYaml("  placed_at: t\n", "", ", store: {setting: store}"), kFile);
  ASSERT_TRUE(tree);
  auto plan = compileMapping(*tree, kFile);
  ASSERT_TRUE(plan);
  auto a = createMappingAdapter(
      AdapterContext{"shop", Settings("channels.shop", settingsWith({{"store", "s-1"},
                                                                     {"timezone", "Asia/Tokyo"}}))},
      *plan);
  ASSERT_TRUE(a) << describe(a.error());
  EXPECT_EQ((*a)->type(), "t");
  InboundMessage msg;
  msg.channel_id = "shop";
  const std::string body = R"({"id": 9, "t": "2026-03-01 09:00:00", "lines": [{}]})";
  msg.body = body;
  msg.received_at = *canonical::parseRfc3339("2026-01-01T00:00:00Z");
  const Normalized n = (*a)->normalize(msg);
  ASSERT_TRUE(n.errors.empty()) << describe(n.errors.front());
  ASSERT_EQ(n.events.size(), 1u);
  const auto& order = std::get<canonical::Order>(n.events[0].data);
  EXPECT_EQ(order.channel.store, "s-1");
  EXPECT_EQ(order.order_key, "shop:9");
  EXPECT_EQ(canonical::formatRfc3339(*order.placed_at), "2026-03-01T00:00:00Z");
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
