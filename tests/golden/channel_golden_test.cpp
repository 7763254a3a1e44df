// Golden tests for the built-in channel adapters.
//
// Each case is a folder tests/golden/channels/<adapter>/<case>/ holding
//   body.json      the raw request body, byte for byte;
//   headers.json   an object of header name → value (topic, shop domain, delivery ids …);
//   channel.yaml   optional adapter settings (else ../channel.yaml of the adapter folder), with
//                  an `adapter:` key naming the adapter;
//   expected.json  {"events":[{"type","subject","version","time","data"}]}, or
//                  {"errors":[{"field","message"}]}, or {"ignored":"…"}.
// The channel id is the adapter folder's name and received_at is 2026-01-01T00:00:00Z.
// Only normalize() runs here: signatures are covered by each adapter's unit tests.
//
// ORDERGATE_UPDATE_GOLDEN=1 writes the actual output to expected.json. Check every value of a
// rewritten file by hand against the input before committing it.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/config/yaml_tree.hpp"
#include "tests/support/json_compare.hpp"

namespace ordergate {
namespace {

namespace fs = std::filesystem;

fs::path channelsRoot() {
  const char* env = std::getenv("ORDERGATE_SOURCE_DIR");
  return fs::path(env != nullptr ? env : ORDERGATE_SOURCE_DIR) / "tests" / "golden" / "channels";
}

struct GoldenCase {
  std::string adapter;  ///< folder name, also the channel id
  fs::path dir;
};

std::vector<GoldenCase> discoverCases() {
  std::vector<GoldenCase> cases;
  std::error_code ec;
  for (const auto& adapter_dir : fs::directory_iterator(channelsRoot(), ec)) {
    if (!adapter_dir.is_directory()) {
      continue;
    }
    for (const auto& case_dir : fs::directory_iterator(adapter_dir.path())) {
      if (case_dir.is_directory() && fs::exists(case_dir.path() / "body.json")) {
        cases.push_back({adapter_dir.path().filename().string(), case_dir.path()});
      }
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.dir < b.dir; });
  return cases;
}

std::string caseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.adapter + "_" + info.param.dir.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

std::string jsonString(std::string_view text) {
  std::string out;
  canonical::appendJsonString(out, text);
  return out;
}

std::string render(const adapters::Normalized& n) {
  std::string out = "{";
  if (!n.errors.empty()) {
    out += "\"errors\":[";
    for (std::size_t i = 0; i < n.errors.size(); ++i) {
      out += i == 0 ? "" : ",";
      out += "{\"field\":" + jsonString(n.errors[i].field) +
             ",\"message\":" + jsonString(n.errors[i].message) + "}";
    }
    out += "]";
  } else if (!n.ignored.empty()) {
    out += "\"ignored\":" + jsonString(n.ignored);
  } else {
    out += "\"events\":[";
    for (std::size_t i = 0; i < n.events.size(); ++i) {
      const canonical::CanonicalEvent& e = n.events[i];
      out += i == 0 ? "" : ",";
      out += "{\"type\":" + jsonString(canonical::toString(e.type)) +
             ",\"subject\":" + jsonString(e.subject) + ",\"version\":" + jsonString(e.version) +
             ",\"time\":" + jsonString(canonical::formatRfc3339(e.time)) + ",\"data\":";
      if (const auto* order = std::get_if<canonical::Order>(&e.data)) {
        out += canonical::writeOrderJson(*order);
      } else {
        out += canonical::writeTrackingJson(std::get<canonical::TrackingUpdate>(e.data));
      }
      out += "}";
    }
    out += "]";
  }
  return out + "}";
}

class ChannelGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ChannelGolden, MatchesExpected) {
  const GoldenCase& c = GetParam();
  const std::string body = testing::readFile((c.dir / "body.json").string());

  // Headers: an object of name → string value.
  std::vector<std::string> storage;
  std::vector<adapters::Header> headers;
  if (fs::exists(c.dir / "headers.json")) {
    const std::string text = testing::readFile((c.dir / "headers.json").string());
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    ASSERT_EQ(parser.parse(text).get_object().get(obj), simdjson::SUCCESS) << "headers.json";
    storage.reserve(obj.size() * 2);
    for (auto field : obj) {
      std::string_view value;
      ASSERT_EQ(field.value.get_string().get(value), simdjson::SUCCESS)
          << "headers.json: " << field.key << " must be a string";
      storage.emplace_back(field.key);
      storage.emplace_back(value);
    }
    for (std::size_t i = 0; i < storage.size(); i += 2) {
      headers.push_back({storage[i], storage[i + 1]});
    }
  }

  fs::path yaml = c.dir / "channel.yaml";
  if (!fs::exists(yaml)) {
    yaml = c.dir.parent_path() / "channel.yaml";
  }
  auto tree = gateway::config::loadYamlTree(yaml.string());
  ASSERT_TRUE(tree) << describe(tree.error());
  std::string adapter_name = c.adapter;
  if (auto it = tree->map.find("adapter"); it != tree->map.end()) {
    adapter_name = it->second.scalar;
    tree->map.erase(it);
  }

  adapters::AdapterRegistry registry;
  adapters::registerBuiltinAdapters(registry);
  const adapters::AdapterContext ctx{c.adapter,
                                     adapters::Settings("channels.golden", std::move(*tree))};
  auto adapter = registry.create(adapter_name, ctx);
  ASSERT_TRUE(adapter) << describe(adapter.error());

  adapters::InboundMessage msg;
  msg.channel_id = c.adapter;
  msg.body = body;
  msg.headers = adapters::HeaderView(headers);
  msg.received_at = *canonical::parseRfc3339("2026-01-01T00:00:00Z");
  const std::string actual = render((*adapter)->normalize(msg));

  const fs::path expected_path = c.dir / "expected.json";
  if (const char* update = std::getenv("ORDERGATE_UPDATE_GOLDEN");
      update != nullptr && std::string_view(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << testing::jsonPretty(actual) << "\n";
    GTEST_SKIP() << "wrote " << expected_path << ": check every value by hand";
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing";
  const std::string expected = testing::readFile(expected_path.string());
  const std::string diff = testing::jsonDiff(expected, actual);
  EXPECT_EQ(diff, "") << "in " << c.dir << "\nactual:\n" << testing::jsonPretty(actual);
}

const std::vector<GoldenCase> kCases = discoverCases();

INSTANTIATE_TEST_SUITE_P(Channels, ChannelGolden, ::testing::ValuesIn(kCases), caseName);

TEST(ChannelGoldenSuite, HasCases) {
  EXPECT_FALSE(kCases.empty()) << "no cases under " << channelsRoot();
}

}  // namespace
}  // namespace ordergate
