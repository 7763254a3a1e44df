// Runs every sample of every mapping in mappings/*/ through runMappingTest and compares the
// result with the expected file beside it:
//   samples/01-basic.json            input payload (any extension but .expected.json/.headers.json)
//   samples/01-basic.headers.json    optional {"Header-Name": "value", …}
//   samples/01-basic.expected.json   [events…] | {"errors": ["…", …]} | {"ignored": "reason"}
// ORDERGATE_UPDATE_GOLDEN=1 rewrites the expected files from the actual output (review them!).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/mapping/mapping.hpp"
#include "canonical/json.hpp"
#include "gateway/config/yaml_tree.hpp"
#include "tests/support/json_compare.hpp"

namespace ordergate::adapters::mapping {
namespace {

namespace fs = std::filesystem;

struct Sample {
  std::string mapping;  // "woocommerce"
  fs::path input;
  std::string name;  // "woocommerce/01-basic"
};

fs::path sourceDir() {
  const char* env = std::getenv("ORDERGATE_SOURCE_DIR");
  return env != nullptr ? fs::path(env) : fs::path(ORDERGATE_SOURCE_DIR);
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<Sample> discover() {
  std::vector<Sample> samples;
  const fs::path root = sourceDir() / "mappings";
  if (!fs::exists(root)) {
    return samples;
  }
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!fs::exists(dir.path() / "mapping.yaml") || !fs::exists(dir.path() / "samples")) {
      continue;
    }
    for (const auto& f : fs::directory_iterator(dir.path() / "samples")) {
      const std::string file = f.path().filename().string();
      if (!f.is_regular_file() || endsWith(file, ".expected.json") ||
          endsWith(file, ".headers.json") || file[0] == '.') {
        continue;
      }
      const std::string mapping = dir.path().filename().string();
      samples.push_back(Sample{mapping, f.path(), mapping + "/" + f.path().stem().string()});
    }
  }
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.name < b.name; });
  return samples;
}

fs::path besides(const fs::path& input, std::string_view suffix) {
  return input.parent_path() / (input.stem().string() + std::string(suffix));
}

std::vector<std::pair<std::string, std::string>> readHeaders(const fs::path& file) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!fs::exists(file)) {
    return headers;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  const std::string text = testing::readFile(file.string());
  if (parser.parse(text).get(object) != simdjson::SUCCESS) {
    ADD_FAILURE() << file << ": not a JSON object";
    return headers;
  }
  for (auto field : object) {
    std::string_view value;
    if (field.value.get(value) == simdjson::SUCCESS) {
      headers.emplace_back(std::string(field.key), std::string(value));
    }
  }
  return headers;
}

// The actual result in the expected file's shape.
std::string actualDocument(int rc, const std::string& out, const std::string& err) {
  if (rc == 0 && err.rfind("ignored: ", 0) == 0) {
    std::string reason = err.substr(9);
    while (!reason.empty() && reason.back() == '\n') {
      reason.pop_back();
    }
    std::string doc = "{\"ignored\":";
    canonical::appendJsonString(doc, reason);
    return doc + "}";
  }
  if (rc == 0) {
    return out;
  }
  std::string doc = "{\"errors\":[";
  std::size_t start = 0;
  bool first = true;
  while (start < err.size()) {
    const std::size_t end = err.find('\n', start);
    const std::string line = err.substr(start, end - start);
    if (!line.empty()) {
      doc += first ? "" : ",";
      canonical::appendJsonString(doc, line);
      first = false;
    }
    start = end == std::string::npos ? err.size() : end + 1;
  }
  return doc + "]}";
}

void PrintTo(const Sample& s, std::ostream* os) { *os << s.name; }

class MappingGolden : public ::testing::TestWithParam<Sample> {};

TEST_P(MappingGolden, MatchesExpected) {
  const Sample& s = GetParam();
  const fs::path mapping_path = sourceDir() / "mappings" / s.mapping / "mapping.yaml";
  auto tree = gateway::config::loadYamlTree(mapping_path.string());
  ASSERT_TRUE(tree) << describe(tree.error());
  const std::string input = testing::readFile(s.input.string());
  const auto headers = readHeaders(besides(s.input, ".headers.json"));
  std::string out;
  std::string err;
  const int rc =
      runMappingTest(*tree, "mappings/" + s.mapping + "/mapping.yaml", input, headers, out, err);
  const std::string actual = actualDocument(rc, out, err);
  const fs::path expected_path = besides(s.input, ".expected.json");
  if (const char* update = std::getenv("ORDERGATE_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(expected_path) << testing::jsonPretty(actual) << "\n";
    GTEST_SKIP() << "wrote " << expected_path;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path << "; actual:\n"
                                         << testing::jsonPretty(actual);
  const std::string expected = testing::readFile(expected_path.string());
  const std::string diff = testing::jsonDiff(expected, actual);
  EXPECT_EQ(diff, "") << s.name << "\nactual:\n" << testing::jsonPretty(actual);
}

INSTANTIATE_TEST_SUITE_P(Samples, MappingGolden, ::testing::ValuesIn(discover()),
                         [](const ::testing::TestParamInfo<Sample>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

TEST(MappingGoldenDiscovery, FindsSamples) { EXPECT_FALSE(discover().empty()); }

}  // namespace
}  // namespace ordergate::adapters::mapping
