#include "gateway/pipeline/ingest.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "canonical/json.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/outbox_event.hpp"
#include "gateway/pulls/pull_service.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/quarantine.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;

namespace {

std::string_view decisionName(store::Decision d) {
  switch (d) {
    case store::Decision::kAccepted: return "accepted";
    case store::Decision::kDuplicate: return "duplicate";
    case store::Decision::kStale: return "stale";
  }
  return "accepted";
}

// The push's overall status: accepted if anything was, else stale if anything was, else duplicate.
std::string_view overallStatus(const std::vector<EventOutcome>& outcomes) {
  bool stale = false;
  for (const EventOutcome& o : outcomes) {
    if (o.status == "accepted") {
      return "accepted";
    }
    stale = stale || o.status == "stale";
  }
  return stale ? "stale" : "duplicate";
}

http::Response outcomeResponse(std::string_view status, const std::vector<EventOutcome>& events) {
  http::Response r;
  r.body.reserve(64 + events.size() * 96);
  r.body += R"({"status":")";
  r.body += status;
  r.body += R"(","events":[)";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0) {
      r.body += ',';
    }
    r.body += R"({"id":")";
    r.body += events[i].id;
    r.body += R"(","type":")";
    r.body += events[i].type;
    r.body += R"(","status":")";
    r.body += events[i].status;
    r.body += R"("})";
  }
  r.body += "]}";
  return r;
}

asio::awaitable<void> markDeliveryDetached(store::RedisClient& redis, const store::Keys& keys,
                                           int shard, std::string channel,
                                           std::string delivery_id, std::chrono::seconds ttl) {
  auto marked = co_await store::markDelivery(redis, keys, shard, std::move(channel),
                                             std::move(delivery_id), ttl);
  (void)marked;
}

}  // namespace

Ingest::Ingest(const config::Config& cfg, AdapterMap channels, AdapterMap carriers,
               store::Keys keys, metrics::Registry& metrics)
    : cfg_(cfg),
      channels_(toSlots(std::move(channels))),
      carriers_(toSlots(std::move(carriers))),
      keys_(std::move(keys)),
      messages_(metrics.counter("ordergate_channel_messages_total",
                                "Pushes per channel by outcome (accepted, duplicate, stale, "
                                "quarantined, ignored, unauthorized, unavailable)",
                                {"channel", "outcome"})),
      events_(metrics.counter("ordergate_events_total",
                              "Canonical events per channel by decision (accepted, duplicate, stale)",
                              {"channel", "decision"})),
      ignored_(metrics.counter("ordergate_ignored_messages_total",
                               "Messages acknowledged but not forwarded, per channel and topic",
                               {"channel", "topic"})),
      ack_latency_(metrics.histogram("ordergate_ack_latency_seconds",
                                     "Time from request read to the answer being ready",
                                     {"channel"})),
      recent_(static_cast<std::size_t>(cfg.pipeline.recent_deliveries), cfg.pipeline.dedup_ttl) {}

Ingest::SlotMap Ingest::toSlots(AdapterMap adapters) {
  SlotMap out;
  for (auto& [id, adapter] : adapters) {
    auto slot = std::make_unique<Slot>();
    slot->adapter = std::move(adapter);
    out.emplace(id, std::move(slot));
  }
  return out;
}

adapters::ChannelAdapterPtr Ingest::lookup(const SlotMap& slots, std::string_view id) {
  auto it = slots.find(id);
  if (it == slots.end()) {
    return nullptr;
  }
  std::lock_guard lock(it->second->mutex);
  return it->second->adapter;
}

adapters::ChannelAdapterPtr Ingest::channel(std::string_view id) const { return lookup(channels_, id); }

bool Ingest::replace(std::string_view kind, std::string_view id, adapters::ChannelAdapterPtr adapter) {
  SlotMap& slots = kind == "carrier" ? carriers_ : channels_;
  auto it = slots.find(id);
  if (it == slots.end()) {
    return false;
  }
  std::lock_guard lock(it->second->mutex);
  it->second->adapter = std::move(adapter);
  return true;
}

void Ingest::count(std::string_view channel, std::string_view outcome) {
  messages_.with({channel, outcome}).inc();
}

adapters::ChannelAdapterPtr Ingest::carrier(std::string_view id) const { return lookup(carriers_, id); }

asio::awaitable<http::Response> Ingest::channelWebhook(http::Request& req) {
  return push(req, channel(req.param("id")), "channel");
}

asio::awaitable<http::Response> Ingest::carrierCallback(http::Request& req) {
  return push(req, carrier(req.param("id")), "carrier");
}

asio::awaitable<http::Response> Ingest::push(http::Request& req, adapters::ChannelAdapterPtr adapter,
                                             std::string_view kind) {
  std::string_view id = req.param("id");
  if (adapter == nullptr) {
    co_return http::jsonError(404, "not_found", "unknown " + std::string(kind) + " \"" + std::string(id) + "\"");
  }
  adapters::InboundMessage msg;
  msg.channel_id = id;
  msg.body = req.body;
  msg.headers = req.headerView();
  msg.received_at = std::chrono::time_point_cast<std::chrono::milliseconds>(req.received_at);

  std::string_view content_type = msg.headers.get("content-type");
  if (!content_type.empty() && !adapter->acceptsContentType(content_type)) {
    count(id, "unsupported");
    co_return http::jsonError(415, "unsupported_media_type",
                              "this " + std::string(kind) + " does not take Content-Type " +
                                  std::string(content_type));
  }
  if (auto verified = adapter->verify(msg); !verified) {
    count(id, "unauthorized");
    log::warn("push rejected", {{"channel", id}, {"reason", verified.error().message}});
    co_return http::jsonError(401, "unauthorized", verified.error().message, verified.error().field);
  }
  // A redelivery of a delivery this process decided lately: Redis would answer duplicate too.
  std::string delivery = RecentDeliveries::entryOf(id, adapter->deliveryKey(msg));
  http::Response r;
  if (recent_.contains(delivery, RecentDeliveries::Clock::now())) {
    count(id, "duplicate");
    r = outcomeResponse("duplicate", {});
  } else {
    r = co_await process(*currentWorker()->redis, id, *adapter, msg, true, kind,
                         std::move(delivery));
  }
  ack_latency_.with({id}).observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - req.started).count());
  co_return r;
}

asio::awaitable<http::Response> Ingest::process(store::RedisClient& redis, std::string_view channel_id,
                                                const adapters::ChannelAdapter& adapter,
                                                const adapters::InboundMessage& msg,
                                                bool quarantine_errors, std::string_view kind,
                                                std::string delivery) {
  adapters::Normalized n = adapter.normalize(msg);
  if (!n.errors.empty()) {
    if (!quarantine_errors) {
      co_return errorsResponse(422, "invalid", "", n.errors);
    }
    co_return co_await quarantine(redis, channel_id, msg, n.errors, kind);
  }
  if (!n.ignored.empty()) {
    count(channel_id, "ignored");
    ignored_.with({channel_id, n.ignored_topic.empty() ? std::string_view("other") : std::string_view(n.ignored_topic)}).inc();
    http::Response r;
    r.body = R"({"status":"ignored","reason":)";
    canonical::appendJsonString(r.body, n.ignored);
    r.body += R"(,"events":[]})";
    co_return r;
  }
  if (!n.pulls.empty() && pulls_ != nullptr) {
    // A push that only names a change (Lazada): stored as a fetch job, answered, fetched later.
    pulls::Accepted accepted = co_await pulls_->accept(redis, channel_id, n, msg.received_at);
    count(channel_id, accepted.outcome);
    co_return std::move(accepted.response);
  }
  auto decided = co_await decideAll(redis, channel_id, n.events, n.delivery_id);
  if (!decided) {
    count(channel_id, "unavailable");
    log::warn("push not stored", {{"channel", channel_id}, {"error", describe(decided.error())}});
    co_return http::errorResponse(decided.error());
  }
  recent_.remember(std::move(delivery), RecentDeliveries::Clock::now());
  if (decided->delivery_seen) {
    count(channel_id, "duplicate");
    co_return outcomeResponse("duplicate", {});
  }
  const std::vector<EventOutcome>& outcomes = decided->outcomes;
  std::string_view status = outcomes.empty() ? "ignored" : overallStatus(outcomes);
  count(channel_id, status);
  co_return outcomeResponse(status, outcomes);
}

asio::awaitable<Result<Ingest::Decided>> Ingest::decideAll(
    store::RedisClient& redis, std::string_view channel_id,
    std::vector<canonical::CanonicalEvent>& events, std::string_view delivery_id) {
  std::vector<store::OutboxEvent> outbox;
  outbox.reserve(events.size());
  for (const canonical::CanonicalEvent& ev : events) {
    auto converted = toOutboxEvent(ev, channel_id);
    if (!converted) {
      co_return tl::unexpected(converted.error());
    }
    outbox.push_back(std::move(*converted));
  }
  Decided out;
  out.outcomes.reserve(outbox.size());
  // A delivery of one event needs no mark of its own: its redelivery carries the same event,
  // whose id the decide script finds (one Redis call fewer per push, docs/PIPELINE.md). A
  // delivery of several events spans shards, so its mark is a key of its own, checked before
  // and set after (not awaited: the business dedup already protects against a redelivery that
  // comes before the mark lands).
  const bool marked = !delivery_id.empty() && outbox.size() != 1;
  const int delivery_shard =
      outbox.empty() ? keys_.shardOf(delivery_id) : keys_.shardOf(outbox.front().subject);
  if (marked) {
    auto seen = co_await store::deliverySeen(redis, keys_, delivery_shard, std::string(channel_id),
                                             std::string(delivery_id));
    if (!seen) {
      co_return tl::unexpected(seen.error());
    }
    if (*seen) {
      out.delivery_seen = true;
      co_return out;
    }
  }
  for (store::OutboxEvent& event : outbox) {
    auto decided = co_await store::decide(redis, keys_, event, cfg_.pipeline.dedup_ttl);
    if (!decided) {
      co_return tl::unexpected(decided.error());
    }
    EventOutcome o;
    o.id = std::move(event.id);
    o.type = decided->decision == store::Decision::kAccepted ? std::move(decided->type)
                                                             : std::move(event.type);
    o.status = decisionName(decided->decision);
    events_.with({channel_id, o.status}).inc();
    out.outcomes.push_back(std::move(o));
  }
  if (marked) {
    asio::co_spawn(redis.ioContext(),
                   markDeliveryDetached(redis, keys_, delivery_shard, std::string(channel_id),
                                        std::string(delivery_id), cfg_.pipeline.dedup_ttl),
                   asio::detached);
  }
  co_return out;
}

asio::awaitable<http::Response> Ingest::quarantine(store::RedisClient& redis, std::string_view channel_id,
                                                   const adapters::InboundMessage& msg,
                                                   const FieldErrors& errors, std::string_view kind) {
  store::QuarantineEntry entry;
  entry.channel = std::string(channel_id);
  entry.kind = std::string(kind);
  entry.received_at_ms = msg.received_at.time_since_epoch().count();
  entry.body = std::string(msg.body);
  for (const adapters::Header& h : msg.headers.all()) {
    entry.headers.emplace_back(std::string(h.name), std::string(h.value));
  }
  entry.errors = errors;
  auto id = co_await store::quarantine(redis, keys_, std::move(entry));
  if (!id) {
    count(channel_id, "unavailable");
    co_return http::errorResponse(id.error());
  }
  count(channel_id, "quarantined");
  log::warn("push quarantined", {{"channel", channel_id}, {"quarantine_id", *id},
                                 {"errors", static_cast<long long>(errors.size())},
                                 {"first_error", describe(errors.front())}});
  co_return errorsResponse(202, "quarantined", *id, errors);
}

http::Response Ingest::errorsResponse(unsigned status, std::string_view state, std::string_view id,
                                      const FieldErrors& errors) {
  http::Response r;
  r.status = status;
  r.body = R"({"status":)";
  canonical::appendJsonString(r.body, state);
  if (!id.empty()) {
    r.body += R"(,"quarantine_id":)";
    canonical::appendJsonString(r.body, id);
  }
  r.body += R"(,"errors":[)";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) {
      r.body += ',';
    }
    r.body += R"({"field":)";
    canonical::appendJsonString(r.body, errors[i].field);
    r.body += R"(,"message":)";
    canonical::appendJsonString(r.body, errors[i].message);
    r.body += '}';
  }
  r.body += R"(],"events":[]})";
  return r;
}

}  // namespace ordergate::gateway::pipeline
