// Runs the mapping fuzz entry with the normal compiler over every shipped sample and bounded,
// deterministic mutations of them (byte flips, truncations, insertions of JSON/XML tokens,
// splices). A crash or an invalid event aborts and fails the test.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/support/json_compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern long g_mapping_fuzz_events;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  for (const char* name : {"easypost", "ups-xml", "woocommerce", "usps-xml", "aftership"}) {
    fs::path dir = fs::path(ORDERGATE_SOURCE_DIR) / "mappings" / name / "samples";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string file = e.path().filename().string();
      if (file.find(".expected.") == std::string::npos && file.find(".headers.") == std::string::npos) {
        out.push_back(ordergate::testing::readFile(e.path().string()));
      }
    }
  }
  return out;
}

TEST(MappingFuzzReplay, SamplesAndBoundedMutationsNeverCrashOrEmitInvalidEvents) {
  const std::vector<std::string> seeds = corpus();
  ASSERT_GT(seeds.size(), 10u);
  static const char* kTokens[] = {"\"", "{", "}", "[", "]", "<", ">", "</", "/>", "&amp;", ":", ",",
                                  "null", "-1", "1e308", "\"\\u0000\"", "\xff", "<![CDATA[", "0.001"};
  std::mt19937 rng(20261123);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int runs = 0;
  for (const std::string& s : seeds) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    ++runs;
  }
  // The seeds are real samples: they must produce events, or the replay exercises nothing.
  ASSERT_GT(g_mapping_fuzz_events, 5);
  for (int i = 0; i < 10000 && std::chrono::steady_clock::now() < deadline; ++i) {
    std::string input = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !input.empty(); ++k) {
      const std::size_t at = rng() % input.size();
      switch (rng() % 4) {
        case 0: input[at] = static_cast<char>(rng() % 256); break;
        case 1: input.resize(at); break;
        case 2: input.insert(at, kTokens[rng() % (sizeof kTokens / sizeof *kTokens)]); break;
        default: {
          const std::string& other = seeds[rng() % seeds.size()];
          input = input.substr(0, at) + other.substr(rng() % other.size());
        }
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++runs;
  }
  EXPECT_GT(runs, 100);
}

}  // namespace
