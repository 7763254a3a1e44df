// Bounded, deterministic mutation replay of the golden inputs through the whole reader (the CI
// stand-in for tests/fuzz/amazon_fuzz.cpp, which needs clang's libFuzzer). Checks that nothing
// crashes or throws and that the reader's invariants hold for every mutant.

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "amazon_test_util.hpp"
#include "canonical/validate.hpp"
#include "tests/support/json_compare.hpp"

namespace ordergate::adapters::amazon {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> seeds() {
  const char* root = std::getenv("ORDERGATE_SOURCE_DIR");
  const fs::path dir =
      fs::path(root != nullptr ? root : ORDERGATE_SOURCE_DIR) / "tests/unit/amazon/golden";
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".tsv") {
      paths.push_back(e.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const auto& p : paths) {
    out.push_back(ordergate::testing::readFile(p.string()));
  }
  return out;
}

std::string mutate(std::string s, std::mt19937& rng) {
  static const char kInteresting[] = {'\t', '\n', '\r', '"', '-', '.', ',', '0', '9', ' ',
                                      '\x80', '\xff', '\x1f', '\x8b', '\xef', '\x00'};
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t pos = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s[pos] = kInteresting[rng() % sizeof(kInteresting)];
        break;
      case 1:
        s.erase(pos, 1 + rng() % 16);
        break;
      case 2:
        s.insert(pos, 1, kInteresting[rng() % sizeof(kInteresting)]);
        break;
      case 3:  // duplicate a chunk (rows appear twice, apart)
        s.insert(rng() % s.size(), s.substr(pos, 1 + rng() % 200));
        break;
      default:
        s[pos] = static_cast<char>(rng());
    }
  }
  return s;
}

TEST(AmazonFuzzReplay, MutantsNeverCrashAndKeepInvariants) {
  const auto inputs = seeds();
  ASSERT_FALSE(inputs.empty());
  auto adapter = testing::makeAdapter();
  std::mt19937 rng(20260302);
  for (int i = 0; i < 3000; ++i) {
    const std::string bytes = mutate(inputs[i % inputs.size()], rng);
    const auto result = testing::readBytes(*adapter, bytes);
    if (!result.summary.file_errors.empty()) {
      continue;
    }
    for (const FileOrder& o : result.orders) {
      ASSERT_FALSE(o.lines.empty());
      ASSERT_NE(o.event.has_value(), !o.problems.empty()) << "mutant " << i;
      if (o.event) {
        const auto& order = std::get<canonical::Order>(o.event->data);
        ASSERT_TRUE(canonical::validate(order).empty());
        ASSERT_EQ(order.channel.order_id, o.order_id);
        // The JSON must be parseable (valid UTF-8, escaped).
        const std::string json = canonical::writeOrderJson(order);
        ASSERT_EQ(ordergate::testing::jsonDiff(json, json), "");
      }
    }
  }
}

}  // namespace
}  // namespace ordergate::adapters::amazon
