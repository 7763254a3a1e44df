// Google Benchmark: signature verification over the raw body — Shopify HMAC-SHA256 (base64
// header) and Standard Webhooks (webhook-id.timestamp.body) — plus the HMAC primitive alone,
// over the golden Shopify payloads (minified).

#include <benchmark/benchmark.h>

#include "adapters/common/standard_webhooks.hpp"
#include "bench_payloads.hpp"

namespace {

using namespace ordergate;

const bench::ShopifyCase& testOrder() {
  static const std::vector<bench::ShopifyCase> cases = bench::loadShopifyCases();
  for (const auto& c : cases) {
    if (c.name == "test_order") {
      return c;
    }
  }
  return cases.front();
}

void BM_HmacSha256Digest(benchmark::State& state) {
  const std::string body(static_cast<std::size_t>(state.range(0)), 'x');
  const adapters::HmacSha256 mac{std::string(bench::kShopifySecret)};
  for (auto _ : state) {
    std::string d = mac.digest(body);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_HmacSha256Digest)->Arg(1024)->Arg(4400)->Arg(16384);

void BM_ShopifyVerify(benchmark::State& state) {
  const auto adapter = bench::makeShopifyAdapter();
  const bench::ShopifyCase& c = testOrder();
  const adapters::InboundMessage msg = c.message("shopify");
  if (!adapter->verify(msg)) {
    state.SkipWithError("signature does not verify");
    return;
  }
  for (auto _ : state) {
    auto ok = adapter->verify(msg);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.body.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["body_bytes"] = static_cast<double>(c.body.size());
}
BENCHMARK(BM_ShopifyVerify);

// A forged signature costs the same as a good one (constant-time compare after the MAC).
void BM_ShopifyVerifyMismatch(benchmark::State& state) {
  const auto adapter = bench::makeShopifyAdapter();
  bench::ShopifyCase c = testOrder();
  c.header_storage.back().second = adapters::base64Encode(std::string(32, 'x'));
  c.bindHeaders();
  const adapters::InboundMessage msg = c.message("shopify");
  for (auto _ : state) {
    auto ok = adapter->verify(msg);
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShopifyVerifyMismatch);

void BM_StandardWebhooksVerify(benchmark::State& state) {
  auto signer = adapters::StandardWebhooksSigner::create("whsec_YmVuY2gtY2Fub25pY2FsLXNlY3JldC0wMQ==");
  const std::string& body = testOrder().body;
  const long long now = 1772900000;
  const std::string signature = signer->sign("msg_2mXkC1dZ", now, body);
  if (!signer->verify("msg_2mXkC1dZ", "1772900000", signature, body, now)) {
    state.SkipWithError("signature does not verify");
    return;
  }
  for (auto _ : state) {
    auto ok = signer->verify("msg_2mXkC1dZ", "1772900000", signature, body, now);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StandardWebhooksVerify);

void BM_StandardWebhooksSign(benchmark::State& state) {
  auto signer = adapters::StandardWebhooksSigner::create("whsec_YmVuY2gtY2Fub25pY2FsLXNlY3JldC0wMQ==");
  const std::string& body = testOrder().body;
  long long now = 1772900000;
  for (auto _ : state) {
    std::string s = signer->sign("msg_2mXkC1dZ", now++, body);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StandardWebhooksSign);

}  // namespace

BENCHMARK_MAIN();
