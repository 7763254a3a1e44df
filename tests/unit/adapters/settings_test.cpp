#include "adapters/common/settings.hpp"

#include <gtest/gtest.h>

#include "adapters/adapter.hpp"
#include "adapters/common/headers.hpp"

namespace ordergate::adapters {
namespace {

SettingNode scalar(std::string v) {
  SettingNode n;
  n.scalar = std::move(v);
  return n;
}

Settings sample() {
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  root.map["secret"] = scalar("s3cret");
  root.map["count"] = scalar("12");
  root.map["bad_count"] = scalar("12x");
  root.map["strict"] = scalar("yes");
  SettingNode secrets;
  secrets.kind = SettingNode::Kind::kList;
  secrets.list = {scalar("a"), scalar("b")};
  root.map["secrets"] = secrets;
  return Settings("channels.shop", root);
}

TEST(Settings, ReadsScalarsListsAndNamesMissingKeys) {
  Settings s = sample();
  EXPECT_EQ(*s.required("secret"), "s3cret");
  auto missing = s.required("app_key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "channels.shop.app_key");
  EXPECT_EQ(*s.optional("app_key", "x"), "x");
  EXPECT_EQ(s.list("secrets")->size(), 2u);
  EXPECT_EQ(s.list("secret")->size(), 1u);
  EXPECT_TRUE(s.list("nothing")->empty());
  EXPECT_EQ(*s.integer("count", 0), 12);
  EXPECT_FALSE(s.integer("bad_count", 0));
  EXPECT_TRUE(*s.flag("strict", false));
  EXPECT_FALSE(s.required("secrets"));
}

TEST(Settings, AllowOnlyNamesTheUnknownKey) {
  Settings s = sample();
  auto r = s.allowOnly({"secret", "count", "bad_count", "strict"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "channels.shop.secrets");
  EXPECT_TRUE(s.allowOnly({"secret", "count", "bad_count", "strict", "secrets"}));
}

TEST(Headers, LookupIsCaseInsensitive) {
  Header hs[] = {{"X-Shopify-Topic", "orders/create"}, {"content-type", "application/json"}};
  HeaderView v(hs);
  EXPECT_EQ(v.get("x-shopify-topic"), "orders/create");
  EXPECT_EQ(v.get("Content-Type"), "application/json");
  EXPECT_EQ(v.get("missing"), "");
  EXPECT_FALSE(v.has("missing"));
}

TEST(Registry, UnknownAdapterIsAConfigErrorNamingTheKey) {
  AdapterRegistry reg;
  reg.add("dummy", [](const AdapterContext&) -> Result<ChannelAdapterPtr> { return nullptr; });
  AdapterContext ctx{"shop", sample()};
  auto r = reg.create("nope", ctx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConfig);
  EXPECT_EQ(r.error().field, "channels.shop.adapter");
  EXPECT_NE(r.error().message.find("dummy"), std::string::npos);
}

}  // namespace
}  // namespace ordergate::adapters
