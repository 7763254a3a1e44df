// The WooCommerce mapping plan against a hand-written C++ twin of the same normalisation, on the
// same payload in the same run. The twin's canonical output is checked to be byte-identical to
// the plan's before anything is timed, so both do the same work.
//
//   ninja -C build mapping_bench && build/tests/bench/mapping_bench
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "adapters/mapping/mapping.hpp"
#include "canonical/country.hpp"
#include "canonical/json.hpp"
#include "canonical/validate.hpp"
#include "gateway/config/yaml_tree.hpp"

namespace {

using namespace ordergate;
namespace dom = simdjson::dom;

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kDir = std::string(ORDERGATE_SOURCE_DIR) + "/mappings/woocommerce";

struct Fixture {
  std::string body = readAll(kDir + "/samples/01-created.json");
  std::vector<adapters::Header> headers = {
      {"X-WC-Webhook-Topic", "order.created"},
      {"X-WC-Webhook-Delivery-ID", "8a1e6c0f3b2d4e5f9a7b6c5d4e3f2a1b"}};
  adapters::ChannelAdapterPtr adapter;
  canonical::Timestamp received_at = *canonical::parseRfc3339("2026-01-01T00:00:00Z");

  Fixture() {
    auto tree = gateway::config::loadYamlTree(kDir + "/mapping.yaml");
    auto plan = adapters::mapping::compileMapping(*tree, "mappings/woocommerce/mapping.yaml");
    if (!plan) {
      std::fprintf(stderr, "%s\n", describe(plan.error()).c_str());
      std::abort();
    }
    adapters::SettingNode settings;
    settings.kind = adapters::SettingNode::Kind::kMap;
    settings.map["secret"].scalar = "woo-secret";
    adapter = *adapters::mapping::createMappingAdapter(
        adapters::AdapterContext{"woocommerce",
                                 adapters::Settings("channels.woocommerce", settings)},
        *plan);
  }

  adapters::InboundMessage message() const {
    adapters::InboundMessage m;
    m.channel_id = "woocommerce";
    m.body = body;
    m.headers = adapters::HeaderView(headers);
    m.received_at = received_at;
    return m;
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// ---- the hand-written twin ------------------------------------------------------------------

std::string_view str(dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) {
    return {};
  }
  return v;
}

std::string num(dom::element e, std::string_view key) {
  int64_t v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) {
    return {};
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

canonical::Money money(std::string_view text, std::string_view currency, FieldErrors& errors,
                       const char* field) {
  if (text.empty()) {
    return std::nullopt;
  }
  auto m = canonical::parseMoney(text, currency);
  if (!m) {
    errors.push_back({field, m.error().message});
    return std::nullopt;
  }
  return *m;
}

std::string joinName(std::string_view a, std::string_view b) {
  std::string out(a);
  if (!a.empty() && !b.empty()) {
    out += ' ';
  }
  out += b;
  return out;
}

std::optional<canonical::Address> address(dom::element a, bool with_email_phone) {
  (void)with_email_phone;
  canonical::Address out;
  out.name = joinName(str(a, "first_name"), str(a, "last_name"));
  out.company = str(a, "company");
  out.line1 = str(a, "address_1");
  out.line2 = str(a, "address_2");
  out.city = str(a, "city");
  out.region = str(a, "state");
  out.postal_code = str(a, "postcode");
  if (auto c = canonical::normalizeCountry(str(a, "country")); c) {
    out.country_code = *c;
  }
  out.phone = str(a, "phone");
  if (out.name.empty() && out.company.empty() && out.line1.empty() && out.line2.empty() &&
      out.city.empty() && out.region.empty() && out.postal_code.empty() &&
      out.country_code.empty() && out.phone.empty()) {
    return std::nullopt;
  }
  return out;
}

adapters::Normalized handWritten(const adapters::InboundMessage& msg) {
  adapters::Normalized out;
  const std::string_view topic = msg.headers.get("X-WC-Webhook-Topic");
  if (topic == "order.deleted" || topic == "order.restored") {
    out.ignored = "topic order.deleted / order.restored carries only the order id";
    return out;
  }
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(msg.body.data(), msg.body.size()).get(root) != simdjson::SUCCESS) {
    out.errors.push_back({"source", "invalid JSON"});
    return out;
  }
  out.delivery_id = msg.headers.get("X-WC-Webhook-Delivery-ID");
  canonical::Order o;
  o.channel.type = "woocommerce";
  o.channel.id = std::string(msg.channel_id);
  o.channel.order_id = num(root, "id");
  o.order_key = canonical::makeOrderKey(o.channel.id, o.channel.order_id);
  o.channel.order_number = str(root, "number");
  const std::string_view status = str(root, "status");
  o.channel.status = status;
  using OS = canonical::OrderStatus;
  using PS = canonical::PaymentStatus;
  o.status = status == "pending" || status == "on-hold" || status == "checkout-draft"
                 ? OS::kPendingPayment
             : status == "processing"                                             ? OS::kOpen
             : status == "completed"                                              ? OS::kShipped
             : status == "cancelled" || status == "refunded" || status == "trash" ? OS::kCancelled
             : status == "failed"                                                 ? OS::kFailed
                                                                                  : OS::kOpen;
  o.payment_status = status == "refunded"                  ? PS::kRefunded
                     : !str(root, "date_paid_gmt").empty() ? PS::kPaid
                     : status == "pending" || status == "on-hold" || status == "checkout-draft"
                         ? PS::kPending
                         : PS::kUnknown;
  const auto utc = canonical::utcZone();
  if (auto t = canonical::parseTimestamp(str(root, "date_created_gmt"), utc)) {
    o.placed_at = *t;
  }
  if (auto t = canonical::parseTimestamp(str(root, "date_modified_gmt"), utc)) {
    o.updated_at = *t;
  }
  o.currency = str(root, "currency");
  bool taxes_included = false;
  if (root["prices_include_tax"].get(taxes_included) == simdjson::SUCCESS) {
    o.taxes_included = taxes_included;
  }
  FieldErrors& errors = out.errors;
  o.totals.discount = money(str(root, "discount_total"), o.currency, errors, "discount");
  o.totals.shipping = money(str(root, "shipping_total"), o.currency, errors, "shipping");
  o.totals.tax = money(str(root, "total_tax"), o.currency, errors, "tax");
  o.totals.total = money(str(root, "total"), o.currency, errors, "total");
  canonical::Customer c;
  if (std::string id = num(root, "customer_id"); id != "0") {
    c.id = id;
  }
  dom::element billing = root["billing"].value_unsafe();
  c.email = str(billing, "email");
  c.name = joinName(str(billing, "first_name"), str(billing, "last_name"));
  c.phone = str(billing, "phone");
  if (!c.empty()) {
    o.customer = c;
  }
  o.bill_to = address(billing, true);
  o.ship_to = address(root["shipping"].value_unsafe(), false);
  dom::array shipping_lines;
  if (root["shipping_lines"].get(shipping_lines) == simdjson::SUCCESS) {
    canonical::Shipping s;
    for (dom::element l : shipping_lines) {
      if (!s.method.empty()) {
        s.method += ", ";
      }
      s.method += str(l, "method_title");
    }
    if (!s.method.empty()) {
      o.shipping = s;
    }
  }
  dom::array items;
  if (root["line_items"].get(items) == simdjson::SUCCESS) {
    canonical::MinorUnits subtotal = 0;
    for (dom::element item : items) {
      canonical::OrderLine& l = o.lines.emplace_back();
      l.line_id = num(item, "id");
      l.sku = str(item, "sku");
      const std::string variation = num(item, "variation_id");
      l.channel_sku = variation != "0" && !variation.empty() ? variation : num(item, "product_id");
      l.title = str(item, "name");
      int64_t q = 0;
      if (item["quantity"].get(q) == simdjson::SUCCESS) {
        l.quantity = q;
      }
      const auto sub = money(str(item, "subtotal"), o.currency, errors, "subtotal");
      const auto total = money(str(item, "total"), o.currency, errors, "total");
      const auto tax = money(str(item, "total_tax"), o.currency, errors, "tax");
      if (sub && q > 0 && *sub % q == 0) {
        l.unit_price = *sub / q;
      }
      if (sub) {
        l.discount = *sub - total.value_or(0);
        subtotal += *sub;
      }
      l.tax = tax;
      if (total || tax) {
        l.total = total.value_or(0) + tax.value_or(0);
      }
    }
    o.totals.subtotal = subtotal;
  }
  o.source.received_at = msg.received_at;
  o.source.delivery_id = out.delivery_id;
  o.source.topic = topic;
  canonical::CanonicalEvent e;
  e.type = status == "cancelled"      ? canonical::EventType::kOrderCancelled
           : topic == "order.created" ? canonical::EventType::kOrderCreated
                                      : canonical::EventType::kOrderUpdated;
  o.version = canonical::formatRfc3339(*o.updated_at);
  e.time = *o.updated_at;
  if (!errors.empty()) {
    return out;
  }
  FieldErrors invalid = canonical::validate(o);
  if (!invalid.empty()) {
    out.errors = std::move(invalid);
    return out;
  }
  e.source = "/channels/" + o.channel.id;
  e.subject = o.order_key;
  e.version = o.version;
  e.received_at = msg.received_at;
  e.data = std::move(o);
  out.events.push_back(std::move(e));
  return out;
}

std::string canonicalOf(const adapters::Normalized& n) {
  if (n.events.size() != 1) {
    return "<" + std::to_string(n.events.size()) + " events, " + std::to_string(n.errors.size()) +
           " errors>";
  }
  const auto& e = n.events[0];
  return std::string(canonical::toString(e.type)) + " " + e.subject + " " + e.version + " " +
         canonical::writeOrderJson(std::get<canonical::Order>(e.data));
}

void checkTwins() {
  const auto msg = fixture().message();
  const std::string plan = canonicalOf(fixture().adapter->normalize(msg));
  const std::string twin = canonicalOf(handWritten(msg));
  if (plan != twin) {
    std::fprintf(stderr, "twin differs from plan:\nplan: %s\ntwin: %s\n", plan.c_str(),
                 twin.c_str());
    std::abort();
  }
}

void BM_MappingPlan(benchmark::State& state) {
  checkTwins();
  const auto msg = fixture().message();
  for (auto _ : state) {
    auto n = fixture().adapter->normalize(msg);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.body.size()));
}
BENCHMARK(BM_MappingPlan);

void BM_HandWritten(benchmark::State& state) {
  checkTwins();
  const auto msg = fixture().message();
  for (auto _ : state) {
    auto n = handWritten(msg);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.body.size()));
}
BENCHMARK(BM_HandWritten);

// This thread's CPU time: on a shared machine, wall time also counts time spent preempted.
std::chrono::nanoseconds threadCpuTime() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds{ts.tv_sec} + std::chrono::nanoseconds{ts.tv_nsec};
}

// Plan and twin alternately in 256-message batches, so load from other processes hits both
// alike; reports CPU ns/message of each and their ratio (target: plan_ns / twin_ns <= 1.5).
void BM_Interleaved(benchmark::State& state) {
  checkTwins();
  const auto msg = fixture().message();
  std::chrono::nanoseconds plan{};
  std::chrono::nanoseconds twin{};
  std::int64_t batches = 0;
  constexpr int kBatch = 256;
  for (auto _ : state) {
    auto t0 = threadCpuTime();
    for (int i = 0; i < kBatch; ++i) {
      auto n = fixture().adapter->normalize(msg);
      benchmark::DoNotOptimize(n);
    }
    auto t1 = threadCpuTime();
    for (int i = 0; i < kBatch; ++i) {
      auto n = handWritten(msg);
      benchmark::DoNotOptimize(n);
    }
    auto t2 = threadCpuTime();
    plan += t1 - t0;
    twin += t2 - t1;
    ++batches;
  }
  const double n = static_cast<double>(batches) * kBatch;
  const double plan_ns = std::chrono::duration<double, std::nano>(plan).count() / n;
  const double twin_ns = std::chrono::duration<double, std::nano>(twin).count() / n;
  state.counters["plan_ns"] = plan_ns;
  state.counters["twin_ns"] = twin_ns;
  state.counters["ratio"] = plan_ns / twin_ns;
}
BENCHMARK(BM_Interleaved)->MinTime(2.0);

void BM_MappingPlanPlusJson(benchmark::State& state) {
  const auto msg = fixture().message();
  for (auto _ : state) {
    auto n = fixture().adapter->normalize(msg);
    auto json = canonical::writeOrderJson(std::get<canonical::Order>(n.events[0].data));
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_MappingPlanPlusJson);

}  // namespace

BENCHMARK_MAIN();
