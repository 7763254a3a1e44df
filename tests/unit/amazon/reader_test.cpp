#include "adapters/amazon/amazon_reader.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>

#include "adapters/amazon/tsv_reader.hpp"
#include "amazon_test_util.hpp"

namespace ordergate::adapters::amazon {
namespace {

using canonical::Order;
using testing::makeAdapter;
using testing::makeContext;
using testing::readBytes;

using testing::kColumns;
using testing::orderOf;
using testing::Report;

TEST(AmazonReader, GroupsNonAdjacentRowsAndKeepsLineNumbers) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"sku", "A"}})
      .row({{"amazon-order-id", "111-0000002-0000002"}})
      .row({{"amazon-order-id", "111-0000003-0000003"}})
      .row({{"amazon-order-id", "111-0000001-0000001"}, {"sku", "B"},
            {"last-updated-date", "2026-03-02T10:00:00+00:00"}});
  auto adapter = makeAdapter();
  auto result = readBytes(*adapter, r.text);
  ASSERT_EQ(result.orders.size(), 3u);
  EXPECT_EQ(result.orders[0].order_id, "111-0000002-0000002");
  EXPECT_EQ(result.orders[1].order_id, "111-0000003-0000003");
  const FileOrder& first = result.orders[2];
  EXPECT_EQ(first.order_id, "111-0000001-0000001");
  EXPECT_EQ(first.lines, (std::vector<std::size_t>{2, 5}));
  ASSERT_TRUE(first.event.has_value()) << (first.problems.empty() ? "" : first.problems[0].message);
  const Order& o = orderOf(first);
  ASSERT_EQ(o.lines.size(), 2u);
  EXPECT_EQ(o.lines[0].line_id, "A");
  EXPECT_EQ(o.lines[1].line_id, "B");
  EXPECT_EQ(o.source.line, "2,5");
  EXPECT_EQ(o.version, "2026-03-02T10:00:00Z");
  EXPECT_EQ(first.event->version, "2026-03-02T10:00:00Z");
  EXPECT_EQ(first.event->type, canonical::EventType::kOrderUpdated);
  EXPECT_EQ(first.event->subject, "amazon:111-0000001-0000001");
  EXPECT_EQ(first.event->source, "/channels/amazon");
  EXPECT_EQ(o.source.delivery_id, "report.tsv");
  EXPECT_EQ(o.source.topic, kAllOrdersByLastUpdate);
  EXPECT_EQ(first.raw.substr(0, 15), "amazon-order-id");
  EXPECT_EQ(std::count(first.raw.begin(), first.raw.end(), '\n'), 3);
  EXPECT_EQ(result.summary.rows, 4u);
  EXPECT_EQ(result.summary.orders, 3u);
}

TEST(AmazonReader, UnitPriceIsTheRowAmountDividedExactly) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"quantity", "4"},
         {"item-price", "103.96"}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_EQ(result.orders.size(), 1u);
  const Order& o = orderOf(result.orders[0]);
  EXPECT_EQ(o.lines[0].unit_price, 2599);
  EXPECT_EQ(o.lines[0].total, 10396);
  EXPECT_EQ(o.totals.subtotal, 10396);
}

TEST(AmazonReader, NonDivisibleAmountIsARowProblemOfThatOrderOnly) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"quantity", "3"}, {"item-price", "10.00"}})
      .row({{"amazon-order-id", "111-0000002-0000002"}, {"item-price", "1,5"}})
      .row({{"amazon-order-id", "111-0000003-0000003"}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_EQ(result.orders.size(), 3u);
  ASSERT_EQ(result.orders[0].problems.size(), 1u);
  EXPECT_FALSE(result.orders[0].event.has_value());
  EXPECT_EQ(result.orders[0].problems[0].line, 2u);
  EXPECT_EQ(result.orders[0].problems[0].column, "item-price");
  EXPECT_NE(result.orders[0].problems[0].message.find("not divisible by quantity 3"),
            std::string::npos);
  ASSERT_EQ(result.orders[1].problems.size(), 1u);
  EXPECT_EQ(result.orders[1].problems[0].line, 3u);
  EXPECT_EQ(result.orders[1].problems[0].column, "item-price");
  EXPECT_TRUE(result.orders[2].event.has_value());
  EXPECT_TRUE(result.orders[2].problems.empty());
}

TEST(AmazonReader, NegativePromotionDiscountsAreDiscounts) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"quantity", "2"}, {"item-price", "50.00"},
         {"item-tax", "4.00"}, {"shipping-price", "5.00"}, {"item-promotion-discount", "-6.5"},
         {"ship-promotion-discount", "-4.25"}});
  auto result = readBytes(*makeAdapter(), r.text);
  const Order& o = orderOf(result.orders[0]);
  EXPECT_EQ(o.lines[0].discount, 650);
  EXPECT_EQ(o.lines[0].unit_price, 2500);
  EXPECT_EQ(o.lines[0].total, 5000 - 650 + 400);  // US prices exclude tax
  EXPECT_EQ(o.totals.discount, 650 + 425);
  EXPECT_EQ(o.totals.total, 5000 + 500 - 1075 + 400);
  EXPECT_EQ(o.taxes_included, false);
}

TEST(AmazonReader, PendingOrdersHaveMoneyAbsentNotZero) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"order-status", "Pending"},
         {"currency", ""}, {"item-price", ""}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_TRUE(result.orders[0].event.has_value()) << result.orders[0].problems[0].message;
  const Order& o = orderOf(result.orders[0]);
  EXPECT_EQ(o.status, canonical::OrderStatus::kPendingPayment);
  EXPECT_EQ(o.payment_status, canonical::PaymentStatus::kPending);
  EXPECT_EQ(o.currency, "USD");  // from the marketplace
  EXPECT_FALSE(o.lines[0].unit_price.has_value());
  EXPECT_FALSE(o.lines[0].total.has_value());
  EXPECT_FALSE(o.totals.total.has_value());
  EXPECT_FALSE(o.totals.subtotal.has_value());
  const std::string json = canonical::writeOrderJson(o);
  EXPECT_EQ(json.find("\"totals\""), std::string::npos) << json;
  EXPECT_EQ(json.find("unit_price"), std::string::npos);
}

TEST(AmazonReader, CancelledOrdersAreCancelledEvents) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"order-status", "Cancelled"},
         {"item-status", "Cancelled"}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_TRUE(result.orders[0].event.has_value());
  EXPECT_EQ(result.orders[0].event->type, canonical::EventType::kOrderCancelled);
  EXPECT_EQ(orderOf(result.orders[0]).channel.status, "Cancelled");
}

TEST(AmazonReader, StatusMapping) {
  using canonical::OrderStatus;
  EXPECT_EQ(mapOrderStatus("Pending")->first, OrderStatus::kPendingPayment);
  EXPECT_EQ(mapOrderStatus("Unshipped")->first, OrderStatus::kOpen);
  EXPECT_EQ(mapOrderStatus("PartiallyShipped")->first, OrderStatus::kPartiallyShipped);
  EXPECT_EQ(mapOrderStatus("Shipped")->first, OrderStatus::kShipped);
  EXPECT_EQ(mapOrderStatus("Canceled")->first, OrderStatus::kCancelled);
  EXPECT_EQ(mapOrderStatus("Unfulfillable")->first, OrderStatus::kFailed);
  EXPECT_FALSE(mapOrderStatus("Lost").has_value());
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"order-status", "Lost"}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_EQ(result.orders[0].problems.size(), 1u);
  EXPECT_EQ(result.orders[0].problems[0].column, "order-status");
}

TEST(AmazonReader, MixedItemStatusesMakeAPartiallyShippedOrder) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"order-status", "Shipped"}, {"sku", "A"},
         {"item-status", "Shipped"}})
      .row({{"amazon-order-id", "111-0000001-0000001"}, {"order-status", "Shipped"}, {"sku", "B"},
            {"item-status", "Unshipped"}});
  auto result = readBytes(*makeAdapter(), r.text);
  EXPECT_EQ(orderOf(result.orders[0]).status, canonical::OrderStatus::kPartiallyShipped);
}

TEST(AmazonReader, MissingRequiredColumnIsAFileError) {
  auto result = readBytes(*makeAdapter(),
                          "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\t"
                          "quantity\tcurrency\n111-0000001-0000001\t\t\t\t\t\t\n");
  EXPECT_TRUE(result.orders.empty());
  ASSERT_EQ(result.summary.file_errors.size(), 1u);
  EXPECT_EQ(result.summary.file_errors[0].column, "item-price");
  EXPECT_EQ(result.summary.rows, 0u);
}

TEST(AmazonReader, EmptyFileAndEmptyOrderId) {
  EXPECT_EQ(readBytes(*makeAdapter(), "").summary.file_errors.size(), 1u);
  Report r;
  r.row({{"amazon-order-id", ""}}).row({{"amazon-order-id", "111-0000001-0000001"}});
  auto result = readBytes(*makeAdapter(), r.text);
  ASSERT_EQ(result.orders.size(), 2u);
  EXPECT_EQ(result.orders[0].problems[0].column, "amazon-order-id");
  EXPECT_TRUE(result.orders[1].event.has_value());
}

TEST(AmazonReader, CrlfBomTrailingBlankLinesAndNoFinalNewline) {
  Report r;
  r.eol = "\r\n";
  r.text = "\xEF\xBB\xBF" + r.text.substr(0, r.text.size() - 1) + "\r\n";
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"product-name", "Pillow 12\" x 18\""}});
  auto result = readBytes(*makeAdapter(), r.text + "\r\n\t\t\r\n");
  ASSERT_EQ(result.orders.size(), 1u);
  EXPECT_EQ(orderOf(result.orders[0]).lines[0].title, "Pillow 12\" x 18\"");
  EXPECT_EQ(result.summary.encoding, "UTF-8 (byte order mark)");
  r.text.resize(r.text.size() - 2);  // no final newline
  result = readBytes(*makeAdapter(), r.text);
  ASSERT_EQ(result.orders.size(), 1u);
  EXPECT_TRUE(result.orders[0].event.has_value());
}

TEST(AmazonReader, EncodingFromConfigContentTypeOrDetection) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}, {"product-name", "Caf\xE9 \x93Kork\x94"}});
  const std::string expected_title = "Caf\xC3\xA9 \xE2\x80\x9CKork\xE2\x80\x9D";
  // Detection: not valid UTF-8 → fallback windows-1252.
  auto detected = readBytes(*makeAdapter(), r.text);
  EXPECT_EQ(orderOf(detected.orders[0]).lines[0].title, expected_title);
  EXPECT_EQ(detected.summary.encoding.rfind("windows-1252 (fallback_encoding", 0), 0u)
      << detected.summary.encoding;
  // Content-Type charset.
  auto declared = readBytes(*makeAdapter(), r.text,
                            makeContext("r.tsv", "text/plain; charset=Cp1252"));
  EXPECT_EQ(declared.summary.encoding, "windows-1252 (Content-Type charset=Cp1252)");
  // ISO-8859-1 from config: 0x93 is a C1 control there, not a quote.
  auto latin1 = readBytes(*makeAdapter({{"encoding", "iso-8859-1"}}), r.text);
  EXPECT_EQ(latin1.summary.encoding, "ISO-8859-1 (config encoding)");
  EXPECT_EQ(orderOf(latin1.orders[0]).lines[0].title, "Caf\xC3\xA9 \xC2\x93Kork\xC2\x94");
  // Valid UTF-8 is detected as such.
  Report u;
  u.row({{"amazon-order-id", "111-0000001-0000001"}, {"product-name", expected_title}});
  auto utf8 = readBytes(*makeAdapter(), u.text);
  EXPECT_EQ(utf8.summary.encoding, "UTF-8 (detected: valid UTF-8)");
  EXPECT_EQ(orderOf(utf8.orders[0]).lines[0].title, expected_title);
  // Declared UTF-8 but is not: replaced, and said so.
  auto lying = readBytes(*makeAdapter(), r.text, makeContext("r.tsv", "text/plain; charset=utf8"));
  EXPECT_NE(lying.summary.encoding.find("U+FFFD"), std::string::npos);
  EXPECT_EQ(orderOf(lying.orders[0]).lines[0].title.substr(0, 6), "Caf\xEF\xBF\xBD");
}

TEST(AmazonReader, ShiftJisByFallbackSetting) {
  Report r;
  // 東京都 in Shift_JIS as the product name.
  r.row({{"amazon-order-id", "503-0000001-0000001"}, {"product-name", "\x93\x8C\x8B\x9E\x93\x73"},
         {"sales-channel", "Amazon.co.jp"}, {"currency", "JPY"}, {"item-price", "1500"},
         {"ship-country", "JP"}});
  auto result = readBytes(*makeAdapter({{"fallback_encoding", "shift_jis"}}), r.text);
  ASSERT_TRUE(result.orders[0].event.has_value());
  EXPECT_EQ(orderOf(result.orders[0]).lines[0].title, "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD");
  EXPECT_EQ(orderOf(result.orders[0]).lines[0].unit_price, 1500);
  EXPECT_EQ(result.summary.encoding.rfind("Shift_JIS (CP932)", 0), 0u);
}

TEST(AmazonReader, GzipBodiesAreAccepted) {
  Report r;
  r.row({{"amazon-order-id", "111-0000001-0000001"}});
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string packed(deflateBound(&z, r.text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(r.text.data());
  z.avail_in = static_cast<uInt>(r.text.size());
  z.next_out = reinterpret_cast<Bytef*>(packed.data());
  z.avail_out = static_cast<uInt>(packed.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  packed.resize(z.total_out);
  deflateEnd(&z);
  auto result = readBytes(*makeAdapter(), packed);
  ASSERT_EQ(result.orders.size(), 1u);
  EXPECT_TRUE(result.orders[0].event.has_value());
  auto corrupt = readBytes(*makeAdapter(), packed.substr(0, packed.size() - 12));
  EXPECT_EQ(corrupt.summary.file_errors.size(), 1u);
}

}  // namespace
}  // namespace ordergate::adapters::amazon
