// Ingest driver: reads one Amazon report file through FileByteSource and the amazon_flat_file
// adapter (both passes, normalisation, validation) and prints rows/s and peak RSS.
//
//   amazon_file_bench FILE [--reuse | --next]   (one run per process, so ru_maxrss is this
//   run's peak)
//
// Default (and --reuse): reader->nextInto() into one FileOrder, as FileIngest — the gateway's
// upload, `ordergate ingest`, drop directory and SP-API paths — reads files. --next:
// reader->next(), a new FileOrder per order (the allocation-heavier API, for comparison).
//
// Generate inputs with tests/bench/gen_amazon_report.py.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string_view>

#include "adapters/amazon/amazon_file_adapter.hpp"
#include "adapters/common/byte_sources.hpp"

int main(int argc, char** argv) {
  using namespace ordergate::adapters;
  const std::string_view mode = argc == 3 ? std::string_view(argv[2]) : std::string_view("--reuse");
  if ((argc != 2 && argc != 3) || (mode != "--reuse" && mode != "--next")) {
    std::fprintf(stderr, "usage: %s REPORT_FILE [--reuse | --next]\n", argv[0]);
    return 2;
  }
  const bool reuse = mode == "--reuse";
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  auto settings = amazon::parseSettings(Settings("channels.amazon", root));
  if (!settings) {
    return 2;
  }
  const amazon::AmazonFileAdapter adapter("amazon", *settings);
  auto source = FileByteSource::open(argv[1]);
  if (!source) {
    std::fprintf(stderr, "%s\n", source.error().message.c_str());
    return 1;
  }
  FileContext ctx;
  ctx.channel_id = "amazon";
  ctx.file_name = argv[1];
  const auto start = std::chrono::steady_clock::now();
  auto reader = adapter.openReader(std::move(*source), ctx);
  std::size_t orders = 0;
  std::size_t events = 0;
  std::size_t problems = 0;
  if (reuse) {
    FileOrder order;
    while (reader->nextInto(order)) {
      ++orders;
      events += order.event ? 1 : 0;
      problems += order.problems.size();
    }
  } else {
    while (auto order = reader->next()) {
      ++orders;
      events += order->event ? 1 : 0;
      problems += order->problems.size();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto& summary = reader->summary();
  std::printf(
      "rows=%zu orders=%zu events=%zu problems=%zu file_errors=%zu seconds=%.3f rows_per_s=%.0f "
      "peak_rss_mib=%.1f peak_open_orders=%zu index_mib=%.1f encoding=\"%s\"\n",
      summary.rows, orders, events, problems, summary.file_errors.size(), seconds,
      static_cast<double>(summary.rows) / seconds, static_cast<double>(usage.ru_maxrss) / 1024.0,
      reader->peakOpenOrders(), static_cast<double>(reader->indexBytes()) / (1024.0 * 1024.0),
      summary.encoding.c_str());
  return summary.file_errors.empty() && problems == 0 ? 0 : 1;
}
