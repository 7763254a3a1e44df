// Google Benchmark: Amazon all-orders report ingest (both passes, normalisation, validation)
// over an in-memory report; items_per_second = rows/s.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "adapters/amazon/amazon_file_adapter.hpp"
#include "adapters/common/byte_sources.hpp"

namespace {

using namespace ordergate::adapters;

// Same shape as gen_amazon_report.py: 1-3 rows per order, later rows a few rows apart.
std::string generateReport(int orders, int& rows) {
  std::string out =
      "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
      "fulfillment-channel\tsales-channel\torder-channel\turl\tship-service-level\tproduct-name\t"
      "sku\tasin\tnumber-of-items\titem-status\tquantity\tcurrency\titem-price\titem-tax\t"
      "shipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\t"
      "ship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
      "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation\tcpf\r\n";
  std::vector<std::pair<int, std::string>> deferred;
  rows = 0;
  char buf[512];
  auto row = [&](int order, int item) {
    const int qty = 1 + (order + item) % 4;
    const int unit = 999 + (order * 7 + item * 13) % 9000;
    const int price = unit * qty;
    const int tax = price * 8 / 100;
    std::snprintf(buf, sizeof buf,
                  "%03d-%07d-%07d\t%03d-%07d-%07d\t2026-02-%02dT10:%02d:00+00:00\t"
                  "2026-02-%02dT12:%02d:30+00:00\tShipped\tAmazon\tAmazon.com\t\t\tStandard\t"
                  "Trendy Home 12\" x 18\" Pillow Cover\tSKU-%05d\tB0%08d\t1\tShipped\t%d\tUSD\t"
                  "%d.%02d\t%d.%02d\t4.99\t0.40\t\t\t-1.00\t\tAustin\tTX\t78701\tUS\t\tfalse\t\t\t"
                  "\r\n",
                  100 + order % 900, order / 1000, order % 10000000, 100 + order % 900,
                  order / 1000, order % 10000000, 1 + order % 28, order % 60, 1 + order % 28,
                  (order + item) % 60, (order * 3 + item) % 50000, (order + item) % 100000000,
                  qty, price / 100, price % 100, tax / 100, tax % 100);
    return std::string(buf);
  };
  for (int order = 0; order < orders; ++order) {
    out += row(order, 0);
    ++rows;
    const int n = order % 10 < 6 ? 1 : order % 10 < 9 ? 2 : 3;
    for (int item = 1; item < n; ++item) {
      deferred.emplace_back(rows + item + order % 17, row(order, item));
    }
    for (std::size_t i = 0; i < deferred.size();) {
      if (deferred[i].first <= rows) {
        out += deferred[i].second;
        ++rows;
        deferred.erase(deferred.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
  }
  for (auto& d : deferred) {
    out += d.second;
    ++rows;
  }
  return out;
}

void BM_AmazonIngest(benchmark::State& state) {
  int rows = 0;
  const std::string report = generateReport(static_cast<int>(state.range(0)), rows);
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  const amazon::AmazonFileAdapter adapter(
      "amazon", *amazon::parseSettings(Settings("channels.amazon", root)));
  FileContext ctx;
  ctx.channel_id = "amazon";
  ctx.file_name = "bench.tsv";
  std::size_t problems = 0;
  for (auto _ : state) {
    auto reader = adapter.open(std::make_unique<MemoryByteSource>(report), ctx);
    while (auto order = reader->next()) {
      problems += order->problems.size();
      benchmark::DoNotOptimize(order);
    }
  }
  if (problems != 0) {
    state.SkipWithError("orders with problems in the generated report");
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(report.size()));
  state.counters["rows"] = rows;
}
BENCHMARK(BM_AmazonIngest)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
