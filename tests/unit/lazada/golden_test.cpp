// Golden tests of the Lazada fetch path: a push (the job's payload) plus the GetOrder and
// GetOrderItems answers, through LazadaPuller::interpret(), against the expected events.
//
// Each case is a folder tests/unit/lazada/golden/<case>/ holding
//   push.json      the push body (seller, site, status …);
//   order.json     the whole GetOrder response ({"code":"0","data":{…}});
//   items.json     the whole GetOrderItems response ({"code":"0","data":[…]});
//   expected.json  {"events":[{"type","subject","version","time","data"}]} or {"errors":[…]}.
// The channel id is "lz"; received_at is 2026-01-01T00:00:00Z. Every expected value was checked
// by hand against the inputs (see README.md beside the cases). ORDERGATE_UPDATE_GOLDEN=1
// rewrites expected.json: check every rewritten value by hand before committing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "canonical/json.hpp"
#include "lazada_test_util.hpp"
#include "tests/support/json_compare.hpp"

namespace ordergate::adapters::lazada {
namespace {

namespace fs = std::filesystem;

fs::path goldenRoot() {
  const char* env = std::getenv("ORDERGATE_SOURCE_DIR");
  return fs::path(env != nullptr ? env : ORDERGATE_SOURCE_DIR) / "tests" / "unit" / "lazada" /
         "golden";
}

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(goldenRoot(), ec)) {
    if (dir.is_directory() && fs::exists(dir.path() / "push.json")) {
      out.push_back(dir.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string jsonString(std::string_view text) {
  std::string out;
  canonical::appendJsonString(out, text);
  return out;
}

std::string render(const PullOutcome& o) {
  std::string out = "{";
  if (o.kind != PullOutcome::kEvents) {
    return out + "\"outcome\":" + std::to_string(o.kind) + ",\"code\":" + jsonString(o.code) +
           ",\"message\":" + jsonString(o.message) + "}";
  }
  if (!o.errors.empty()) {
    out += "\"errors\":[";
    for (std::size_t i = 0; i < o.errors.size(); ++i) {
      out += i == 0 ? "" : ",";
      out += "{\"field\":" + jsonString(o.errors[i].field) +
             ",\"message\":" + jsonString(o.errors[i].message) + "}";
    }
    return out + "]}";
  }
  out += "\"events\":[";
  for (std::size_t i = 0; i < o.events.size(); ++i) {
    const canonical::CanonicalEvent& e = o.events[i];
    out += i == 0 ? "" : ",";
    out += "{\"type\":" + jsonString(canonical::toString(e.type)) +
           ",\"subject\":" + jsonString(e.subject) + ",\"version\":" + jsonString(e.version) +
           ",\"time\":" + jsonString(canonical::formatRfc3339(e.time)) + ",\"data\":" +
           canonical::writeOrderJson(std::get<canonical::Order>(e.data)) + "}";
  }
  return out + "]}";
}

class LazadaGolden : public ::testing::TestWithParam<fs::path> {};

TEST_P(LazadaGolden, MatchesExpected) {
  const fs::path& dir = GetParam();
  auto read = [&](const char* name) { return ordergate::testing::readFile((dir / name).string()); };
  LazadaAdapter adapter(testing::config());
  const std::string push = read("push.json");
  auto parsed = parsePush(push);
  ASSERT_TRUE(parsed);
  const PullRequest request{parsed->order_id, push};
  const std::vector<ApiResponse> responses = {{200, read("order.json"), "", ""},
                                              {200, read("items.json"), "", ""}};
  const std::string actual = render(adapter.puller()->interpret(
      request, responses, *canonical::parseRfc3339("2026-01-01T00:00:00Z")));
  const fs::path expected_path = dir / "expected.json";
  if (const char* update = std::getenv("ORDERGATE_UPDATE_GOLDEN");
      update != nullptr && std::string_view(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << ordergate::testing::jsonPretty(actual) << "\n";
    GTEST_SKIP() << "wrote " << expected_path << ": check every value by hand";
  }
  const std::string diff = ordergate::testing::jsonDiff(read("expected.json"), actual);
  EXPECT_EQ(diff, "") << "in " << dir << "\nactual:\n" << ordergate::testing::jsonPretty(actual);
}

std::string caseName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

const std::vector<fs::path> kCases = cases();
INSTANTIATE_TEST_SUITE_P(Orders, LazadaGolden, ::testing::ValuesIn(kCases), caseName);

TEST(LazadaGoldenSuite, HasSixCases) { EXPECT_GE(kCases.size(), 6u) << goldenRoot(); }

}  // namespace
}  // namespace ordergate::adapters::lazada
