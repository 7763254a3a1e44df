// Google Benchmark: the canonical layer and the outbox/forwarder serialisation on the request
// path — money and time parsing, canonical JSON writing, the CloudEvents envelope, the
// per-event identity (versionSortKey, eventId) and the outbox event built from one Shopify order.

#include <benchmark/benchmark.h>

#include "bench_payloads.hpp"
#include "canonical/event.hpp"
#include "canonical/json.hpp"
#include "canonical/money.hpp"
#include "canonical/time.hpp"
#include "gateway/forward/cloud_event_request.hpp"
#include "gateway/pipeline/outbox_event.hpp"

namespace {

using namespace ordergate;

// The events of every golden Shopify order, normalised once.
const std::vector<canonical::CanonicalEvent>& goldenEvents() {
  static const std::vector<canonical::CanonicalEvent> events = [] {
    std::vector<canonical::CanonicalEvent> out;
    const auto adapter = bench::makeShopifyAdapter();
    for (const auto& c : bench::loadShopifyCases()) {
      adapters::Normalized n = adapter->normalize(c.message("shopify"));
      for (auto& ev : n.events) {
        out.push_back(std::move(ev));
      }
    }
    return out;
  }();
  return events;
}

void BM_ParseMoney(benchmark::State& state) {
  // Amounts as Shopify writes them: two-, zero- and three-decimal currencies.
  const std::pair<std::string_view, std::string_view> values[] = {
      {"199.00", "USD"}, {"10.00", "USD"}, {"0.00", "USD"}, {"1234.56", "EUR"},
      {"4500", "JPY"},   {"12.345", "KWD"}, {"-5.00", "USD"}, {"89.99", "GBP"}};
  std::size_t i = 0;
  for (auto _ : state) {
    auto m = canonical::parseMoney(values[i].first, values[i].second);
    benchmark::DoNotOptimize(m);
    i = (i + 1) % std::size(values);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseMoney);

void BM_ParseRfc3339(benchmark::State& state) {
  const std::string_view values[] = {"2026-03-07T12:00:00-05:00", "2026-03-01T14:15:05.123Z",
                                     "2024-11-05T14:22:31+08:00", "2026-02-28T23:59:59Z"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto t = canonical::parseRfc3339(values[i]);
    benchmark::DoNotOptimize(t);
    i = (i + 1) % std::size(values);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRfc3339);

// The lenient parser channels go through (offset forms, zone-local times).
void BM_ParseTimestampLenient(benchmark::State& state) {
  auto zone = canonical::findTimeZone("America/New_York");
  const std::string_view values[] = {"2026-03-07T12:00:00-05:00", "2026-03-07 12:00:00 +0800",
                                     "2026-03-07 12:00:00", "2026-03-07T12:00:00.123Z"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto t = canonical::parseTimestamp(values[i], *zone);
    benchmark::DoNotOptimize(t);
    i = (i + 1) % std::size(values);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimestampLenient);

void BM_FormatRfc3339(benchmark::State& state) {
  canonical::Timestamp t(std::chrono::milliseconds(1772900000123));
  for (auto _ : state) {
    std::string s = canonical::formatRfc3339(t);
    benchmark::DoNotOptimize(s);
    t += std::chrono::milliseconds(1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatRfc3339);

void BM_VersionSortKey(benchmark::State& state) {
  const std::string_view values[] = {"2026-03-07T12:00:00-05:00", "2026-03-01T14:15:05.123Z",
                                     "1772900000123", "2024-11-05T14:22:31+08:00"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto k = canonical::versionSortKey(values[i]);
    benchmark::DoNotOptimize(k);
    i = (i + 1) % std::size(values);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VersionSortKey);

void BM_EventId(benchmark::State& state) {
  for (auto _ : state) {
    std::string id = canonical::eventId("shopify:820982911946154508",
                                        canonical::EventType::kOrderUpdated,
                                        "2026-03-07T12:00:00-05:00");
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventId);

void BM_WriteOrderJsonMix(benchmark::State& state) {
  const auto& events = goldenEvents();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string json = canonical::writeOrderJson(std::get<canonical::Order>(events[i].data));
    bytes += json.size();
    benchmark::DoNotOptimize(json);
    i = i + 1 == events.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WriteOrderJsonMix);

// Outbox form of one event: id, version key, RFC 3339 times, canonical JSON (request path).
void BM_ToOutboxEventMix(benchmark::State& state) {
  const auto& events = goldenEvents();
  std::size_t i = 0;
  for (auto _ : state) {
    auto out = gateway::pipeline::toOutboxEvent(events[i], "shopify");
    benchmark::DoNotOptimize(out);
    i = i + 1 == events.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ToOutboxEventMix);

std::vector<gateway::store::OutboxEvent> outboxEvents() {
  std::vector<gateway::store::OutboxEvent> out;
  for (const auto& ev : goldenEvents()) {
    out.push_back(*gateway::pipeline::toOutboxEvent(ev, "shopify"));
  }
  return out;
}

void BM_CloudEventEnvelopeMix(benchmark::State& state) {
  const auto events = outboxEvents();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string json = gateway::pipeline::cloudEventJson(events[i]);
    bytes += json.size();
    benchmark::DoNotOptimize(json);
    i = i + 1 == events.size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CloudEventEnvelopeMix);

// The forwarder's whole request build for one delivery: envelope + signed headers.
void BM_CloudEventSignedRequestMix(benchmark::State& state) {
  const auto events = outboxEvents();
  auto signer = adapters::StandardWebhooksSigner::create("whsec_YmVuY2gtb21zLXNpZ25pbmctc2VjcmV0");
  std::size_t i = 0;
  for (auto _ : state) {
    gateway::forward::CloudEventDelivery d;
    d.url = "http://127.0.0.1:9000/orders";
    d.event_id = events[i].id;
    d.body = gateway::pipeline::cloudEventJson(events[i]);
    d.signer = &*signer;
    d.timestamp_seconds = 1772900000;
    auto request = gateway::forward::buildCloudEventRequest(std::move(d));
    benchmark::DoNotOptimize(request);
    i = i + 1 == events.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CloudEventSignedRequestMix);

}  // namespace

BENCHMARK_MAIN();
