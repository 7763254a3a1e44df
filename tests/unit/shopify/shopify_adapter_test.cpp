#include "adapters/shopify/shopify_adapter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/shopify/shopify_order.hpp"

namespace ordergate::adapters::shopify {
namespace {

// Vectors: printf '%s' "$kBody" > b && openssl dgst -sha256 -hmac SECRET -binary < b | base64
constexpr std::string_view kBody =
    R"({"id":820982911946154508,"name":"#9999","updated_at":"2026-03-07T12:00:00-05:00"})";
constexpr std::string_view kMacHush = "Ni/WSYFk3CgGNitmBYmDPC2hWjvXGATfybgJ+cewtu8=";
constexpr std::string_view kMacOld = "1DAH6efsLWHf48zmqYUt0o9bmOaPKeni2vElMcvraps=";
constexpr std::string_view kMacNew = "NiBhkq7SBFpYmGWD3T58T/OEW5zpB17h5aS12YYNoow=";

SettingNode scalar(std::string v) {
  SettingNode n;
  n.scalar = std::move(v);
  return n;
}

SettingNode list(std::vector<std::string> values) {
  SettingNode n;
  n.kind = SettingNode::Kind::kList;
  for (auto& v : values) {
    n.list.push_back(scalar(std::move(v)));
  }
  return n;
}

Result<ChannelAdapterPtr> make(SettingNode secret, std::string shop = {}) {
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  root.map["adapter"] = scalar("shopify");
  root.map["secret"] = std::move(secret);
  if (!shop.empty()) {
    root.map["shop"] = scalar(std::move(shop));
  }
  return createShopifyAdapter(AdapterContext{"shop1", Settings("channels.shop1", root)});
}

struct Message {
  std::vector<Header> headers;
  std::string_view body = kBody;
  [[nodiscard]] InboundMessage view() const {
    InboundMessage m;
    m.channel_id = "shop1";
    m.body = body;
    m.headers = HeaderView(headers);
    return m;
  }
};

TEST(ShopifyVerify, AcceptsOpensslVector) {
  auto adapter = make(scalar("hush"));
  ASSERT_TRUE(adapter) << describe(adapter.error());
  Message m{{{"X-Shopify-Hmac-Sha256", kMacHush}}};
  EXPECT_TRUE((*adapter)->verify(m.view()));
  Message lower{{{"x-shopify-hmac-sha256", kMacHush}}};
  EXPECT_TRUE((*adapter)->verify(lower.view()));
}

TEST(ShopifyVerify, AcceptsEitherOfTwoSecretsDuringRotation) {
  auto adapter = make(list({"old-secret", "new-secret"}));
  ASSERT_TRUE(adapter);
  Message old_mac{{{"X-Shopify-Hmac-Sha256", kMacOld}}};
  Message new_mac{{{"X-Shopify-Hmac-Sha256", kMacNew}}};
  Message other{{{"X-Shopify-Hmac-Sha256", kMacHush}}};
  EXPECT_TRUE((*adapter)->verify(old_mac.view()));
  EXPECT_TRUE((*adapter)->verify(new_mac.view()));
  auto r = (*adapter)->verify(other.view());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "signature mismatch");
}

TEST(ShopifyVerify, RejectsWrongSecretTamperedBodyMissingHeaderEmptyBody) {
  auto adapter = make(scalar("wrong"));
  ASSERT_TRUE(adapter);
  Message m{{{"X-Shopify-Hmac-Sha256", kMacHush}}};
  EXPECT_EQ((*adapter)->verify(m.view()).error().message, "signature mismatch");

  auto right = make(scalar("hush"));
  std::string tampered(kBody);
  tampered.back() = ' ';
  Message t{{{"X-Shopify-Hmac-Sha256", kMacHush}}, tampered};
  EXPECT_EQ((*right)->verify(t.view()).error().message, "signature mismatch");

  Message missing{{{"X-Shopify-Topic", "orders/create"}}};
  auto r = (*right)->verify(missing.view());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "missing X-Shopify-Hmac-Sha256");

  Message empty{{{"X-Shopify-Hmac-Sha256", kMacHush}}, ""};
  EXPECT_EQ((*right)->verify(empty.view()).error().message, "empty body");

  Message hex_instead{{{"X-Shopify-Hmac-Sha256", "362fd6498164dc28"}}};
  EXPECT_FALSE((*right)->verify(hex_instead.view()));
}

TEST(ShopifyVerify, UnprefixedHeadersWinWhenPresent) {
  auto adapter = make(scalar("hush"));
  // Events delivery: both sets sent; the un-prefixed HMAC is the one checked.
  Message both{{{"X-Shopify-Hmac-Sha256", "bm90IGEgbWFj"}, {"shopify-hmac-sha256", kMacHush}}};
  EXPECT_TRUE((*adapter)->verify(both.view()));
  Message bad{{{"X-Shopify-Hmac-Sha256", kMacHush}, {"shopify-hmac-sha256", "bm90IGEgbWFj"}}};
  EXPECT_FALSE((*adapter)->verify(bad.view()));
}

TEST(ShopifyVerify, ShopMismatchIsUnauthenticated) {
  auto adapter = make(scalar("hush"), "good-shop.myshopify.com");
  ASSERT_TRUE(adapter);
  Message good{
      {{"X-Shopify-Hmac-Sha256", kMacHush}, {"X-Shopify-Shop-Domain", "Good-Shop.myshopify.com"}}};
  EXPECT_TRUE((*adapter)->verify(good.view()));
  Message other{
      {{"X-Shopify-Hmac-Sha256", kMacHush}, {"X-Shopify-Shop-Domain", "evil-shop.myshopify.com"}}};
  auto r = (*adapter)->verify(other.view());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "shop not allowed");
  Message none{{{"X-Shopify-Hmac-Sha256", kMacHush}}};
  EXPECT_EQ((*adapter)->verify(none.view()).error().message, "shop not allowed");
}

TEST(ShopifyConfig, ErrorsNameTheKey) {
  auto missing = make(list({}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "channels.shop1.secret");
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);

  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  root.map["secret"] = scalar("x");
  root.map["secrets"] = scalar("y");
  auto unknown = createShopifyAdapter(AdapterContext{"shop1", Settings("channels.shop1", root)});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "channels.shop1.secrets");

  root.map.erase("secrets");
  root.map["timezone"] = scalar("Mars/Olympus_Mons");
  auto zone = createShopifyAdapter(AdapterContext{"shop1", Settings("channels.shop1", root)});
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().field, "channels.shop1.timezone");
}

TEST(ShopifyTopics, FullOrderTopicsAndIgnoredOnes) {
  for (std::string_view t : {"orders/create", "orders/updated", "orders/paid", "orders/cancelled",
                             "orders/fulfilled", "orders/partially_fulfilled"}) {
    EXPECT_EQ(classifyTopic(t), TopicKind::kFullOrder) << t;
  }
  for (std::string_view t : {"orders/delete", "orders/edited", "refunds/create", "customers/create",
                             "ORDERS/CREATE", ""}) {
    EXPECT_EQ(classifyTopic(t), TopicKind::kNoOrder) << t;
  }
  EXPECT_NE(ignoreReason("orders/edited").find("orders/updated"), std::string::npos);
  EXPECT_NE(ignoreReason("refunds/create").find("orders/updated"), std::string::npos);
}

Normalized normalizeWith(std::vector<Header> headers, std::string_view body) {
  auto adapter = make(scalar("hush"));
  Message m{std::move(headers), body};
  return (*adapter)->normalize(m.view());
}

constexpr std::string_view kOrder = R"({
  "id": 9007199254740993, "name": "#1001", "currency": "USD",
  "created_at": "2026-03-01T10:00:00-05:00", "updated_at": "2026-03-01T10:00:05.250-05:00",
  "financial_status": "paid", "fulfillment_status": null, "taxes_included": false,
  "current_subtotal_price": "10.00", "current_total_discounts": "0.00",
  "current_total_tax": "0.00", "current_total_price": "10.00",
  "line_items": [{"id": 18446744073709551615, "variant_id": 9007199254740995,
                  "price": "10.00", "quantity": 1, "current_quantity": 1}]
})";

TEST(ShopifyNormalize, RoutesTopicsAndPicksDeliveryId) {
  auto ignored = normalizeWith(
      {{"X-Shopify-Topic", "orders/edited"}, {"X-Shopify-Webhook-Id", "wh-1"}}, kOrder);
  EXPECT_TRUE(ignored.events.empty());
  EXPECT_TRUE(ignored.errors.empty());
  EXPECT_NE(ignored.ignored.find("topic orders/edited"), std::string::npos);
  EXPECT_EQ(ignored.delivery_id, "wh-1");

  auto unknown = normalizeWith({{"X-Shopify-Topic", "products/update"}}, kOrder);
  EXPECT_FALSE(unknown.ignored.empty());

  auto no_topic = normalizeWith({}, kOrder);
  ASSERT_EQ(no_topic.errors.size(), 1u);
  EXPECT_EQ(no_topic.errors[0].field, "X-Shopify-Topic");

  auto created = normalizeWith({{"X-Shopify-Topic", "orders/create"},
                                {"X-Shopify-Event-Id", "ev-1"},
                                {"X-Shopify-Webhook-Id", "wh-1"},
                                {"X-Shopify-Shop-Domain", "s.myshopify.com"}},
                               kOrder);
  ASSERT_TRUE(created.errors.empty()) << describe(created.errors[0]);
  ASSERT_EQ(created.events.size(), 1u);
  EXPECT_EQ(created.delivery_id, "orders/create:ev-1");  // topic-scoped dedup key
  const auto& e = created.events[0];
  EXPECT_EQ(e.type, canonical::EventType::kOrderUpdated);
  EXPECT_EQ(e.source, "/channels/shop1");
  EXPECT_EQ(e.version, "2026-03-01T15:00:05.250Z");
  const auto& o = std::get<canonical::Order>(e.data);
  EXPECT_EQ(o.channel.store, "s.myshopify.com");
  EXPECT_EQ(o.source.delivery_id, "ev-1");
  EXPECT_EQ(o.source.topic, "orders/create");

  auto cancelled = normalizeWith({{"X-Shopify-Topic", "orders/cancelled"}}, kOrder);
  ASSERT_EQ(cancelled.events.size(), 1u);
  EXPECT_EQ(cancelled.events[0].type, canonical::EventType::kOrderCancelled);
}

TEST(ShopifyNormalize, IdsAbove2To53StayExact) {
  auto n = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, kOrder);
  ASSERT_EQ(n.events.size(), 1u);
  const auto& o = std::get<canonical::Order>(n.events[0].data);
  EXPECT_EQ(o.channel.order_id, "9007199254740993");  // 2^53 + 1: a double would say ...992
  EXPECT_EQ(o.order_key, "shop1:9007199254740993");
  EXPECT_EQ(o.lines[0].line_id, "18446744073709551615");  // uint64 max
  EXPECT_EQ(o.lines[0].channel_sku, "9007199254740995");

  std::string as_double(kOrder);
  as_double.replace(as_double.find("9007199254740993"), 16, "9.007199254740993e15");
  auto d = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, as_double);
  ASSERT_FALSE(d.errors.empty());
  EXPECT_EQ(d.errors[0].field, "id");
}

TEST(ShopifyNormalize, ErrorsCarryFieldPathsAndNoEvents) {
  std::string bad(kOrder);
  bad.replace(bad.find(R"("price": "10.00")"), 16, R"("price": "1,000")");
  auto n = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, bad);
  EXPECT_TRUE(n.events.empty());
  ASSERT_EQ(n.errors.size(), 1u);
  EXPECT_EQ(n.errors[0].field, "line_items[0].price");
  EXPECT_EQ(n.errors[0].message, "not a decimal amount \"1,000\"");

  auto json = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, "{\"id\": 1,");
  ASSERT_EQ(json.errors.size(), 1u);
  EXPECT_EQ(json.errors[0].message.rfind("not valid JSON", 0), 0u);

  auto array = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, "[1,2]");
  ASSERT_EQ(array.errors.size(), 1u);

  std::string no_lines(kOrder);
  no_lines.replace(no_lines.find("\"current_quantity\": 1"), 21, "\"current_quantity\": 9");
  auto q = normalizeWith({{"X-Shopify-Topic", "orders/updated"}}, no_lines);
  ASSERT_FALSE(q.errors.empty());
  EXPECT_EQ(q.errors[0].field, "line_items[0].current_quantity");
}

struct StatusCase {
  bool cancelled;
  std::string_view financial;
  std::string_view fulfillment;
  canonical::OrderStatus status;
};

TEST(ShopifyStatus, OrderStatusTable) {
  using S = canonical::OrderStatus;
  const StatusCase cases[] = {
      {false, "pending", "", S::kPendingPayment},
      {false, "pending", "unfulfilled", S::kPendingPayment},
      {false, "authorized", "", S::kOpen},
      {false, "paid", "", S::kOpen},
      {false, "partially_paid", "", S::kOpen},
      {false, "paid", "partial", S::kPartiallyShipped},
      {false, "pending", "partial", S::kPartiallyShipped},
      {false, "paid", "fulfilled", S::kShipped},
      {false, "refunded", "restocked", S::kCancelled},
      {true, "paid", "fulfilled", S::kCancelled},
      {true, "voided", "", S::kCancelled},
  };
  for (const auto& c : cases) {
    auto s = mapOrderStatus(c.cancelled, c.financial, c.fulfillment);
    ASSERT_TRUE(s) << c.financial << "/" << c.fulfillment;
    EXPECT_EQ(*s, c.status) << c.financial << "/" << c.fulfillment;
  }
  EXPECT_FALSE(mapOrderStatus(false, "paid", "shipped_by_owl"));
}

TEST(ShopifyStatus, PaymentStatusTable) {
  using P = canonical::PaymentStatus;
  const std::pair<std::string_view, P> cases[] = {
      {"pending", P::kPending},
      {"partially_paid", P::kPending},
      {"authorized", P::kAuthorized},
      {"paid", P::kPaid},
      {"partially_refunded", P::kPartiallyRefunded},
      {"refunded", P::kRefunded},
      {"voided", P::kVoided},
      {"expired", P::kVoided},
      {"", P::kUnknown},
      {"something_new", P::kUnknown},
  };
  for (const auto& [text, status] : cases) {
    EXPECT_EQ(mapPaymentStatus(text), status) << text;
  }
}

}  // namespace
}  // namespace ordergate::adapters::shopify

namespace ordergate::adapters::shopify {
namespace {

// The delivery key names one webhook delivery from its headers: Shopify retries with the same
// ones. Topic and shop are part of it (one event id can serve several topics).
TEST(ShopifyDeliveryKey, TopicShopAndEventIdElseWebhookId) {
  auto adapter = make(scalar("hush"));
  ASSERT_TRUE(adapter);
  Message both{{{"X-Shopify-Topic", "orders/updated"},
                {"X-Shopify-Shop-Domain", "a.myshopify.com"},
                {"X-Shopify-Event-Id", " ev-1 "},
                {"X-Shopify-Webhook-Id", "wh-1"}}};
  EXPECT_EQ((*adapter)->deliveryKey(both.view()), "orders/updated:a.myshopify.com:ev-1");
  Message webhook_only{{{"X-Shopify-Topic", "orders/paid"}, {"X-Shopify-Webhook-Id", "wh-2"}}};
  EXPECT_EQ((*adapter)->deliveryKey(webhook_only.view()), "orders/paid::wh-2");
  Message unprefixed{{{"shopify-hmac-sha256", kMacHush},
                      {"shopify-topic", "orders/create"},
                      {"shopify-shop-domain", "b.myshopify.com"},
                      {"shopify-event-id", "ev-3"}}};
  EXPECT_EQ((*adapter)->deliveryKey(unprefixed.view()), "orders/create:b.myshopify.com:ev-3");
  Message no_id{{{"X-Shopify-Topic", "orders/create"}}};
  EXPECT_EQ((*adapter)->deliveryKey(no_id.view()), "");
  Message no_topic{{{"X-Shopify-Event-Id", "ev-4"}}};
  EXPECT_EQ((*adapter)->deliveryKey(no_topic.view()), "");
}

}  // namespace
}  // namespace ordergate::adapters::shopify
