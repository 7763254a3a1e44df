// Golden tests: every golden/<case>.tsv is read with the channel settings of
// golden/<case>.settings (key=value lines, optional) and compared with
// golden/<case>.expected.json. Encoded copies golden/<case>.<encoding>.tsv (cp1252, sjis) must
// give the same orders and summary, except for the summary's encoding, which must name the
// copy's encoding. ORDERGATE_UPDATE_GOLDEN=1 writes <case>.actual.json next to the expected
// file for review (never over it).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "amazon_test_util.hpp"
#include "tests/support/json_compare.hpp"

namespace ordergate::adapters::amazon {
namespace {

namespace fs = std::filesystem;
using ordergate::testing::jsonDiff;
using ordergate::testing::jsonPretty;
using ordergate::testing::readFile;

fs::path goldenDir() {
  const char* root = std::getenv("ORDERGATE_SOURCE_DIR");
  return fs::path(root != nullptr ? root : ORDERGATE_SOURCE_DIR) / "tests/unit/amazon/golden";
}

std::map<std::string, std::string> readSettings(const fs::path& path) {
  std::map<std::string, std::string> values;
  if (!fs::exists(path)) {
    return values;
  }
  std::istringstream in(readFile(path.string()));
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (!line.empty() && line[0] != '#' && eq != std::string::npos) {
      values[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return values;
}

struct Case {
  std::string name;       // e.g. all_orders_eu
  std::string encoding;   // "", "cp1252", "sjis"
  fs::path input;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& entry : fs::directory_iterator(goldenDir())) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".tsv") {
      continue;
    }
    std::string stem = entry.path().stem().string();
    std::string encoding;
    if (const auto dot = stem.find('.'); dot != std::string::npos) {
      encoding = stem.substr(dot + 1);
      stem = stem.substr(0, dot);
    }
    out.push_back(Case{stem, encoding, entry.path()});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) {
    return a.input.string() < b.input.string();
  });
  return out;
}

TEST(AmazonGolden, EveryCaseMatchesItsExpectedOutput) {
  const auto all = cases();
  ASSERT_GE(all.size(), 5u);
  for (const Case& c : all) {
    SCOPED_TRACE(c.input.filename().string());
    auto adapter = testing::makeAdapter(readSettings(goldenDir() / (c.name + ".settings")));
    ASSERT_NE(adapter, nullptr);
    // Every copy is read under the UTF-8 file's name so source.delivery_id is the same.
    const auto result = testing::readBytes(*adapter, readFile(c.input.string()),
                                           testing::makeContext(c.name + ".tsv"));
    const std::string actual = testing::resultJson(result);
    const fs::path expected_path = goldenDir() / (c.name + ".expected.json");
    if (std::getenv("ORDERGATE_UPDATE_GOLDEN") != nullptr && c.encoding.empty()) {
      std::ofstream(goldenDir() / (c.name + ".actual.json")) << jsonPretty(actual) << "\n";
    }
    if (!fs::exists(expected_path)) {
      ADD_FAILURE() << "missing " << expected_path;
      continue;
    }
    std::string expected = readFile(expected_path.string());
    if (!c.encoding.empty()) {
      const std::string copy_encoding =
          c.encoding == "cp1252" ? "windows-1252" : c.encoding == "sjis" ? "Shift_JIS" : "?";
      EXPECT_EQ(result.summary.encoding.rfind(copy_encoding, 0), 0u) << result.summary.encoding;
      // Same orders; the summary's encoding is the copy's own.
      auto relabelled = result;
      const auto utf8 = testing::readBytes(
          *adapter, readFile((goldenDir() / (c.name + ".tsv")).string()),
          testing::makeContext(c.name + ".tsv"));
      relabelled.summary.encoding = utf8.summary.encoding;
      EXPECT_EQ(jsonDiff(expected, testing::resultJson(relabelled)), "")
          << jsonPretty(testing::resultJson(relabelled));
      continue;
    }
    EXPECT_EQ(jsonDiff(expected, actual), "") << jsonPretty(actual);
    // nextInto() refills one FileOrder (good orders after quarantined ones and back): the
    // same orders as next().
    auto reader = adapter->open(std::make_unique<MemoryByteSource>(readFile(c.input.string())),
                                testing::makeContext(c.name + ".tsv"));
    testing::ReadResult reused;
    FileOrder order;
    while (reader->nextInto(order)) {
      reused.orders.push_back(order);
    }
    reused.summary = reader->summary();
    EXPECT_EQ(jsonDiff(expected, testing::resultJson(reused)), "");
    ASSERT_EQ(reused.orders.size(), result.orders.size());
    for (std::size_t i = 0; i < reused.orders.size(); ++i) {
      EXPECT_EQ(reused.orders[i].raw, result.orders[i].raw);
    }
  }
}

}  // namespace
}  // namespace ordergate::adapters::amazon
