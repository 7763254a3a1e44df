// Every shipped mapping other than WooCommerce (carriers JSON and XML, the Shopify CSV export) run
// over its own golden samples: CPU ns per message, averaged over the samples, so an engine change
// that helps the WooCommerce plan can be checked not to slow the other source formats.
//
//   ninja -C build mapping_carriers_bench && build/tests/bench/mapping_carriers_bench
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/mapping/mapping.hpp"
#include "adapters/mapping/plan.hpp"
#include "gateway/config/yaml_tree.hpp"

namespace {

using namespace ordergate;
namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Sample {
  std::string body;
  std::vector<adapters::Header> headers;
};

struct MappingFixture {
  std::string name;
  std::shared_ptr<const adapters::mapping::MappingPlan> plan;
  std::vector<Sample> samples;
};

MappingFixture load(const std::string& name) {
  MappingFixture f;
  f.name = name;
  const fs::path dir = fs::path(ORDERGATE_SOURCE_DIR) / "mappings" / name;
  auto tree = gateway::config::loadYamlTree((dir / "mapping.yaml").string());
  auto plan = adapters::mapping::compileMapping(*tree, "mappings/" + name + "/mapping.yaml");
  if (!plan) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), describe(plan.error()).c_str());
    std::abort();
  }
  f.plan = *plan;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir / "samples")) {
    const std::string file = entry.path().filename().string();
    if (!endsWith(file, ".expected.json") && !endsWith(file, ".headers.json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    Sample s;
    s.body = readAll(file);
    fs::path headers = file;
    headers.replace_extension(".headers.json");
    if (fs::exists(headers)) {
      simdjson::dom::parser parser;
      simdjson::dom::object object;
      const std::string json = readAll(headers);
      if (parser.parse(json).get(object) == simdjson::SUCCESS) {
        for (auto [key, value] : object) {
          std::string_view v;
          if (value.get(v) == simdjson::SUCCESS) {
            s.headers.push_back(adapters::Header{std::string(key), std::string(v)});
          }
        }
      }
    }
    f.samples.push_back(std::move(s));
  }
  return f;
}

void BM_Mapping(benchmark::State& state, const std::string& name) {
  const MappingFixture f = load(name);
  const canonical::Timestamp received_at = *canonical::parseRfc3339("2026-01-01T00:00:00Z");
  std::vector<adapters::mapping::RunInput> inputs;
  for (const Sample& s : f.samples) {
    adapters::mapping::RunInput in;
    in.channel_id = f.name;
    in.body = s.body;
    in.headers = adapters::HeaderView(s.headers);
    in.received_at = received_at;
    inputs.push_back(in);
  }
  for (auto _ : state) {
    for (const auto& in : inputs) {
      auto n = adapters::mapping::runPlan(*f.plan, in);
      benchmark::DoNotOptimize(n);
    }
  }
  state.counters["ns_per_msg"] =
      benchmark::Counter(static_cast<double>(state.iterations() * inputs.size()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["samples"] = static_cast<double>(inputs.size());
}

const int kRegistered = [] {
  for (const char* name :
       {"easypost", "aftership", "dhl", "fedex", "ups-xml", "usps-xml", "shopify-export"}) {
    benchmark::RegisterBenchmark(("BM_Mapping/" + std::string(name)).c_str(),
                                 [name](benchmark::State& s) { BM_Mapping(s, name); });
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
