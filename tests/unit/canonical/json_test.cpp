#include "canonical/json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ordergate::canonical {
namespace {

using ::testing::Contains;
using ::testing::UnorderedElementsAre;

Timestamp at(std::string_view rfc3339) {
  auto t = parseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t ? *t : Timestamp{};
}

Order fullOrder() {
  Order o;
  o.order_key = "shop1:1001";
  o.channel = {"shopify", "shop1", "1001", "#1001", "example.myshopify.com", "paid"};
  o.status = OrderStatus::kPartiallyShipped;
  o.payment_status = PaymentStatus::kPartiallyRefunded;
  o.placed_at = at("2026-03-01T08:00:00Z");
  o.updated_at = at("2026-03-01T08:15:00.250Z");
  o.version = "2026-03-01T08:15:00.250Z";
  o.currency = "USD";
  o.taxes_included = false;
  o.totals = {Money{3998}, Money{-500}, Money{0}, Money{280}, Money{3778}};
  OrderLine a;
  a.line_id = "L1";
  a.sku = "SKU-1";
  a.channel_sku = "v-111";
  a.title = "Mug \"large\" — blue";
  a.quantity = 2;
  a.unit_price = 1999;
  a.discount = 500;
  a.tax = 280;
  a.total = 3778;
  a.item_ids = {"i-1", "i-2"};
  a.status = "fulfilled";
  a.tracking_number = "1Z999AA10123456784";
  a.shipping_provider = "UPS";
  OrderLine b;
  b.line_id = "L2";
  b.quantity = 1;
  b.unit_price = 0;
  o.lines = {a, b};
  o.customer = Customer{"c-9", "ana@example.com", "Ana Ñúñez", "+1 555 0100"};
  o.ship_to = Address{"Ana", "ACME",  "1 Main St", "Apt 2",      "Springfield",
                      "IL",  "62701", "US",        "+1 555 0100"};
  o.bill_to = Address{"Ana", "", "1 Main St", "", "Springfield", "IL", "62701", "US", ""};
  o.shipping =
      Shipping{"UPS Ground", "Standard", at("2026-03-03T00:00:00Z"), at("2026-03-07T23:59:59Z")};
  o.test = true;
  o.source = {at("2026-03-01T08:15:02.120Z"), "d-77", "orders/updated", "12,57"};
  return o;
}

constexpr std::string_view kFullOrderJson =
    R"({"order_key":"shop1:1001","channel":{"type":"shopify","id":"shop1","order_id":"1001",)"
    R"("order_number":"#1001","store":"example.myshopify.com","status":"paid"},)"
    R"("status":"partially_shipped","payment_status":"partially_refunded",)"
    R"("placed_at":"2026-03-01T08:00:00Z","updated_at":"2026-03-01T08:15:00.250Z",)"
    R"("version":"2026-03-01T08:15:00.250Z","currency":"USD","taxes_included":false,)"
    R"("totals":{"subtotal":3998,"discount":-500,"shipping":0,"tax":280,"total":3778},)"
    R"("lines":[{"line_id":"L1","sku":"SKU-1","channel_sku":"v-111",)"
    R"("title":"Mug \"large\" — blue","quantity":2,"unit_price":1999,"discount":500,)"
    R"("tax":280,"total":3778,"item_ids":["i-1","i-2"],"status":"fulfilled",)"
    R"("tracking_number":"1Z999AA10123456784","shipping_provider":"UPS"},)"
    R"({"line_id":"L2","quantity":1,"unit_price":0}],)"
    R"("customer":{"id":"c-9","email":"ana@example.com","name":"Ana Ñúñez","phone":"+1 555 0100"},)"
    R"("ship_to":{"name":"Ana","company":"ACME","line1":"1 Main St","line2":"Apt 2",)"
    R"("city":"Springfield","region":"IL","postal_code":"62701","country_code":"US",)"
    R"("phone":"+1 555 0100"},)"
    R"("bill_to":{"name":"Ana","line1":"1 Main St","city":"Springfield","region":"IL",)"
    R"("postal_code":"62701","country_code":"US"},)"
    R"("shipping":{"method":"UPS Ground","service_level":"Standard",)"
    R"("ship_by":"2026-03-03T00:00:00Z","deliver_by":"2026-03-07T23:59:59Z"},)"
    R"("test":true,"source":{"received_at":"2026-03-01T08:15:02.120Z","delivery_id":"d-77",)"
    R"("topic":"orders/updated","line":"12,57"}})";

TEST(OrderJson, WritesFixedKeyOrder) { EXPECT_EQ(writeOrderJson(fullOrder()), kFullOrderJson); }

TEST(ClearForReuse, GivesADefaultOrderAndKeepsStringStorage) {
  Order o = fullOrder();
  o.order_key.assign(100, 'k');  // a heap buffer to keep
  const std::size_t capacity = o.order_key.capacity();
  clearForReuse(o);
  EXPECT_EQ(writeOrderJson(o), writeOrderJson(Order{}));
  EXPECT_EQ(o.status, Order{}.status);
  EXPECT_EQ(o.payment_status, Order{}.payment_status);
  EXPECT_FALSE(o.test);
  EXPECT_EQ(o.source.received_at, Timestamp{});
  EXPECT_TRUE(o.order_key.empty());
  EXPECT_EQ(o.order_key.capacity(), capacity);
}

TEST(OrderJson, RoundTripsFullOrder) {
  auto read = readOrderJson(kFullOrderJson);
  ASSERT_TRUE(read.has_value()) << describe(read.error().front());
  EXPECT_EQ(writeOrderJson(*read), kFullOrderJson);
  const Order& o = *read;
  EXPECT_EQ(o.channel.order_number, "#1001");
  EXPECT_EQ(o.status, OrderStatus::kPartiallyShipped);
  EXPECT_EQ(o.payment_status, PaymentStatus::kPartiallyRefunded);
  EXPECT_EQ(o.updated_at, at("2026-03-01T08:15:00.250Z"));
  EXPECT_EQ(o.taxes_included, false);
  EXPECT_EQ(o.totals.discount, -500);
  EXPECT_EQ(o.totals.shipping, 0);
  ASSERT_EQ(o.lines.size(), 2u);
  EXPECT_EQ(o.lines[0].title, "Mug \"large\" — blue");
  EXPECT_EQ(o.lines[0].item_ids, (std::vector<std::string>{"i-1", "i-2"}));
  EXPECT_EQ(o.lines[1].discount, std::nullopt);
  EXPECT_EQ(o.lines[1].unit_price, 0);
  ASSERT_TRUE(o.customer.has_value());
  EXPECT_EQ(o.customer->name, "Ana Ñúñez");
  ASSERT_TRUE(o.bill_to.has_value());
  EXPECT_EQ(o.bill_to->company, "");
  ASSERT_TRUE(o.shipping.has_value());
  EXPECT_EQ(o.shipping->deliver_by, at("2026-03-07T23:59:59Z"));
  EXPECT_TRUE(o.test);
  EXPECT_EQ(o.source.line, "12,57");
  EXPECT_EQ(o.source.received_at, at("2026-03-01T08:15:02.120Z"));
}

TEST(OrderJson, AbsentFieldsAreOmitted) {
  Order o;
  o.order_key = "shop1:1";
  o.customer = Customer{};         // present but empty: omitted
  o.ship_to = Address{};           // same
  o.shipping = Shipping{};         // same
  o.lines.push_back(OrderLine{});  // quantity is always written
  EXPECT_EQ(writeOrderJson(o),
            R"({"order_key":"shop1:1","status":"open","payment_status":"unknown",)"
            R"("lines":[{"quantity":0}],"test":false,)"
            R"("source":{"received_at":"1970-01-01T00:00:00Z"}})");
}

TEST(OrderJson, PartialObjectsKeepOnlyPresentMembers) {
  Order o;
  o.totals.total = 100;
  o.channel.id = "shop1";
  o.shipping = Shipping{};
  o.shipping->ship_by = at("2026-03-03T00:00:00Z");
  EXPECT_EQ(writeOrderJson(o),
            R"({"channel":{"id":"shop1"},"status":"open","payment_status":"unknown",)"
            R"("totals":{"total":100},"shipping":{"ship_by":"2026-03-03T00:00:00Z"},)"
            R"("test":false,"source":{"received_at":"1970-01-01T00:00:00Z"}})");
}

TEST(OrderJson, ReadsIdsGivenAsNumbersAndDefaultsTest) {
  auto o = readOrderJson(
      R"({"order_key":"shop1:12345678901234","channel":{"id":"shop1","order_id":12345678901234,)"
      R"("order_number":1001},"status":"open","lines":[{"line_id":7,"quantity":1,)"
      R"("item_ids":[1,"b"]}],"customer":null,"unknown_key":{"x":[1,2]}})");
  ASSERT_TRUE(o.has_value()) << describe(o.error().front());
  EXPECT_EQ(o->channel.order_id, "12345678901234");
  EXPECT_EQ(o->channel.order_number, "1001");
  EXPECT_EQ(o->lines[0].line_id, "7");
  EXPECT_EQ(o->lines[0].item_ids, (std::vector<std::string>{"1", "b"}));
  EXPECT_FALSE(o->test);
  EXPECT_FALSE(o->customer.has_value());
  EXPECT_EQ(o->payment_status, PaymentStatus::kUnknown);
}

TEST(OrderJson, CollectsEveryProblemWithItsPath) {
  auto o = readOrderJson(
      R"({"status":"shipping","payment_status":7,"placed_at":"yesterday",)"
      R"("updated_at":"2026-03-01T08:15:00","taxes_included":"yes",)"
      R"("totals":{"total":19.99,"tax":"2.80"},"channel":[],)"
      R"("lines":[{"quantity":1},{"quantity":1},{"quantity":"2"},{"quantity":1.5},"x"],)"
      R"("ship_to":{"country_code":true},"test":"no","source":{"received_at":5}})");
  ASSERT_FALSE(o.has_value());
  std::vector<std::string> described;
  for (const auto& e : o.error()) {
    described.push_back(describe(e));
  }
  EXPECT_THAT(
      described,
      UnorderedElementsAre(
          "status: unknown value \"shipping\"", "payment_status: must be a string",
          "placed_at: not an RFC 3339 time: \"yesterday\"",
          "updated_at: not an RFC 3339 time: \"2026-03-01T08:15:00\"",
          "taxes_included: must be a boolean", "totals.total: must be an integer (minor units)",
          "totals.tax: must be an integer (minor units)", "channel: must be an object",
          "lines[2].quantity: must be an integer", "lines[3].quantity: must be an integer",
          "lines[4]: must be an object", "ship_to.country_code: must be a string",
          "test: must be a boolean", "source.received_at: must be a string (RFC 3339 time)"));
}

TEST(OrderJson, StatusIsRequired) {
  auto o = readOrderJson(R"({"order_key":"a:b"})");
  ASSERT_FALSE(o.has_value());
  EXPECT_THAT(o.error(), Contains(FieldError{"status", "required"}));
}

TEST(OrderJson, RejectsInvalidJsonAndNonObjects) {
  for (std::string_view bad : {"", "{", "[1,2]", "\"order\"", "{\"a\":1,}", "null"}) {
    auto o = readOrderJson(bad);
    ASSERT_FALSE(o.has_value()) << bad;
    ASSERT_EQ(o.error().size(), 1u) << bad;
    EXPECT_EQ(o.error().front().field, "");
  }
  auto invalid_utf8 = readOrderJson("{\"status\":\"open\",\"order_key\":\"\xff\"}");
  EXPECT_FALSE(invalid_utf8.has_value());
}

TEST(OrderJson, MoneyOutOfInt64RangeIsAnError) {
  auto o = readOrderJson(R"({"status":"open","totals":{"total":18446744073709551615}})");
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().front().field, "totals.total");
}

TrackingUpdate fullTracking() {
  TrackingUpdate u;
  u.carrier = "ups";
  u.tracking_number = "1Z999AA10123456784";
  u.status = TrackingStatus::kDelivered;
  u.sub_status = "front_door";
  u.carrier_status = {"KB", "Delivered"};
  u.occurred_at = at("2026-03-05T15:04:00Z");
  u.location = {"Springfield", "IL", "62701", "US"};
  u.estimated_delivery = "2026-03-05";
  TrackingEvent e1;
  e1.status = TrackingStatus::kInTransit;
  e1.carrier_status = {"I", "Departed from facility"};
  e1.occurred_at = at("2026-03-04T02:10:00Z");
  e1.location = {"Louisville", "KY", "", "US"};
  e1.local_time = "20260303 211000";
  e1.zone_source = "location";
  e1.description = "Departed\tfacility";
  TrackingEvent e2;
  e2.status = TrackingStatus::kDelivered;
  e2.sub_status = "front_door";
  e2.carrier_status = {"KB", "Delivered"};
  e2.occurred_at = at("2026-03-05T15:04:00Z");
  e2.local_time = "2026-03-05 09:04:00";
  e2.zone_source = "default";
  u.events = {e1, e2};
  u.order_key = "shop1:1001";
  u.source = {at("2026-03-05T15:05:00Z"), "", "poll", ""};
  return u;
}

constexpr std::string_view kFullTrackingJson =
    R"({"carrier":"ups","tracking_number":"1Z999AA10123456784","status":"delivered",)"
    R"("sub_status":"front_door","carrier_status":{"code":"KB","text":"Delivered"},)"
    R"("occurred_at":"2026-03-05T15:04:00Z","location":{"city":"Springfield","region":"IL",)"
    R"("postal_code":"62701","country_code":"US"},"estimated_delivery":"2026-03-05",)"
    R"("events":[{"status":"in_transit","carrier_status":{"code":"I",)"
    R"("text":"Departed from facility"},"occurred_at":"2026-03-04T02:10:00Z",)"
    R"("location":{"city":"Louisville","region":"KY","country_code":"US"},)"
    R"("local_time":"20260303 211000","zone_source":"location",)"
    R"("description":"Departed\tfacility"},)"
    R"({"status":"delivered","sub_status":"front_door","carrier_status":{"code":"KB",)"
    R"("text":"Delivered"},"occurred_at":"2026-03-05T15:04:00Z",)"
    R"("local_time":"2026-03-05 09:04:00","zone_source":"default"}],)"
    R"("order_key":"shop1:1001","source":{"received_at":"2026-03-05T15:05:00Z","topic":"poll"}})";

TEST(TrackingJson, WritesFixedKeyOrder) {
  EXPECT_EQ(writeTrackingJson(fullTracking()), kFullTrackingJson);
}

TEST(TrackingJson, RoundTrips) {
  auto read = readTrackingJson(kFullTrackingJson);
  ASSERT_TRUE(read.has_value()) << describe(read.error().front());
  EXPECT_EQ(writeTrackingJson(*read), kFullTrackingJson);
  ASSERT_EQ(read->events.size(), 2u);
  EXPECT_EQ(read->events[0].description, "Departed\tfacility");
  EXPECT_EQ(read->events[0].location.postal_code, "");
  EXPECT_EQ(read->events[1].occurred_at, at("2026-03-05T15:04:00Z"));
  EXPECT_EQ(read->status, TrackingStatus::kDelivered);
}

TEST(TrackingJson, MinimalAndEstimatedDeliveryTime) {
  TrackingUpdate u;
  u.carrier = "dhl";
  u.tracking_number = "123";
  u.estimated_delivery = "2026-03-14T18:00:00Z";
  const std::string json = writeTrackingJson(u);
  EXPECT_EQ(json, R"({"carrier":"dhl","tracking_number":"123","status":"unknown",)"
                  R"("estimated_delivery":"2026-03-14T18:00:00Z",)"
                  R"("source":{"received_at":"1970-01-01T00:00:00Z"}})");
  auto back = readTrackingJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(writeTrackingJson(*back), json);
}

TEST(TrackingJson, ReportsBadEventsWithPaths) {
  auto u = readTrackingJson(
      R"({"carrier":"ups","status":"lost","estimated_delivery":"next week",)"
      R"("events":[{"status":"in_transit","occurred_at":"2026-03-04T02:10:00Z"},)"
      R"({"status":"delivered"},{"status":"in_transit","occurred_at":"2026-03-04"}]})");
  ASSERT_FALSE(u.has_value());
  std::vector<std::string> described;
  for (const auto& e : u.error()) {
    described.push_back(describe(e));
  }
  EXPECT_THAT(described,
              UnorderedElementsAre("status: unknown value \"lost\"",
                                   "estimated_delivery: not an RFC 3339 time or ISO date: "
                                   "\"next week\"",
                                   "events[1].occurred_at: required",
                                   "events[2].occurred_at: not an RFC 3339 time: \"2026-03-04\""));
}

std::string jsonString(std::string_view text) {
  std::string out = "prefix:";
  appendJsonString(out, text);
  return out;
}

TEST(AppendJsonString, Escapes) {
  EXPECT_EQ(jsonString("plain"), "prefix:\"plain\"");
  EXPECT_EQ(jsonString(""), "prefix:\"\"");
  EXPECT_EQ(jsonString("a\"b\\c/d"), R"(prefix:"a\"b\\c/d")");
  EXPECT_EQ(jsonString("\n\r\t\b\f"), R"(prefix:"\n\r\t\b\f")");
  EXPECT_EQ(jsonString(std::string_view("\x00\x01\x1f\x7f", 4)),
            "prefix:\"\\u0000\\u0001\\u001f\x7f\"");
}

TEST(AppendJsonString, Utf8PassesThroughInvalidIsReplaced) {
  EXPECT_EQ(jsonString("é 日本 😀"), "prefix:\"é 日本 😀\"");
  EXPECT_EQ(jsonString("a\xff"
                       "b"),
            "prefix:\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(jsonString("\xc3"), "prefix:\"\xEF\xBF\xBD\"");                  // truncated
  EXPECT_EQ(jsonString("\xc0\xaf"), "prefix:\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
  EXPECT_EQ(jsonString("\xed\xa0\x80"),                                      // surrogate
            "prefix:\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(AppendJsonString, ReadsBackIdentically) {
  Order o;
  o.order_key = "q\"\\\n\t\x01 é 😀 \x1f end";
  auto back = readOrderJson(writeOrderJson(o));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->order_key, o.order_key);
}

}  // namespace
}  // namespace ordergate::canonical
