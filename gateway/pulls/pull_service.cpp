#include "gateway/pulls/pull_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "adapters/common/crypto.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/app/admin_guard.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pulls/pull_service_impl.hpp"

namespace ordergate::gateway::pulls {

namespace asio = boost::asio;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void field(std::string& out, std::string_view name, std::string_view value, bool first = false) {
  if (!first) {
    out += ',';
  }
  canonical::appendJsonString(out, name);
  out += ':';
  canonical::appendJsonString(out, value);
}

std::string timeText(std::int64_t ms) {
  return canonical::formatRfc3339(canonical::Timestamp(std::chrono::milliseconds(ms)));
}

std::string deadJobJson(std::string_view channel, const DeadJob& d) {
  std::string out = "{";
  field(out, "channel", channel, true);
  field(out, "key", d.key);
  field(out, "code", d.code);
  field(out, "message", d.message);
  out += R"(,"attempts":)" + std::to_string(d.attempts);
  field(out, "dead_at", timeText(d.dead_ms));
  field(out, "received_at", timeText(d.received_ms));
  field(out, "payload", d.payload);
  out += '}';
  return out;
}

http::Response json(std::string body) {
  http::Response r;
  r.body = std::move(body);
  return r;
}

}  // namespace

PullService::Impl::Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k,
                        forward::RetryPolicy p, metrics::Registry& m)
    : cfg(c),
      endpoint(std::move(ep)),
      keys(std::move(k)),
      policy(std::move(p)),
      alert_gauge(m.gauge("ordergate_channel_alert",
                          "1 while a channel needs attention (e.g. its API token is refused)",
                          {"channel", "reason"})),
      fetches(m.counter("ordergate_pull_fetches_total",
                        "Fetch jobs run by channel and outcome (events, quarantined, retry, "
                        "auth_alert, dead_letter, store_error)",
                        {"channel", "outcome"})) {}

PullChannel* PullService::Impl::find(std::string_view id) {
  for (PullChannel& ch : channels) {
    if (ch.id == id) {
      return &ch;
    }
  }
  return nullptr;
}

void PullService::Impl::setAlert(PullChannel& ch, const std::string& code,
                                 const std::string& message) {
  std::lock_guard lock(alert_mutex);
  if (ch.alert_code == code) {
    ch.alert_message = message;
    return;
  }
  if (!ch.alert_code.empty()) {
    alert_gauge.with({ch.id, ch.alert_code}).set(0);
  }
  ch.alert_code = code;
  ch.alert_message = message;
  alert_gauge.with({ch.id, code}).set(1);
  log::error("channel credentials refused: fetch jobs wait until they are fixed",
             {{"channel", ch.id}, {"code", code}, {"message", message}});
}

void PullService::Impl::clearAlert(PullChannel& ch) {
  std::lock_guard lock(alert_mutex);
  if (ch.alert_code.empty()) {
    return;
  }
  alert_gauge.with({ch.id, ch.alert_code}).set(0);
  log::info("channel alert cleared", {{"channel", ch.id}, {"code", ch.alert_code}});
  ch.alert_code.clear();
  ch.alert_message.clear();
}

PullService::PullService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PullService::~PullService() { stop(); }

Result<std::unique_ptr<PullService>> PullService::create(
    const config::Config& cfg,
    const std::map<std::string, adapters::ChannelAdapterPtr, std::less<>>& channels,
    store::RedisEndpoint redis, store::Keys keys, metrics::Registry& metrics) {
  forward::RetryConfig rc;
  rc.initial = cfg.retry.initial;
  rc.cap = cfg.retry.cap;
  rc.max_age = cfg.retry.max_age;
  auto policy = forward::RetryPolicy::create(rc);
  if (!policy) {
    return fail(ErrorCode::kConfig, policy.error().message, cfg.source_path + ": retry");
  }
  auto impl = std::make_unique<Impl>(cfg, std::move(redis), keys, std::move(*policy), metrics);
  auto& pending = metrics.gauge("ordergate_pull_jobs_pending",
                                "Fetch jobs waiting (due, leased or backing off) per channel",
                                {"channel"});
  for (const auto& [id, adapter] : channels) {
    if (adapter == nullptr || adapter->puller() == nullptr) {
      continue;
    }
    PullChannel ch{id, adapter, adapter->puller(), PullKeys(keys.prefix(), id), &pending.with({id}),
                   {}, {}};
    impl->channels.push_back(std::move(ch));
  }
  if (impl->channels.empty()) {
    return std::unique_ptr<PullService>();
  }
  return std::unique_ptr<PullService>(new PullService(std::move(impl)));
}

asio::awaitable<Accepted> PullService::accept(store::RedisClient& redis, std::string_view channel_id,
                                              const adapters::Normalized& n,
                                              canonical::Timestamp received_at) {
  PullChannel* ch = impl_->find(channel_id);
  if (ch == nullptr) {
    co_return Accepted{http::jsonError(500, "internal", "channel has no puller"), "unavailable"};
  }
  std::string_view fetch = "none";
  for (const adapters::PullRequest& pull : n.pulls) {
    std::string identity = n.delivery_id.empty() ? pull.key + "|" + std::to_string(nowMs()) : n.delivery_id;
    auto r = co_await enqueue(redis, ch->keys, std::move(identity), pull.key, pull.payload,
                              received_at.time_since_epoch().count(), nowMs(),
                              impl_->cfg.pipeline.dedup_ttl);
    if (!r) {
      log::warn("push not stored", {{"channel", channel_id}, {"error", describe(r.error())}});
      co_return Accepted{http::errorResponse(r.error()), "unavailable"};
    }
    if (*r == EnqueueResult::kQueued) {
      fetch = "queued";
    } else if (*r == EnqueueResult::kCoalesced && fetch != "queued") {
      fetch = "coalesced";
    }
  }
  if (fetch == "none") {
    co_return Accepted{json(R"({"status":"duplicate","events":[]})"), "duplicate"};
  }
  std::string body = R"({"status":"accepted","fetch":")";
  body += fetch;
  body += R"(","events":[]})";
  co_return Accepted{json(std::move(body)), "accepted"};
}

void PullService::start() {
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    return;
  }
  s.openClients(s.endpoint, kMaxInFlight * 2);
  for (PullChannel& ch : s.channels) {
    asio::co_spawn(s.io, s.channelLoop(ch), asio::detached);
  }
  asio::co_spawn(s.io, s.gaugeLoop(), asio::detached);
  s.startThread();
  log::info("fetch worker started", {{"channels", static_cast<long long>(s.channels.size())}});
}

void PullService::stop() {
  impl_->stopThread();
}

std::vector<std::pair<std::string, std::string>> PullService::readinessDetails() const {
  std::lock_guard lock(impl_->alert_mutex);
  std::vector<std::pair<std::string, std::string>> out;
  for (const PullChannel& ch : impl_->channels) {
    out.emplace_back("pulls:" + ch.id,
                     ch.alert_code.empty() ? std::string("ok")
                                           : "alert: " + ch.alert_code + ": " + ch.alert_message);
  }
  return out;
}

void PullService::addRoutes(http::Router& router, const std::string& admin_token) {
  Impl* s = impl_.get();
  router.add({"GET", "/v1/admin/pulls/dlq", "admin", http::BodyClass::kAdmin,
              adminGuarded(admin_token, [s](http::Request& req, store::RedisClient& redis) -> asio::awaitable<http::Response> {
                const std::string_view only = req.queryParam("channel");
                int limit = 100;
                if (const std::string_view l = req.queryParam("limit"); !l.empty()) {
                  limit = std::max(1, std::min(10000, std::atoi(std::string(l).c_str())));
                }
                std::string out = R"({"items":[)";
                bool first = true;
                for (PullChannel& ch : s->channels) {
                  if (!only.empty() && only != ch.id) {
                    continue;
                  }
                  auto dead = co_await listDead(redis, ch.keys, limit);
                  if (!dead) {
                    co_return http::errorResponse(dead.error());
                  }
                  for (const DeadJob& d : *dead) {
                    if (!first) {
                      out += ',';
                    }
                    first = false;
                    out += deadJobJson(ch.id, d);
                  }
                }
                out += "]}";
                co_return json(std::move(out));
              })});
  router.add({"POST", "/v1/admin/pulls/dlq/{channel}/{key}/replay", "admin", http::BodyClass::kAdmin,
              adminGuarded(admin_token, [s](http::Request& req, store::RedisClient& redis) -> asio::awaitable<http::Response> {
                PullChannel* ch = s->find(req.param("channel"));
                if (ch == nullptr) {
                  co_return http::jsonError(404, "not_found", "not a pull channel");
                }
                auto r = co_await replayDead(redis, ch->keys, std::string(req.param("key")), nowMs());
                if (!r) {
                  co_return http::errorResponse(r.error());
                }
                co_return json(R"({"status":"queued"})");
              })});
}

}  // namespace ordergate::gateway::pulls
