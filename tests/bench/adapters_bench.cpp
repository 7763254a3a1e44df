// Google Benchmark: channel adapters' normalise on realistic payloads (ns/message, bytes/s).
//  - shopify: every golden full-order payload (tests/golden/channels/shopify/*/body.json),
//    minified as Shopify sends it, one benchmark per case plus a rotation over all of them;
//  - canonical: the canonical JSON of the same orders through the `canonical` adapter (JSON
//    read + validation) and through readOrderJson alone.
// The Amazon flat-file adapter has its own benchmarks (amazon_ingest_bench, amazon_file_bench).

#include <benchmark/benchmark.h>

#include "adapters/canonical_channel/canonical_adapter.hpp"
#include "bench_payloads.hpp"
#include "canonical/json.hpp"

namespace {

using namespace ordergate;
using bench::ShopifyCase;

const std::vector<ShopifyCase>& shopifyCases() {
  static const std::vector<ShopifyCase> cases = bench::loadShopifyCases();
  return cases;
}

const adapters::ChannelAdapter& shopifyAdapter() {
  static const adapters::ChannelAdapterPtr adapter = bench::makeShopifyAdapter();
  return *adapter;
}

void BM_ShopifyNormalize(benchmark::State& state, std::size_t index) {
  const ShopifyCase& c = shopifyCases().at(index);
  const adapters::InboundMessage msg = c.message("shopify");
  const adapters::ChannelAdapter& adapter = shopifyAdapter();
  if (adapter.normalize(msg).events.size() != 1) {
    state.SkipWithError("golden case does not normalise to one event");
    return;
  }
  for (auto _ : state) {
    adapters::Normalized n = adapter.normalize(msg);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.body.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["body_bytes"] = static_cast<double>(c.body.size());
}

// The mix a shop sends: every golden order in turn (defeats a warm-cache single payload).
void BM_ShopifyNormalizeMix(benchmark::State& state) {
  const auto& cases = shopifyCases();
  std::vector<adapters::InboundMessage> msgs;
  std::size_t total = 0;
  for (const auto& c : cases) {
    msgs.push_back(c.message("shopify"));
    total += c.body.size();
  }
  const adapters::ChannelAdapter& adapter = shopifyAdapter();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    adapters::Normalized n = adapter.normalize(msgs[i]);
    benchmark::DoNotOptimize(n);
    bytes += msgs[i].body.size();
    i = i + 1 == msgs.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
  state.counters["mean_body_bytes"] = static_cast<double>(total) / static_cast<double>(msgs.size());
}
BENCHMARK(BM_ShopifyNormalizeMix);

// Verify + normalise: what the request path does with a Shopify push before Redis.
void BM_ShopifyVerifyAndNormalize(benchmark::State& state) {
  const auto& cases = shopifyCases();
  std::vector<adapters::InboundMessage> msgs;
  for (const auto& c : cases) {
    msgs.push_back(c.message("shopify"));
  }
  const adapters::ChannelAdapter& adapter = shopifyAdapter();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto ok = adapter.verify(msgs[i]);
    benchmark::DoNotOptimize(ok);
    adapters::Normalized n = adapter.normalize(msgs[i]);
    benchmark::DoNotOptimize(n);
    bytes += msgs[i].body.size();
    i = i + 1 == msgs.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShopifyVerifyAndNormalize);

// Canonical JSON of the golden orders, re-keyed to the `store` channel, with Standard Webhooks
// headers, as a storefront of the user's own would POST them.
struct CanonicalCase {
  std::string name;
  std::string body;
  std::vector<adapters::Header> headers;
};

constexpr std::string_view kCanonicalSecret = "whsec_YmVuY2gtY2Fub25pY2FsLXNlY3JldC0wMQ==";

const std::vector<CanonicalCase>& canonicalCases() {
  static const std::vector<CanonicalCase> cases = [] {
    std::vector<CanonicalCase> out;
    for (const auto& c : shopifyCases()) {
      adapters::Normalized n = shopifyAdapter().normalize(c.message("shopify"));
      if (n.events.size() != 1) {
        continue;
      }
      canonical::Order order = std::get<canonical::Order>(n.events[0].data);
      order.channel.id = "store";
      order.order_key = canonical::makeOrderKey("store", order.channel.order_id);
      out.push_back({c.name, canonical::writeOrderJson(order), {}});
    }
    return out;
  }();
  return cases;
}

adapters::ChannelAdapterPtr makeCanonicalAdapter() {
  adapters::SettingNode root;
  root.kind = adapters::SettingNode::Kind::kMap;
  root.map["secret"] = bench::scalarNode(std::string(kCanonicalSecret));
  auto adapter = adapters::canonical_channel::createCanonicalAdapter(
      adapters::AdapterContext{"store", adapters::Settings("channels.store", root)});
  return adapter ? *adapter : nullptr;
}

void BM_CanonicalNormalizeMix(benchmark::State& state) {
  const auto adapter = makeCanonicalAdapter();
  const auto& cases = canonicalCases();
  std::vector<adapters::InboundMessage> msgs;
  const std::vector<adapters::Header> headers = {{"webhook-id", "msg_bench"},
                                                 {"content-type", "application/json"}};
  for (const auto& c : cases) {
    adapters::InboundMessage m;
    m.channel_id = "store";
    m.body = c.body;
    m.headers = adapters::HeaderView(headers);
    m.received_at = canonical::Timestamp(std::chrono::milliseconds(1772900000000));
    if (adapter->normalize(m).events.size() != 1) {
      state.SkipWithError(("canonical case does not normalise: " + c.name).c_str());
      return;
    }
    msgs.push_back(m);
  }
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    adapters::Normalized n = adapter->normalize(msgs[i]);
    benchmark::DoNotOptimize(n);
    bytes += msgs[i].body.size();
    i = i + 1 == msgs.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalNormalizeMix);

void BM_CanonicalReadOrderJsonMix(benchmark::State& state) {
  const auto& cases = canonicalCases();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto order = canonical::readOrderJson(cases[i].body);
    benchmark::DoNotOptimize(order);
    bytes += cases[i].body.size();
    i = i + 1 == cases.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalReadOrderJsonMix);

// One benchmark per golden Shopify case, named after it.
const bool kRegistered = [] {
  const auto& cases = shopifyCases();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    benchmark::RegisterBenchmark(("BM_ShopifyNormalize/" + cases[i].name).c_str(),
                                 BM_ShopifyNormalize, i);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
