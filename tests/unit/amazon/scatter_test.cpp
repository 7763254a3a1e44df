// The reader's memory design: pass-1 window and Bloom filter, the scattered-order path, the
// order of emitted orders, and the structures behind them (OrderIdMap, BloomFilter). Also the
// report date-time fast path.

#include <gtest/gtest.h>

#include <map>

#include "adapters/amazon/amazon_reader.hpp"
#include "adapters/amazon/fast_parse.hpp"
#include "amazon_test_util.hpp"

namespace ordergate::adapters::amazon {
namespace {

using canonical::Order;
using testing::makeAdapter;
using testing::makeContext;

using testing::kColumns;
using testing::orderOf;
using testing::Report;

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
