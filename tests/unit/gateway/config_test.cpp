#include "gateway/config/config.hpp"

#include <map>

#include <gtest/gtest.h>

namespace ordergate::gateway::config {
namespace {

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

constexpr const char* kMinimal = R"(
server:
  listen: 127.0.0.1:8080
redis:
  url: redis://127.0.0.1:6379/0
oms:
  orders_url: http://127.0.0.1:9000/orders
  tracking_url: http://127.0.0.1:9000/tracking
  signing_secret: ${OMS_SIGNING_SECRET}
admin:
  token: ${ORDERGATE_ADMIN_TOKEN}
channels:
  shopify:   { adapter: shopify, secret: ${SHOPIFY_SECRET} }
  woo: { mapping: mappings/woocommerce/mapping.yaml, secret: x }
carriers:
  ups:       { adapter: ups }
)";

TEST(Config, ContractMinimalFileLoads) {
  auto cfg = parseConfig(kMinimal, "og.yaml",
                         env({{"OMS_SIGNING_SECRET", "whsec_abc"}, {"ORDERGATE_ADMIN_TOKEN", "t"},
                              {"SHOPIFY_SECRET", "s"}}));
  ASSERT_TRUE(cfg) << cfg.error().field << ": " << cfg.error().message;
  EXPECT_EQ(cfg->server.host, "127.0.0.1");
  EXPECT_EQ(cfg->server.port, 8080);
  EXPECT_EQ(cfg->oms.signing_secret, "whsec_abc");
  ASSERT_EQ(cfg->channels.size(), 2u);
  EXPECT_EQ(cfg->channels[0].id, "shopify");
  EXPECT_EQ(cfg->channels[0].adapter, "shopify");
  EXPECT_EQ(*cfg->channels[0].settings.required("secret"), "s");
  EXPECT_FALSE(cfg->channels[0].settings.has("adapter"));
  EXPECT_EQ(cfg->channels[1].mapping, "mappings/woocommerce/mapping.yaml");
  EXPECT_EQ(cfg->carriers.size(), 1u);
  EXPECT_EQ(cfg->pipeline.dedup_ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(cfg->retry.initial, std::chrono::seconds(1));
}

TEST(Config, MissingEnvVariableIsNamedWithTheKey) {
  auto cfg = parseConfig(kMinimal, "og.yaml", env({{"ORDERGATE_ADMIN_TOKEN", "t"}, {"SHOPIFY_SECRET", "s"}}));
  ASSERT_FALSE(cfg);
  EXPECT_EQ(cfg.error().code, ErrorCode::kConfig);
  EXPECT_NE(cfg.error().message.find("OMS_SIGNING_SECRET"), std::string::npos);
  EXPECT_EQ(cfg.error().field, "og.yaml:9: oms.signing_secret");
}

TEST(Config, UnknownKeysAndWrongTypesNameFileLineAndPath) {
  auto e = env({});
  auto top = parseConfig("oms: {orders_url: http://x/o}\nbogus: 1\n", "a.yaml", e);
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().field, "a.yaml:2: bogus");
  EXPECT_EQ(top.error().message, "unknown key");
  auto nested = parseConfig("oms: {orders_url: http://x/o}\nserver:\n  io_threads: lots\n", "b.yaml", e);
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field, "b.yaml:3: server.io_threads");
  auto url = parseConfig("oms: {orders_url: ftp://x}\n", "c.yaml", e);
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().field, "c.yaml:1: oms.orders_url");
  auto missing = parseConfig("server: {listen: 127.0.0.1:1}\n", "d.yaml", e);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().field.find("oms.orders_url"), std::string::npos);
  auto both = parseConfig("oms: {orders_url: http://x/o}\nchannels:\n  a: {adapter: x, mapping: y}\n", "e.yaml", e);
  ASSERT_FALSE(both);
  EXPECT_NE(both.error().message.find("exactly one"), std::string::npos);
  auto bad_id = parseConfig("oms: {orders_url: http://x/o}\nchannels:\n  Shop:1: {adapter: x}\n", "f.yaml", e);
  ASSERT_FALSE(bad_id);
  auto yaml = parseConfig("oms: [unclosed\n", "g.yaml", e);
  ASSERT_FALSE(yaml);
  EXPECT_NE(yaml.error().message.find("invalid YAML"), std::string::npos);
}

TEST(Config, InterpolationWithDefaults) {
  auto e = env({{"A", "1"}, {"EMPTY", ""}});
  EXPECT_EQ(*interpolateEnv("x${A}y", e), "x1y");
  EXPECT_EQ(*interpolateEnv("${B:-fallback}", e), "fallback");
  EXPECT_EQ(*interpolateEnv("${EMPTY:-fallback}", e), "");
  EXPECT_EQ(*interpolateEnv("${B:-}", e), "");
  EXPECT_FALSE(interpolateEnv("${B}", e));
  EXPECT_FALSE(interpolateEnv("${A", e));
  EXPECT_EQ(*interpolateEnv("no vars $ here", e), "no vars $ here");
}

TEST(Config, DurationsAndSizes) {
  EXPECT_EQ(*parseDuration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(*parseDuration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(*parseDuration("5m"), std::chrono::minutes(5));
  EXPECT_EQ(*parseDuration("7d"), std::chrono::hours(168));
  EXPECT_EQ(*parseDuration("1500"), std::chrono::milliseconds(1500));
  EXPECT_FALSE(parseDuration("10 s"));
  EXPECT_FALSE(parseDuration("-1s"));
  EXPECT_FALSE(parseDuration("1w"));
  EXPECT_EQ(*parseSize("2MiB"), 2u * 1024 * 1024);
  EXPECT_EQ(*parseSize("64KiB"), 64u * 1024);
  EXPECT_EQ(*parseSize("1GB"), 1000u * 1000 * 1000);
  EXPECT_FALSE(parseSize("lots"));
  EXPECT_FALSE(parseSize("3TiB"));
}

TEST(Config, SampleConfigOfTheRepositoryLoads) {
  auto cfg = loadConfig(std::string(ORDERGATE_SOURCE_DIR) + "/deploy/ordergate.yaml", env({}));
  ASSERT_TRUE(cfg) << cfg.error().field << ": " << cfg.error().message;
  EXPECT_EQ(cfg->server.port, 8080);
  EXPECT_EQ(cfg->oms.orders_url, "http://127.0.0.1:9000/orders");
  EXPECT_FALSE(cfg->channels.empty());
}

}  // namespace
}  // namespace ordergate::gateway::config
