#include "gateway/pipeline/admin.hpp"

#include <charconv>

#include "adapters/common/crypto.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/app/admin_guard.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/log/log.hpp"
#include "adapters/common/byte_sources.hpp"
#include "gateway/pipeline/file_ingest.hpp"
#include "gateway/pipeline/ingest.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;

namespace {

std::string timeText(std::int64_t ms) {
  return canonical::formatRfc3339(canonical::Timestamp(std::chrono::milliseconds(ms)));
}

void field(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  canonical::appendJsonString(out, key);
  out += ':';
  canonical::appendJsonString(out, value);
}

Result<std::int64_t> timeParam(std::string_view name, std::string_view text) {
  if (text.empty()) return 0;
  std::int64_t ms = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec == std::errc() && ptr == text.data() + text.size()) return ms;
  auto t = canonical::parseRfc3339(text);
  if (!t) {
    return fail(ErrorCode::kInvalidInput, "must be RFC 3339 or epoch milliseconds", std::string(name));
  }
  return t->time_since_epoch().count();
}

Result<std::size_t> countParam(std::string_view name, std::string_view text, std::size_t fallback) {
  if (text.empty()) return fallback;
  std::size_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n > 100000) {
    return fail(ErrorCode::kInvalidInput, "must be a number up to 100000", std::string(name));
  }
  return n;
}

http::Response okJson(std::string body) {
  http::Response r;
  r.body = std::move(body);
  return r;
}

// A quarantined flat-file order is its header line plus its rows: read them again with the
// channel's current file adapter, as a file of its own.
asio::awaitable<http::Response> replayFileOrder(store::RedisClient& redis, const store::Keys& keys,
                                                FileIngest& files, const store::QuarantineRecord& q) {
  const adapters::FileAdapter* adapter = files.adapter(q.entry.channel);
  if (adapter == nullptr) {
    co_return http::jsonError(409, "conflict", "channel \"" + q.entry.channel + "\" takes no files any more");
  }
  adapters::FileContext ctx;
  ctx.channel_id = q.entry.channel;
  ctx.content_type = "text/tab-separated-values; charset=utf-8";
  for (const auto& [k, v] : q.entry.headers) {
    if (k == "x-ordergate-file") ctx.file_name = v;
  }
  ctx.received_at = canonical::Timestamp(std::chrono::milliseconds(q.entry.received_at_ms));
  // Replays must not quarantine again: the result of a still-broken order is only reported.
  FileIngestResult result = co_await files.ingest(redis, *adapter,
                                                  std::make_unique<adapters::MemoryByteSource>(q.entry.body), ctx);
  bool fixed = !result.orders.empty() && result.counts.count("quarantined") == 0 &&
               result.counts.count("unavailable") == 0 && result.summary.file_errors.empty();
  if (fixed) {
    auto del = co_await store::deleteQuarantine(redis, keys, q.id);
    (void)del;
  } else {
    // The new quarantine entries duplicate this one: keep only the original.
    for (const auto& o : result.orders) {
      if (!o.quarantine_id.empty()) {
        auto del = co_await store::deleteQuarantine(redis, keys, o.quarantine_id);
        (void)del;
      }
    }
  }
  http::Response r;
  r.status = fixed ? 200 : 422;
  r.body = result.toJson(ctx.file_name);
  co_return r;
}

}  // namespace

std::string deadLetterSummaryJson(const store::DeadLetter& d) {
  std::string out = "{";
  field(out, "id", d.event.id, true);
  field(out, "type", d.event.type);
  field(out, "subject", d.event.subject);
  field(out, "channel", d.event.channel);
  field(out, "destination", d.event.destination);
  field(out, "reason", d.reason);
  field(out, "dead_at", timeText(d.dead_at_ms));
  field(out, "received_at", d.event.received_at);
  out += R"(,"shard":)" + std::to_string(d.shard) + "}";
  return out;
}

std::string deadLetterJson(const store::DeadLetter& d) {
  std::string out = deadLetterSummaryJson(d);
  out.pop_back();
  field(out, "version", d.event.version);
  field(out, "source", d.event.source);
  field(out, "time", d.event.time);
  out += R"(,"attempts":)";
  out += d.attempts_json.empty() ? "[]" : d.attempts_json;
  out += R"(,"data":)";
  out += d.event.data.empty() ? "null" : d.event.data;
  out += "}";
  return out;
}

std::string quarantineSummaryJson(const store::QuarantineRecord& q) {
  std::string out = "{";
  field(out, "id", q.id, true);
  field(out, "channel", q.entry.channel);
  field(out, "kind", q.entry.kind);
  field(out, "received_at", timeText(q.entry.received_at_ms));
  out += R"(,"bytes":)" + std::to_string(q.entry.body.size());
  out += R"(,"errors":[)";
  for (std::size_t i = 0; i < q.entry.errors.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    field(out, "field", q.entry.errors[i].field, true);
    field(out, "message", q.entry.errors[i].message);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string quarantineJson(const store::QuarantineRecord& q) {
  std::string out = quarantineSummaryJson(q);
  out.pop_back();
  out += R"(,"headers":{)";
  for (std::size_t i = 0; i < q.entry.headers.size(); ++i) {
    field(out, q.entry.headers[i].first, q.entry.headers[i].second, i == 0);
  }
  out += "}";
  field(out, "body", q.entry.body);
  out += "}";
  return out;
}

Result<store::DlqFilter> dlqFilterFromQuery(const http::Request& req) {
  store::DlqFilter f;
  f.channel = std::string(req.queryParam("channel"));
  f.type = std::string(req.queryParam("type"));
  auto since = timeParam("since", req.queryParam("since"));
  auto until = timeParam("until", req.queryParam("until"));
  auto offset = countParam("offset", req.queryParam("offset"), 0);
  auto limit = countParam("limit", req.queryParam("limit"), 100);
  for (const Error* e : {since ? nullptr : &since.error(), until ? nullptr : &until.error(),
                         offset ? nullptr : &offset.error(), limit ? nullptr : &limit.error()}) {
    if (e != nullptr) return tl::unexpected(*e);
  }
  f.since_ms = *since;
  f.until_ms = *until;
  f.offset = *offset;
  f.limit = *limit;
  return f;
}

Result<store::QuarantineFilter> quarantineFilterFromQuery(const http::Request& req) {
  auto d = dlqFilterFromQuery(req);
  if (!d) return tl::unexpected(d.error());
  store::QuarantineFilter f;
  f.channel = d->channel;
  f.kind = std::string(req.queryParam("kind"));
  f.since_ms = d->since_ms;
  f.until_ms = d->until_ms;
  f.offset = d->offset;
  f.limit = d->limit;
  return f;
}

void addAdminRoutes(http::Router& router, const std::string& token, const store::Keys& keys,
                    Ingest& ingest, FileIngest& files) {
  using store::RedisClient;

  router.add({"GET", "/v1/admin/dlq", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto f = dlqFilterFromQuery(req);
                if (!f) co_return http::errorResponse(f.error());
                auto items = co_await store::listDeadLetters(redis, keys, *f);
                if (!items) co_return http::errorResponse(items.error());
                auto total = co_await store::deadLetterCount(redis, keys);
                std::string out = R"({"items":[)";
                for (std::size_t i = 0; i < items->size(); ++i) {
                  if (i > 0) out += ',';
                  out += deadLetterSummaryJson((*items)[i]);
                }
                out += R"(],"offset":)" + std::to_string(f->offset) + R"(,"limit":)" +
                       std::to_string(f->limit) + R"(,"total":)" + std::to_string(total ? *total : -1) + "}";
                co_return okJson(std::move(out));
              })});
  router.add({"GET", "/v1/admin/dlq/{id}", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto d = co_await store::getDeadLetter(redis, keys, std::string(req.param("id")));
                if (!d) co_return http::errorResponse(d.error());
                co_return okJson(deadLetterJson(*d));
              })});
  router.add({"POST", "/v1/admin/dlq/{id}/replay", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                std::string id(req.param("id"));
                auto r = co_await store::replayDeadLetter(redis, keys, id);
                if (!r) co_return http::errorResponse(r.error());
                log::info("dead letter replayed", {{"event_id", id}});
                std::string out = R"({"replayed":[)";
                canonical::appendJsonString(out, id);
                out += "]}";
                co_return okJson(std::move(out));
              })});
  router.add({"POST", "/v1/admin/dlq/replay", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto f = dlqFilterFromQuery(req);
                if (!f) co_return http::errorResponse(f.error());
                bool all = req.queryParam("all") == "true";
                if (!all && f->channel.empty() && f->type.empty() && f->since_ms == 0 && f->until_ms == 0) {
                  co_return http::jsonError(400, "invalid_input",
                                            "name a filter (channel, type, since, until) or all=true");
                }
                f->offset = 0;
                f->limit = 100000;
                auto items = co_await store::listDeadLetters(redis, keys, *f);
                if (!items) co_return http::errorResponse(items.error());
                std::string out = R"({"replayed":[)";
                std::size_t n = 0;
                for (const auto& d : *items) {
                  auto r = co_await store::replayDeadLetter(redis, keys, d.event.id);
                  if (!r) continue;
                  if (n++ > 0) out += ',';
                  canonical::appendJsonString(out, d.event.id);
                }
                out += "]}";
                log::info("dead letters replayed", {{"count", static_cast<long long>(n)}});
                co_return okJson(std::move(out));
              })});
  router.add({"DELETE", "/v1/admin/dlq/{id}", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                std::string id(req.param("id"));
                auto r = co_await store::purgeDeadLetter(redis, keys, id);
                if (!r) co_return http::errorResponse(r.error());
                std::string out = R"({"purged":)";
                canonical::appendJsonString(out, id);
                out += "}";
                co_return okJson(std::move(out));
              })});

  router.add({"GET", "/v1/admin/quarantine", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto f = quarantineFilterFromQuery(req);
                if (!f) co_return http::errorResponse(f.error());
                auto items = co_await store::listQuarantine(redis, keys, *f);
                if (!items) co_return http::errorResponse(items.error());
                auto total = co_await store::quarantineCount(redis, keys);
                std::string out = R"({"items":[)";
                for (std::size_t i = 0; i < items->size(); ++i) {
                  if (i > 0) out += ',';
                  out += quarantineSummaryJson((*items)[i]);
                }
                out += R"(],"offset":)" + std::to_string(f->offset) + R"(,"limit":)" +
                       std::to_string(f->limit) + R"(,"total":)" + std::to_string(total ? *total : -1) + "}";
                co_return okJson(std::move(out));
              })});
  router.add({"GET", "/v1/admin/quarantine/{id}", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto q = co_await store::getQuarantine(redis, keys, std::string(req.param("id")));
                if (!q) co_return http::errorResponse(q.error());
                co_return okJson(quarantineJson(*q));
              })});
  auto replay_one = [keys, &ingest, &files](RedisClient& redis, const store::QuarantineRecord& q)
      -> asio::awaitable<http::Response> {
    if (q.entry.kind == "file") {
      co_return co_await replayFileOrder(redis, keys, files, q);
    }
    const bool carrier = q.entry.kind == "carrier";
    adapters::ChannelAdapterPtr adapter =
        carrier ? ingest.carrier(q.entry.channel) : ingest.channel(q.entry.channel);
    if (adapter == nullptr) {
      co_return http::jsonError(409, "conflict", q.entry.kind + " \"" + q.entry.channel + "\" is no longer configured");
    }
    std::vector<adapters::Header> headers;
    for (const auto& [k, v] : q.entry.headers) headers.push_back({k, v});
    adapters::InboundMessage msg;
    msg.channel_id = q.entry.channel;
    msg.body = q.entry.body;
    msg.headers = adapters::HeaderView(headers);
    msg.received_at = canonical::Timestamp(std::chrono::milliseconds(q.entry.received_at_ms));
    // Verified when it arrived; normalised again with the current config.
    http::Response r = co_await ingest.process(redis, q.entry.channel, *adapter, msg, false, q.entry.kind);
    if (r.status == 200) {
      auto del = co_await store::deleteQuarantine(redis, keys, q.id);
      (void)del;
      log::info("quarantine entry replayed", {{"quarantine_id", q.id}});
    }
    co_return r;
  };
  router.add({"POST", "/v1/admin/quarantine/{id}/replay", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys, replay_one](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto q = co_await store::getQuarantine(redis, keys, std::string(req.param("id")));
                if (!q) co_return http::errorResponse(q.error());
                co_return co_await replay_one(redis, *q);
              })});
  router.add({"POST", "/v1/admin/quarantine/replay", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys, replay_one](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                auto f = quarantineFilterFromQuery(req);
                if (!f) co_return http::errorResponse(f.error());
                if (req.queryParam("all") != "true" && f->channel.empty() && f->since_ms == 0 && f->until_ms == 0) {
                  co_return http::jsonError(400, "invalid_input", "name a filter (channel, since, until) or all=true");
                }
                f->offset = 0;
                f->limit = 100000;
                auto items = co_await store::listQuarantine(redis, keys, *f);
                if (!items) co_return http::errorResponse(items.error());
                std::string replayed;
                std::string failed;
                for (const auto& q : *items) {
                  http::Response r = co_await replay_one(redis, q);
                  std::string& list = r.status == 200 ? replayed : failed;
                  if (!list.empty()) list += ',';
                  canonical::appendJsonString(list, q.id);
                }
                co_return okJson(R"({"replayed":[)" + replayed + R"(],"still_failing":[)" + failed + "]}");
              })});
  router.add({"DELETE", "/v1/admin/quarantine/{id}", "admin", http::BodyClass::kAdmin,
              adminGuarded(token, [keys](http::Request& req, RedisClient& redis) -> asio::awaitable<http::Response> {
                std::string id(req.param("id"));
                auto r = co_await store::deleteQuarantine(redis, keys, id);
                if (!r) co_return http::errorResponse(r.error());
                std::string out = R"({"purged":)";
                canonical::appendJsonString(out, id);
                out += "}";
                co_return okJson(std::move(out));
              })});
}

}  // namespace ordergate::gateway::pipeline
