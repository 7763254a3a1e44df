#include <unistd.h>

#include <algorithm>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/forward/cloud_event_request.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/forwarder_impl.hpp"
#include "gateway/pipeline/outbox_event.hpp"
#include "gateway/store/dead_letters.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string makeInstanceId() {
  char host[64] = {0};
  ::gethostname(host, sizeof host - 1);
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", rd());
  return std::string(host) + "-" + std::to_string(::getpid()) + "-" + suffix;
}

std::string attemptJson(int attempt, const forward::HttpResponse& r, std::string_view verdict) {
  std::string out = R"({"attempt":)" + std::to_string(attempt) + R"(,"at":)";
  canonical::appendJsonString(out, canonical::formatRfc3339(canonical::Timestamp(milliseconds(nowMs()))));
  out += R"(,"status":)" + std::to_string(r.status) + R"(,"verdict":)";
  canonical::appendJsonString(out, verdict);
  if (!r.error.empty()) {
    out += R"(,"error":)";
    canonical::appendJsonString(out, r.error);
  }
  if (!r.body_excerpt.empty()) {
    out += R"(,"response_body":)";
    canonical::appendJsonString(out, r.body_excerpt);
  }
  out += R"(,"elapsed_ms":)" + std::to_string(r.elapsed.count() / 1000) + "}";
  return out;
}

}  // namespace

// Stream ids are unique within one shard's stream only: two shards can both have "…-0".
std::string memoryKey(int shard, std::string_view stream_id) {
  std::string key = std::to_string(shard);
  key += '/';
  key += stream_id;
  return key;
}

ForwarderMetrics::ForwarderMetrics(metrics::Registry& m, int lanes)
    : attempts(m.counter("ordergate_forward_attempts_total",
                         "Delivery attempts to the OMS by destination and outcome "
                         "(delivered, retry, dead_letter)",
                         {"destination", "outcome"})),
      dead_letters(m.counter("ordergate_dead_letters_total", "Events moved to the dead-letter queue",
                             {"destination"})),
      latency(m.histogram("ordergate_forward_latency_seconds",
                          "End-to-end latency: received by the gateway → OMS answered 2xx",
                          {"destination"})),
      lag_gauge(m.gauge("ordergate_outbox_lag_seconds",
                        "Age of the oldest undelivered event in any outbox shard")
                    .with({})),
      depth_gauge(m.gauge("ordergate_outbox_depth", "Undelivered events in all outbox shards").with({})),
      dlq_gauge(m.gauge("ordergate_dlq_depth", "Events in the dead-letter queue").with({})),
      quarantine_gauge(m.gauge("ordergate_quarantine_depth", "Payloads in quarantine").with({})),
      shards_gauge(m.gauge("ordergate_forwarder_shards_owned",
                           "Outbox shards this instance forwards")
                       .with({})),
      circuit(m.gauge("ordergate_circuit_state",
                      "Circuit breaker per destination: 0 closed, 1 half-open, 2 open "
                      "(the worst of the forwarder threads)",
                      {"destination"})),
      circuit_states(static_cast<std::size_t>(std::max(1, lanes))) {}

Forwarder::Impl::Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k,
                      forward::RetryPolicy p, ForwarderMetrics& m, int lane_index)
    : cfg(c),
      endpoint(std::move(ep)),
      keys(std::move(k)),
      instance_id(makeInstanceId()),
      policy(std::move(p)),
      shared(m),
      lane(lane_index),
      attempts(m.attempts),
      dead_letters(m.dead_letters),
      latency(m.latency) {
  auto& circuit = m.circuit;
  forward::CircuitBreakerConfig bc;
  bc.failure_threshold = c.forwarder.breaker_failures;
  bc.initial_cooldown = c.forwarder.breaker_open;
  bc.max_cooldown = c.forwarder.breaker_max_open;
  for (auto [name, url] : {std::pair{"orders", c.oms.orders_url}, std::pair{"tracking", c.oms.tracking_url}}) {
    Destination d;
    d.name = name;
    d.url = url;
    d.breaker = forward::CircuitBreaker::create(bc).value_or(forward::CircuitBreaker{});
    d.state_gauge = &circuit.with({name});
    destinations.emplace(name, std::move(d));
  }
}

asio::awaitable<void> Forwarder::Impl::sleep(milliseconds d) {
  asio::steady_timer t(io, d);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> Forwarder::Impl::acquireSlot() {
  while (in_flight >= cfg.forwarder.max_in_flight) {
    auto t = std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
    slot_waiters.push_back(t);
    boost::system::error_code ec;
    co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  ++in_flight;
}

void Forwarder::Impl::releaseSlot() {
  --in_flight;
  if (!slot_waiters.empty()) {
    slot_waiters.front()->cancel();
    slot_waiters.pop_front();
  }
}

void Forwarder::Impl::enqueue(int shard, store::OutboxEntry entry) {
  if (!in_memory.insert(memoryKey(shard, entry.stream_id)).second) {
    return;  // already queued or in delivery
  }
  auto& q = queues[entry.event.subject];
  bool idle = q.empty();
  std::string subject = entry.event.subject;
  q.push_back(std::move(entry));
  ++queued;
  if (idle) {
    asio::co_spawn(io, deliverSubject(std::move(subject)), asio::detached);
  }
}

// Delivers one order's (or shipment's) events strictly one after another, in outbox order.
asio::awaitable<void> Forwarder::Impl::deliverSubject(std::string subject) {
  const int shard = keys.shardOf(subject);
  for (;;) {
    auto it = queues.find(subject);
    if (it == queues.end() || it->second.empty()) {
      queues.erase(subject);
      co_return;
    }
    if (owned.find(shard) == owned.end()) {
      // The shard went to another instance: its entries are pending there now.
      for (const auto& e : it->second) {
        in_memory.erase(memoryKey(shard, e.stream_id));
        --queued;
      }
      queues.erase(it);
      co_return;
    }
    // Moved out, not copied (the event's JSON is kilobytes); the emptied shell stays at the
    // front until it is popped below, so the queue still shows this subject as busy.
    store::OutboxEntry entry = std::move(it->second.front());
    co_await deliverOne(entry, shard);
    if (stopping) {
      co_return;
    }
    auto again = queues.find(subject);
    if (again != queues.end() && !again->second.empty()) {
      again->second.pop_front();
      --queued;
    }
    in_memory.erase(memoryKey(shard, entry.stream_id));
  }
}

asio::awaitable<void> Forwarder::Impl::deliverOne(const store::OutboxEntry& entry, int shard) {
  const store::OutboxEvent& ev = entry.event;
  auto dest_it = destinations.find(ev.destination == "tracking" ? "tracking" : "orders");
  Destination& dest = dest_it->second;
  const std::string body = cloudEventJson(ev);
  const auto received_at = std::chrono::system_clock::time_point(milliseconds(ev.received_at_ms));
  for (int attempt = 1; !stopping; ++attempt) {
    while (!stopping && !dest.breaker.allowRequest(std::chrono::steady_clock::now())) {
      co_await sleep(milliseconds(50));
    }
    if (stopping) {
      co_return;
    }
    co_await acquireSlot();
    forward::CloudEventDelivery delivery;
    delivery.url = dest.url;
    delivery.event_id = ev.id;
    delivery.body = body;
    delivery.signer = signer ? &*signer : nullptr;
    delivery.timestamp_seconds = nowMs() / 1000;
    delivery.timeout = cfg.oms.timeout;
    forward::HttpResponse r = co_await http->post(forward::buildCloudEventRequest(std::move(delivery)));
    releaseSlot();
    if (stopping) {
      co_return;
    }
    forward::Verdict verdict = forward::classify(r);
    dest.breaker.onResult(verdict, std::chrono::steady_clock::now());
    if (verdict == forward::Verdict::kDelivered) {
      attempts.with({dest.name, "delivered"}).inc();
      latency.with({dest.name}).observe(static_cast<double>(nowMs() - ev.received_at_ms) / 1000.0);
      co_await ackDelivered(shard, entry);
      co_return;
    }
    std::string json = attemptJson(attempt, r, forward::toString(verdict));
    if (verdict == forward::Verdict::kDeadLetter) {
      attempts.with({dest.name, "dead_letter"}).inc();
      std::string reason = "OMS answered " + std::to_string(r.status);
      co_await moveToDeadLetters(shard, entry, std::move(reason), std::move(json));
      co_return;
    }
    attempts.with({dest.name, "retry"}).inc();
    auto now = std::chrono::system_clock::now();
    if (policy.expired(received_at, now)) {
      co_await moveToDeadLetters(shard, entry, "undelivered after max_age (last: " +
                                                   (r.status == 0 ? r.error : "HTTP " + std::to_string(r.status)) + ")",
                                 std::move(json));
      co_return;
    }
    auto recorded = co_await store::recordAttempt(*redis, keys, shard, ev.id, json);
    (void)recorded;  // attempts are diagnostics; delivery goes on without them
    milliseconds delay = policy.backoff(attempt, forward::parseRetryAfter(r.retry_after, now), random);
    log::debug("delivery will be retried", {{"event_id", ev.id}, {"status", r.status},
                                            {"attempt", attempt}, {"delay_ms", static_cast<long long>(delay.count())}});
    co_await sleep(delay);
  }
}

// Delivered: the acknowledgement must land, or the event is delivered again later (the OMS
// deduplicates by id, so that is safe, but we try hard not to). Acknowledgements share one
// round trip (one XACK+XDEL call per shard, pipelined): while one is in flight the next ones
// gather, so under load one round trip acknowledges many events of all the lane's shards (one
// per event cost ~1/3 of Redis CPU per event), and an idle forwarder still acknowledges each
// event at once. Returns once the round trip that carries this entry landed.
asio::awaitable<void> Forwarder::Impl::ackDelivered(int shard, const store::OutboxEntry& entry) {
  if (!ack_pending.done) {
    ack_pending.done = std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
  }
  ack_pending.ids[shard].push_back(entry.stream_id);
  auto done = ack_pending.done;
  if (!ack_flushing) {
    ack_flushing = true;
    asio::co_spawn(io, flushAcks(), asio::detached);
  }
  boost::system::error_code ec;
  co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> Forwarder::Impl::flushAcks() {
  while (!stopping && !ack_pending.ids.empty()) {
    AckBatch batch = std::move(ack_pending);
    ack_pending = AckBatch{};
    for (int i = 0; i < 50 && !stopping; ++i) {
      std::vector<store::ShardIds> shards;
      for (const auto& [shard, ids] : batch.ids) {
        shards.push_back(store::ShardIds{shard, ids});
      }
      auto r = co_await store::ack(*redis, keys, std::move(shards));
      if (r) {
        break;
      }
      co_await sleep(milliseconds(100 * (i + 1)));
    }
    batch.done->cancel();
  }
  // Stopping: release every delivery still waiting on an acknowledgement.
  if (ack_pending.done) {
    ack_pending.done->cancel();
  }
  ack_pending = AckBatch{};
  ack_flushing = false;
}

asio::awaitable<void> Forwarder::Impl::moveToDeadLetters(int shard, const store::OutboxEntry& entry,
                                                          std::string reason, std::string attempt_json) {
  log::warn("event dead-lettered", {{"event_id", entry.event.id}, {"subject", entry.event.subject},
                                    {"reason", reason}});
  dead_letters.with({entry.event.destination}).inc();
  for (int i = 0; !stopping; ++i) {
    std::vector<std::string> final_attempts(1, attempt_json);
    auto r = co_await store::deadLetter(*redis, keys, shard, entry.stream_id, entry.event, reason,
                                        nowMs(), std::move(final_attempts));
    if (r) {
      co_return;
    }
    co_await sleep(milliseconds(std::min(5000, 100 * (i + 1))));
  }
}

Forwarder::Forwarder(std::unique_ptr<ForwarderMetrics> metrics, std::vector<std::unique_ptr<Impl>> lanes)
    : metrics_(std::move(metrics)), lanes_(std::move(lanes)) {}

Forwarder::~Forwarder() { stop(); }

Result<std::unique_ptr<Forwarder>> Forwarder::create(const config::Config& cfg, store::RedisEndpoint redis,
                                                     store::Keys keys, metrics::Registry& metrics) {
  forward::RetryConfig rc;
  rc.initial = cfg.retry.initial;
  rc.cap = cfg.retry.cap;
  rc.max_age = cfg.retry.max_age;
  auto policy = forward::RetryPolicy::create(rc);
  if (!policy) {
    return fail(ErrorCode::kConfig, policy.error().message, cfg.source_path + ": retry");
  }
  // Each lane is a forwarder instance of its own (thread, io_context, Redis and HTTP clients,
  // instance id): the shard leases split the shards between lanes exactly as between
  // processes, so per-order ordering and takeover need nothing new.
  const int threads = std::max(1, cfg.forwarder.threads);
  auto shared = std::make_unique<ForwarderMetrics>(metrics, threads);
  std::vector<std::unique_ptr<Impl>> lanes;
  for (int lane = 0; lane < threads; ++lane) {
    auto impl = std::make_unique<Impl>(cfg, redis, keys, *policy, *shared, lane);
    if (!cfg.oms.signing_secret.empty()) {
      auto signer = adapters::StandardWebhooksSigner::create(cfg.oms.signing_secret);
      if (!signer) {
        return fail(ErrorCode::kConfig, signer.error().message, cfg.source_path + ": oms.signing_secret");
      }
      impl->signer = std::move(*signer);
    }
    lanes.push_back(std::move(impl));
  }
  return std::unique_ptr<Forwarder>(new Forwarder(std::move(shared), std::move(lanes)));
}

void Forwarder::start() {
  for (auto& lane : lanes_) {
    startLane(*lane);
  }
}

void Forwarder::startLane(Impl& s) {
  s.openClients(s.endpoint, std::max(1, s.cfg.oms.max_connections / static_cast<int>(lanes_.size())));
  asio::co_spawn(s.io, s.leaseLoop(), asio::detached);
  asio::co_spawn(s.io, s.claimLoop(), asio::detached);
  asio::co_spawn(s.io, s.readLoop(), asio::detached);
  asio::co_spawn(s.io, s.gaugeLoop(), asio::detached);
  s.startThread();
  log::info("forwarder started", {{"instance", s.instance_id}, {"lane", s.lane},
                                  {"shards", s.keys.shards()}});
}

void Forwarder::stop() {
  // Every lane releases its leases at the same time, then all are joined.
  for (auto& lane : lanes_) {
    Impl& s = *lane;
    if (!s.thread.joinable()) {
      continue;
    }
    asio::post(s.io, [&s] {
      s.stopping = true;
      asio::co_spawn(s.io, [&s]() -> asio::awaitable<void> {
        co_await s.releaseAll();
        s.http->stop();
        if (s.reader) s.reader->stop();
        s.redis->stop();
        s.io.stop();
      }, asio::detached);
    });
  }
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) {
      lane->thread.join();
    }
  }
}

std::string Forwarder::status() const {
  for (const auto& lane : lanes_) {
    if (lane->open_circuits.load() > 0) {
      return "circuit open to the OMS";
    }
  }
  return "ok";
}

}  // namespace ordergate::gateway::pipeline
