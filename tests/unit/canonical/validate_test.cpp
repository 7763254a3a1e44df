#include "canonical/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ordergate::canonical {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Timestamp at(std::string_view rfc3339) { return *parseRfc3339(rfc3339); }

Order validOrder() {
  Order o;
  o.channel.type = "shopify";
  o.channel.id = "shop1";
  o.channel.order_id = "1001";
  o.order_key = "shop1:1001";
  o.version = "2026-03-01T08:15:00Z";
  o.currency = "USD";
  OrderLine line;
  line.line_id = "L1";
  line.quantity = 1;
  o.lines.push_back(line);
  o.ship_to = Address{};
  o.ship_to->country_code = "GB";
  return o;
}

std::vector<std::string> described(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) {
    out.push_back(describe(e));
  }
  return out;
}

TEST(ValidateOrder, ValidOrderHasNoProblems) {
  EXPECT_THAT(validate(validOrder()), IsEmpty());
  Order numeric = validOrder();
  numeric.version = "1709280000123";
  EXPECT_THAT(validate(numeric), IsEmpty());
}

TEST(ValidateOrder, EmptyOrderReportsEveryRequiredField) {
  EXPECT_THAT(
      described(validate(Order{})),
      UnorderedElementsAre("channel.type: required", "channel.id: required",
                           "channel.order_id: required", "order_key: required", "version: required",
                           "currency: required", "lines: must not be empty"));
}

TEST(ValidateOrder, OrderKeyMustMatchChannel) {
  Order o = validOrder();
  o.order_key = "shop1:1002";
  EXPECT_THAT(described(validate(o)),
              ElementsAre("order_key: \"shop1:1002\" is not channel.id:channel.order_id "
                          "\"shop1:1001\""));
  // Same length, the difference elsewhere: separator, channel part, missing or extra bytes.
  for (std::string key : {"shop1;1001", "shop2:1001", "shop1:100", "shop1:10011", "shop11001",
                          ":shop11001", "shop1:1001 "}) {
    o.order_key = key;
    EXPECT_EQ(validate(o).size(), 1u) << key;
  }
  o.order_key = "shop1:1001";
  EXPECT_TRUE(validate(o).empty());
  // A channel id with ':' in it is compared as the whole concatenation.
  o.channel.id = "a:b";
  o.channel.order_id = "c";
  o.order_key = "a:b:c";
  EXPECT_TRUE(validate(o).empty());
  o.channel.id = "a";
  o.channel.order_id = "b:c";
  EXPECT_TRUE(validate(o).empty());
}

TEST(ValidateOrder, CurrencyAndCountries) {
  Order o = validOrder();
  o.currency = "XXY";
  o.ship_to->country_code = "UK";
  o.bill_to = Address{};
  o.bill_to->country_code = "gb";
  EXPECT_THAT(validate(o),
              UnorderedElementsAre(
                  FieldError{"currency", "unknown ISO 4217 code \"XXY\""},
                  FieldError{"ship_to.country_code", "not an ISO 3166-1 alpha-2 code: \"UK\""},
                  FieldError{"bill_to.country_code", "not an ISO 3166-1 alpha-2 code: \"gb\""}));
}

TEST(ValidateOrder, LinesWithPaths) {
  Order o = validOrder();
  OrderLine zero;
  zero.line_id = "L2";
  zero.quantity = 0;
  OrderLine nameless;
  nameless.quantity = -1;
  o.lines.push_back(zero);
  o.lines.push_back(nameless);
  EXPECT_THAT(validate(o), UnorderedElementsAre(FieldError{"lines[1].quantity", "must be > 0"},
                                                FieldError{"lines[2].line_id", "required"},
                                                FieldError{"lines[2].quantity", "must be > 0"}));
}

TEST(ValidateOrder, BlankPlaceholdersAndUnorderableVersion) {
  Order o = validOrder();
  o.channel.type = "  ";
  o.lines[0].line_id = " ";
  o.version = "yesterday";
  EXPECT_THAT(
      described(validate(o)),
      UnorderedElementsAre("channel.type: must not be blank", "lines[0].line_id: must not be blank",
                           "version: not orderable: \"yesterday\""));
}

TrackingUpdate validTracking() {
  TrackingUpdate u;
  u.carrier = "ups";
  u.tracking_number = "1Z999AA10123456784";
  TrackingEvent a;
  a.status = TrackingStatus::kInTransit;
  a.occurred_at = at("2026-03-04T02:10:00Z");
  TrackingEvent b;
  b.status = TrackingStatus::kDelivered;
  b.occurred_at = at("2026-03-05T15:04:00Z");
  b.location.country_code = "US";
  u.events = {a, b};
  u.status = TrackingStatus::kDelivered;
  u.occurred_at = b.occurred_at;
  u.estimated_delivery = "2026-03-05";
  return u;
}

TEST(ValidateTracking, ValidHasNoProblems) {
  EXPECT_THAT(validate(validTracking()), IsEmpty());
  TrackingUpdate no_events;
  no_events.carrier = "dhl";
  no_events.tracking_number = "123";
  EXPECT_THAT(validate(no_events), IsEmpty());
}

TEST(ValidateTracking, RequiredAndSpaces) {
  EXPECT_THAT(described(validate(TrackingUpdate{})),
              UnorderedElementsAre("carrier: required", "tracking_number: required"));
  TrackingUpdate u = validTracking();
  u.tracking_number = "1Z 999";
  EXPECT_THAT(described(validate(u)),
              ElementsAre("tracking_number: must not contain spaces: \"1Z 999\""));
}

TEST(ValidateTracking, EventsOldestFirstAndStatusOfLatest) {
  TrackingUpdate u = validTracking();
  std::swap(u.events[0], u.events[1]);
  EXPECT_THAT(described(validate(u)),
              UnorderedElementsAre(
                  "events[1].occurred_at: events must be oldest first: 2026-03-04T02:10:00Z is "
                  "before 2026-03-05T15:04:00Z",
                  "status: \"delivered\" is not the latest event's \"in_transit\"",
                  "occurred_at: 2026-03-05T15:04:00Z is not the latest event's "
                  "2026-03-04T02:10:00Z"));
}

TEST(ValidateTracking, CountriesAndEstimatedDelivery) {
  TrackingUpdate u = validTracking();
  u.location.country_code = "USA";
  u.events[0].location.country_code = "XX";
  u.estimated_delivery = "soon";
  EXPECT_THAT(
      validate(u),
      UnorderedElementsAre(
          FieldError{"location.country_code", "not an ISO 3166-1 alpha-2 code: \"USA\""},
          FieldError{"events[0].location.country_code", "not an ISO 3166-1 alpha-2 code: \"XX\""},
          FieldError{"estimated_delivery", "not an RFC 3339 time or ISO date: \"soon\""}));
}

}  // namespace
}  // namespace ordergate::canonical
