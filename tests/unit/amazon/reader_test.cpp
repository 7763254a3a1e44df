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

const std::vector<std::string> kColumns = {
    "amazon-order-id", "purchase-date", "last-updated-date", "order-status", "sales-channel",
    "product-name",    "sku",           "asin",              "item-status",  "quantity",
    "currency",        "item-price",    "item-tax",          "shipping-price",
    "item-promotion-discount", "ship-promotion-discount", "ship-country"};

// Builds an all-orders report; cells not given are empty.
struct Report {
  std::string text;
  std::string eol = "\n";
  Report() {
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      text += (i ? "\t" : "") + kColumns[i];
    }
    text += eol;
  }
  Report& row(std::map<std::string, std::string> cells) {
    std::map<std::string, std::string> base = {
        {"purchase-date", "2026-03-01T08:00:00+00:00"},
        {"last-updated-date", "2026-03-01T09:00:00+00:00"},
        {"order-status", "Unshipped"}, {"sales-channel", "Amazon.com"}, {"sku", "SKU-1"},
        {"asin", "B000000001"}, {"item-status", "Unshipped"}, {"quantity", "1"},
        {"currency", "USD"}, {"item-price", "10.00"}, {"ship-country", "US"}};
    for (auto& [k, v] : cells) {
      base[k] = v;
    }
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      text += (i ? "\t" : "") + base[kColumns[i]];
    }
    text += eol;
    return *this;
  }
};

const Order& orderOf(const FileOrder& o) {
  return std::get<Order>(o.event->data);
}

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

std::string orderId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "111-%07d-0000001", i);
  return buf;
}

// n orders of two rows; each order's second row comes `gap` rows after its first.
Report interleaved(int n, int gap) {
  Report r;
  for (int i = 0; i < n + gap; ++i) {
    if (i < n) {
      r.row({{"amazon-order-id", orderId(i)}, {"sku", "A"}});
    }
    if (i >= gap) {
      r.row({{"amazon-order-id", orderId(i - gap)}, {"sku", "B"}});
    }
  }
  return r;
}

struct Observed {
  testing::ReadResult result;
  std::size_t peak_open_orders = 0;
  std::size_t peak_open_rows = 0;
  std::size_t index_bytes = 0;
  std::size_t scattered = 0;
};

Observed readWith(const std::string& text, ReaderLimits limits) {
  auto adapter = makeAdapter();
  auto reader =
      adapter->openReader(std::make_unique<MemoryByteSource>(text), makeContext(), limits);
  Observed o;
  o.result = testing::readAll(*reader);
  o.peak_open_orders = reader->peakOpenOrders();
  o.peak_open_rows = reader->peakOpenRows();
  o.index_bytes = reader->indexBytes();
  o.scattered = reader->scatteredOrders();
  return o;
}

TEST(AmazonReader, MemoryIsBoundedByTheWindowNotTheFile) {
  // Orders whose rows are 3 rows apart stay local: nothing is scattered, pass 2 holds at most
  // the rows of the last `window_lines` lines, and pass 1 uses the same bytes for 2 000 and
  // 20 000 orders (fixed filter, window-sized map).
  ReaderLimits limits;
  limits.window_lines = 64;
  limits.filter_bytes = 64 * 1024;
  const Observed small = readWith(interleaved(2000, 3).text, limits);
  const Observed large = readWith(interleaved(20000, 3).text, limits);
  ASSERT_EQ(large.result.orders.size(), 20000u);
  for (const FileOrder& order : large.result.orders) {
    ASSERT_TRUE(order.event.has_value());
    ASSERT_EQ(order.lines.size(), 2u);
    ASSERT_GT(order.lines[1], order.lines[0] + 1);  // other orders' rows sit between
  }
  EXPECT_EQ(large.scattered, 0u);
  // The rows of the last window_lines lines, plus the earlier rows of the orders among them.
  EXPECT_LE(large.peak_open_rows, 2 * limits.window_lines);
  EXPECT_LE(large.peak_open_orders, limits.window_lines + 1);
  EXPECT_EQ(large.index_bytes, small.index_bytes);
  EXPECT_LT(large.index_bytes, limits.filter_bytes + 16 * 1024);
}

TEST(AmazonReader, OrdersAreReturnedInTheOrderOfTheirLastRow) {
  const Observed o = readWith(interleaved(50, 3).text, ReaderLimits{});
  ASSERT_EQ(o.result.orders.size(), 50u);
  for (std::size_t i = 1; i < o.result.orders.size(); ++i) {
    EXPECT_LT(o.result.orders[i - 1].lines.back(), o.result.orders[i].lines.back());
  }
}

TEST(AmazonReader, ScatteredOrdersAreStillGroupedAndSameOutput) {
  // Rows 3 apart with a window of 2 lines: every two-row order is scattered (exact map), and
  // the output must be the same as with the default window, where none is.
  const std::string text = interleaved(300, 3).text;
  const Observed local = readWith(text, ReaderLimits{});
  EXPECT_EQ(local.scattered, 0u);
  ReaderLimits tight;
  tight.window_lines = 2;
  const Observed scattered = readWith(text, tight);
  EXPECT_EQ(scattered.scattered, 300u);
  EXPECT_EQ(testing::resultJson(scattered.result), testing::resultJson(local.result));
  // Held while open: an order's first row until its second, so a few at a time.
  EXPECT_LE(scattered.peak_open_orders, 6u);
}

TEST(AmazonReader, OrderSplitFarApartIsOneOrder) {
  // The same order at the start and the end of a long file, far beyond the window.
  Report r;
  r.row({{"amazon-order-id", "111-9999999-0000001"}, {"sku", "FIRST"}});
  for (int i = 0; i < 3000; ++i) {
    r.row({{"amazon-order-id", orderId(i)}});
  }
  r.row({{"amazon-order-id", "111-9999999-0000001"}, {"sku", "LAST"}});
  const Observed o = readWith(r.text, ReaderLimits{});
  ASSERT_EQ(o.result.orders.size(), 3001u);
  EXPECT_EQ(o.scattered, 1u);
  const FileOrder& last = o.result.orders.back();
  EXPECT_EQ(last.order_id, "111-9999999-0000001");
  EXPECT_EQ(last.lines, (std::vector<std::size_t>{2, 3003}));
  ASSERT_TRUE(last.event.has_value());
  EXPECT_EQ(orderOf(last).lines.size(), 2u);
}

TEST(AmazonReader, FilterFalsePositivesOnlyTakeTheExactPath) {
  // A one-block filter saturates at once: almost every order is a false positive "maybe seen"
  // and goes through the scattered map. Same output as with the default filter.
  Report r = interleaved(500, 5);
  r.row({{"amazon-order-id", "S01-ABCDEFG-0000001"}, {"sku", "X"}})  // an id that does not pack
      .row({{"amazon-order-id", orderId(7)}, {"sku", "C"}})            // far from its rows
      .row({{"amazon-order-id", "S01-ABCDEFG-0000001"}, {"sku", "Y"}});
  ReaderLimits tiny;
  tiny.window_lines = 8;
  tiny.filter_bytes = 64;
  const Observed saturated = readWith(r.text, tiny);
  const Observed normal = readWith(r.text, ReaderLimits{});
  EXPECT_GT(saturated.scattered, 400u);
  EXPECT_EQ(normal.scattered, 1u);  // only order 7
  EXPECT_EQ(testing::resultJson(saturated.result), testing::resultJson(normal.result));
  const FileOrder& seven = normal.result.orders[normal.result.orders.size() - 2];
  EXPECT_EQ(seven.order_id, orderId(7));
  EXPECT_EQ(seven.lines.size(), 3u);
  const FileOrder& other = normal.result.orders.back();
  EXPECT_EQ(other.order_id, "S01-ABCDEFG-0000001");
  EXPECT_EQ(other.lines.size(), 2u);
}

TEST(AmazonReader, ReportTimeFastPathEqualsParseTimestamp) {
  auto zone = canonical::findTimeZone("Asia/Tokyo");
  ASSERT_TRUE(zone.has_value());
  std::vector<std::string> samples;
  char buf[64];
  for (int year : {1969, 1970, 2000, 2024, 2026, 2100, 9999}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day : {0, 1, 9, 10, 28, 29, 30, 31, 32}) {
        for (const char* time : {"00:00:00", "12:34:56", "23:59:59", "24:00:00", "10:60:00",
                                 "10:00:60", "1a:00:00"}) {
          std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%s+00:00", year, month, day, time);
          samples.emplace_back(buf);
        }
      }
    }
  }
  for (const char* odd : {"2026-02-01T10:00:00+01:00", "2026-02-01T10:00:00Z",
                          "2026-02-01 10:00:00+00:00", "2026-02-01T10:00:00+00:00 ",
                          "2026-02-01T10:00:00.5+00:00", "2026-02-01T10:00:00", "",
                          "2026-02-01T10:00:00-00:00", "2026/02/01T10:00:00+00:00"}) {
    samples.emplace_back(odd);
  }
  for (const std::string& text : samples) {
    const auto expected = canonical::parseTimestamp(text, *zone);
    const auto actual = parseReportTime(text, *zone);
    ASSERT_EQ(actual.has_value(), expected.has_value()) << text;
    if (expected) {
      ASSERT_EQ(*actual, *expected) << text;
    } else {
      ASSERT_EQ(actual.error().message, expected.error().message) << text;
    }
  }
}

TEST(OrderIdMap, PackedAndOtherIdsInsertFindErase) {
  EXPECT_EQ(packAmazonOrderId("123-4567890-1234567"), 12345678901234567ULL + 1);
  EXPECT_EQ(packAmazonOrderId("000-0000000-0000000"), 1u);
  EXPECT_EQ(packAmazonOrderId("S01-1234567-1234567"), 0u);
  OrderIdMap map;
  map.set(OrderKey::of("123-4567890-1234567"), 2);
  map.set(OrderKey::of("S01-1234567-1234567"), 3);
  map.set(OrderKey::of("123-4567890-1234567"), 9);
  ASSERT_NE(map.find(OrderKey::of("123-4567890-1234567")), nullptr);
  EXPECT_EQ(*map.find(OrderKey::of("123-4567890-1234567")), 9u);
  EXPECT_EQ(*map.find(OrderKey::of("S01-1234567-1234567")), 3u);
  EXPECT_EQ(map.find(OrderKey::of("123-4567890-1234568")), nullptr);
  EXPECT_EQ(map.size(), 2u);
  // Many inserts and erases in every pattern: erase must keep the other probe chains intact.
  for (int i = 0; i < 5000; ++i) {
    map.set(OrderKey::of("999-0000000-" + std::to_string(1000000 + i)), 100 + i);
  }
  for (int i = 0; i < 5000; i += 3) {
    EXPECT_TRUE(map.erase(OrderKey::of("999-0000000-" + std::to_string(1000000 + i))));
  }
  for (int i = 0; i < 5000; ++i) {
    const std::uint32_t* v = map.find(OrderKey::of("999-0000000-" + std::to_string(1000000 + i)));
    if (i % 3 == 0) {
      EXPECT_EQ(v, nullptr) << i;
    } else {
      ASSERT_NE(v, nullptr) << i;
      EXPECT_EQ(*v, static_cast<std::uint32_t>(100 + i));
    }
  }
  EXPECT_TRUE(map.erase(OrderKey::of("S01-1234567-1234567")));
  EXPECT_FALSE(map.erase(OrderKey::of("S01-1234567-1234567")));
}

TEST(BloomFilter, NoFalseNegativesAndFewFalsePositives) {
  BloomFilter filter(64 * 1024);  // 512 Kibit
  for (int i = 0; i < 40000; ++i) {  // 13 bits per key
    filter.add(OrderKey::of(orderId(i)).hash());
  }
  for (int i = 0; i < 40000; ++i) {
    ASSERT_TRUE(filter.mayContain(OrderKey::of(orderId(i)).hash()));
  }
  int false_positives = 0;
  for (int i = 40000; i < 80000; ++i) {
    false_positives += filter.mayContain(OrderKey::of(orderId(i)).hash()) ? 1 : 0;
  }
  EXPECT_LT(false_positives, 40000 / 50);  // < 2 %
  EXPECT_EQ(filter.memoryBytes(), 64u * 1024);
}

}  // namespace
}  // namespace ordergate::adapters::amazon
