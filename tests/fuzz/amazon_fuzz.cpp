// libFuzzer target for the Amazon flat-file reader (whole path: gunzip detection, two passes,
// encodings, normalisation). Build with clang: -fsanitize=fuzzer,address; seed corpus:
// tests/unit/amazon/golden/*.tsv. The first input byte picks the channel's encoding settings so
// every decoder is reached. CI runs the bounded deterministic replay in
// tests/unit/amazon/fuzz_replay_test.cpp instead (no clang needed).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "adapters/amazon/amazon_file_adapter.hpp"
#include "adapters/common/byte_sources.hpp"
#include "canonical/json.hpp"

namespace {

using namespace ordergate::adapters;

const amazon::AmazonFileAdapter& adapterFor(std::uint8_t selector) {
  static const auto make = [](const char* encoding, const char* fallback) {
    SettingNode root;
    root.kind = SettingNode::Kind::kMap;
    if (encoding != nullptr) {
      root.map["encoding"].scalar = encoding;
    }
    root.map["fallback_encoding"].scalar = fallback;
    root.map["timezone"].scalar = "Asia/Tokyo";
    return amazon::AmazonFileAdapter("fuzz", *amazon::parseSettings(Settings("fuzz", root)));
  };
  static const amazon::AmazonFileAdapter kAdapters[] = {
      make(nullptr, "windows-1252"), make(nullptr, "shift_jis"), make("iso-8859-1", "cp1252"),
      make("utf-8", "cp1252")};
  return kAdapters[selector % 4];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto& adapter = adapterFor(data[0]);
  FileContext ctx;
  ctx.channel_id = "fuzz";
  ctx.file_name = "fuzz.tsv";
  auto reader = adapter.open(std::make_unique<MemoryByteSource>(std::string(
                                 reinterpret_cast<const char*>(data) + 1, size - 1)),
                             ctx);
  while (auto order = reader->next()) {
    if (order->event.has_value() == !order->problems.empty()) {
      __builtin_trap();  // an order is either normalised or has problems, never both
    }
    if (order->event) {
      (void)ordergate::canonical::writeOrderJson(
          std::get<ordergate::canonical::Order>(order->event->data));
    }
  }
  return 0;
}
