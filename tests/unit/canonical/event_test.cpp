#include "canonical/event.hpp"

#include <gtest/gtest.h>

#include <set>

#include "canonical/order.hpp"
#include "canonical/tracking.hpp"

namespace ordergate::canonical {
namespace {

std::string hexSha(std::string_view data) { return toHex(sha256(data)); }

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(hexSha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hexSha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hexSha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hexSha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmn"
                   "opqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hexSha(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
  const std::pair<std::size_t, std::string_view> cases[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  };
  for (const auto& [n, hex] : cases) {
    EXPECT_EQ(hexSha(std::string(n, 'x')), hex) << n;
  }
  EXPECT_EQ(sha256("abc").size(), 32u);
}

TEST(ToHex, Lowercase) { EXPECT_EQ(toHex(std::string("\x00\xff\x1a", 3)), "00ff1a"); }

TEST(EventType, Names) {
  const std::pair<EventType, std::string_view> cases[] = {
      {EventType::kOrderCreated, "order.created"},
      {EventType::kOrderUpdated, "order.updated"},
      {EventType::kOrderCancelled, "order.cancelled"},
      {EventType::kTrackingUpdated, "tracking.updated"},
  };
  for (const auto& [type, name] : cases) {
    EXPECT_EQ(toString(type), name);
    EXPECT_EQ(parseEventType(name), type);
  }
  EXPECT_EQ(parseEventType("order.deleted"), std::nullopt);
  EXPECT_EQ(parseEventType("Order.Created"), std::nullopt);
}

TEST(EventId, StableAndPinned) {
  const std::string id = eventId("shop1:1001", EventType::kOrderUpdated, "2026-03-01T08:15:00Z");
  EXPECT_EQ(id, "c8d5bef6ef461df826cf8be1ae3827d6");  // SHA-256 of "key\ntype\nversion", 32 hex
  EXPECT_EQ(id, eventId("shop1:1001", EventType::kOrderUpdated, "2026-03-01T08:15:00Z"));
}

TEST(EventId, DiffersByEachInput) {
  const std::string base = eventId("shop1:1001", EventType::kOrderUpdated, "v1");
  std::set<std::string> ids = {
      base,
      eventId("shop1:1002", EventType::kOrderUpdated, "v1"),
      eventId("shop1:1001", EventType::kOrderCreated, "v1"),
      eventId("shop1:1001", EventType::kOrderCancelled, "v1"),
      eventId("shop1:1001", EventType::kOrderUpdated, "v2"),
      // The separator keeps key/version boundaries apart.
      eventId("shop1:100", EventType::kOrderUpdated, "1v1"),
  };
  EXPECT_EQ(ids.size(), 6u);
  for (const auto& id : ids) {
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
}

std::string sortKey(std::string_view version) {
  auto r = versionSortKey(version);
  EXPECT_TRUE(r.has_value()) << version;
  return r ? *r : std::string();
}

TEST(VersionSortKey, TimeForm) {
  EXPECT_EQ(sortKey("2026-03-01T08:15:00Z"), "T2026-03-01T08:15:00.000Z");
  EXPECT_EQ(sortKey("2026-03-01T08:15:00.5Z"), "T2026-03-01T08:15:00.500Z");
  EXPECT_EQ(sortKey("2026-03-01T09:15:00+01:00"), "T2026-03-01T08:15:00.000Z");
  EXPECT_EQ(sortKey("2026-03-01 16:15:00 +0800"), "T2026-03-01T08:15:00.000Z");
}

TEST(VersionSortKey, ByteOrderIsTimeOrder) {
  EXPECT_LT(sortKey("2026-03-01T08:15:00Z"), sortKey("2026-03-01T08:15:00.500Z"));
  EXPECT_LT(sortKey("2026-03-01T08:15:00.999Z"), sortKey("2026-03-01T08:15:01Z"));
  // 10:00+05:00 is 05:00Z, earlier than 06:00Z even though "10" > "06" as text.
  EXPECT_LT(sortKey("2026-03-01T10:00:00+05:00"), sortKey("2026-03-01T06:00:00Z"));
  EXPECT_LT(sortKey("2026-03-01T01:00:00-05:00"), sortKey("2026-03-01T07:00:00Z"));
  EXPECT_EQ(sortKey("2026-03-01T03:00:00-05:00"), sortKey("2026-03-01T08:00:00Z"));
  EXPECT_LT(sortKey("2025-12-31T23:59:59Z"), sortKey("2026-01-01T00:00:00Z"));
}

TEST(VersionSortKey, NumberForm) {
  EXPECT_EQ(sortKey("0"), "N00000000000000000000");
  EXPECT_EQ(sortKey("42"), "N00000000000000000042");
  EXPECT_EQ(sortKey("0042"), "N00000000000000000042");
  EXPECT_EQ(sortKey("18446744073709551615"), "N18446744073709551615");
  EXPECT_LT(sortKey("9"), sortKey("10"));
  EXPECT_LT(sortKey("1709280000"), sortKey("1709280000123"));
}

TEST(VersionSortKey, RejectsUnorderable) {
  for (std::string_view bad : {"", "abc", "-5", "1.5", "2026-03-01T08:15:00", "2026-03-01",
                               "123456789012345678901", "v2", " 42"}) {
    auto r = versionSortKey(bad);
    ASSERT_FALSE(r.has_value()) << bad << " → " << *r;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find(std::string(bad)), std::string::npos);
  }
}

TEST(VersionSortKey, IsOrderableVersionAgreesWithTheKey) {
  for (std::string_view v :
       {"", "abc", "-5", "1.5", "2026-03-01T08:15:00", "2026-03-01", "123456789012345678901",
        "v2", " 42", "0", "42", "0042", "18446744073709551615", "99999999999999999999",
        "000000000000000000000000042", "2026-03-01T08:15:00Z", "2026-03-01T08:15:00.5Z",
        "2026-03-01T09:15:00+01:00", "2026-03-01 16:15:00 +0800", "2026-02-30T08:15:00Z",
        "2026-03-01T24:00:00Z", "2026-03-01T08:15:00+00:00 ", "2026-03-01T08:15:00+0000"}) {
    EXPECT_EQ(isOrderableVersion(v), versionSortKey(v).has_value()) << v;
  }
}

TEST(CloudEvent, FieldOrderAndEscaping) {
  CloudEventAttributes a;
  a.id = "c8d5bef6ef461df826cf8be1ae3827d6";
  a.source = "/channels/shop1";
  a.type = "order.updated";
  a.subject = "shop1:\"1001\"";
  a.time = "2026-03-01T08:15:00Z";
  a.received_at = "2026-03-01T08:15:02.120Z";
  a.dataschema = kOrderSchema;
  EXPECT_EQ(writeCloudEvent(a, R"({"order_key":"shop1:1001"})"),
            R"({"specversion":"1.0","id":"c8d5bef6ef461df826cf8be1ae3827d6",)"
            R"("source":"/channels/shop1","type":"order.updated","subject":"shop1:\"1001\"",)"
            R"("time":"2026-03-01T08:15:00Z","datacontenttype":"application/json",)"
            R"("dataschema":"urn:ordergate:canonical:order:v1",)"
            R"("receivedat":"2026-03-01T08:15:02.120Z","data":{"order_key":"shop1:1001"}})");
}

TEST(CloudEvent, OmitsEmptyOptionalAttributes) {
  CloudEventAttributes a;
  a.id = "abc";
  a.source = "/carriers/ups";
  a.type = "tracking.updated";
  EXPECT_EQ(writeCloudEvent(a, "{}"),
            R"({"specversion":"1.0","id":"abc","source":"/carriers/ups",)"
            R"("type":"tracking.updated","datacontenttype":"application/json","data":{}})");
}

TEST(Enums, OrderStatusNames) {
  const std::pair<OrderStatus, std::string_view> cases[] = {
      {OrderStatus::kPendingPayment, "pending_payment"},
      {OrderStatus::kOpen, "open"},
      {OrderStatus::kPartiallyShipped, "partially_shipped"},
      {OrderStatus::kShipped, "shipped"},
      {OrderStatus::kDelivered, "delivered"},
      {OrderStatus::kCancelled, "cancelled"},
      {OrderStatus::kReturned, "returned"},
      {OrderStatus::kFailed, "failed"},
  };
  for (const auto& [s, name] : cases) {
    EXPECT_EQ(toString(s), name);
    EXPECT_EQ(parseOrderStatus(name), s);
  }
  EXPECT_EQ(parseOrderStatus("shipping"), std::nullopt);
  EXPECT_EQ(parseOrderStatus("OPEN"), std::nullopt);
}

TEST(Enums, PaymentStatusNames) {
  const std::pair<PaymentStatus, std::string_view> cases[] = {
      {PaymentStatus::kPending, "pending"},
      {PaymentStatus::kAuthorized, "authorized"},
      {PaymentStatus::kPaid, "paid"},
      {PaymentStatus::kPartiallyRefunded, "partially_refunded"},
      {PaymentStatus::kRefunded, "refunded"},
      {PaymentStatus::kVoided, "voided"},
      {PaymentStatus::kUnknown, "unknown"},
  };
  for (const auto& [s, name] : cases) {
    EXPECT_EQ(toString(s), name);
    EXPECT_EQ(parsePaymentStatus(name), s);
  }
  EXPECT_EQ(parsePaymentStatus("authorised"), std::nullopt);
}

TEST(Enums, TrackingStatusNamesAndTerminal) {
  const std::tuple<TrackingStatus, std::string_view, bool> cases[] = {
      {TrackingStatus::kLabelCreated, "label_created", false},
      {TrackingStatus::kInTransit, "in_transit", false},
      {TrackingStatus::kOutForDelivery, "out_for_delivery", false},
      {TrackingStatus::kAvailableForPickup, "available_for_pickup", false},
      {TrackingStatus::kDelivered, "delivered", true},
      {TrackingStatus::kAttemptFailed, "attempt_failed", false},
      {TrackingStatus::kException, "exception", false},
      {TrackingStatus::kReturnedToSender, "returned_to_sender", true},
      {TrackingStatus::kCancelled, "cancelled", true},
      {TrackingStatus::kUnknown, "unknown", false},
  };
  for (const auto& [s, name, terminal] : cases) {
    EXPECT_EQ(toString(s), name);
    EXPECT_EQ(parseTrackingStatus(name), s);
    EXPECT_EQ(isTerminal(s), terminal) << name;
  }
  EXPECT_EQ(parseTrackingStatus("transit"), std::nullopt);
}

TEST(OrderKey, Joins) { EXPECT_EQ(makeOrderKey("shop1", "1001"), "shop1:1001"); }

}  // namespace
}  // namespace ordergate::canonical
