#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "canonical/time.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/outbox_event.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/trackings/tracking_service_impl.hpp"

namespace ordergate::gateway::trackings {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string compact(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') {
      out += c;
    }
  }
  return out;
}

bool isOAuth(const PolledCarrier& c) {
  return c.poll.auth.kind == carriers::AuthKind::kOAuthClientCredentials;
}

std::string bodyHint(const forward::HttpResponse& r) {
  return r.body_excerpt.substr(0, std::min<std::size_t>(r.body_excerpt.size(), 200));
}

}  // namespace

asio::awaitable<void> TrackingService::Impl::sleep(milliseconds d) {
  asio::steady_timer t(io, d);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<forward::HttpResponse> TrackingService::Impl::send(PolledCarrier& c,
                                                                   carriers::ApiRequest call) {
  const std::int64_t now = nowMs();
  const std::int64_t at = c.limiter.reserve(now);
  if (at > now) {
    co_await sleep(milliseconds(at - now));
  }
  forward::HttpRequest req;
  req.method = std::move(call.method);
  req.url = std::move(call.url);
  req.headers = std::move(call.headers);
  req.body = std::move(call.body);
  req.timeout = c.poll.timeout;
  req.max_response_body = kMaxResponseBody;
  co_return co_await http->post(std::move(req));
}

asio::awaitable<Result<std::string>> TrackingService::Impl::accessToken(PolledCarrier& c,
                                                                       bool refresh) {
  const auto steady = std::chrono::steady_clock::now();
  if (!refresh) {
    if (auto cached = c.token.get(steady)) {
      co_return *cached;
    }
  }
  c.token.invalidate();
  forward::HttpResponse r = co_await send(c, carriers::buildTokenRequest(c.poll.auth));
  if (r.status == 0 || r.status == 429 || r.status >= 500) {
    co_return fail(ErrorCode::kUnavailable,
                   "token endpoint: " + (r.status == 0 ? r.error : "HTTP " + std::to_string(r.status)),
                   "token_url");
  }
  if (r.status != 200) {
    co_return fail(ErrorCode::kUnauthenticated,
                   "token endpoint refused the client credentials: HTTP " + std::to_string(r.status) +
                       " " + bodyHint(r),
                   "token_url");
  }
  auto token = carriers::parseTokenResponse(r.body_excerpt);
  if (!token) {
    co_return tl::unexpected(token.error());
  }
  c.token.store(*token, std::chrono::steady_clock::now());
  log::debug("carrier token refreshed", {{"carrier", c.id},
                                         {"expires_in", static_cast<long long>(token->expires_in.count())}});
  co_return token->access_token;
}

asio::awaitable<PollOutcome> TrackingService::Impl::pollOne(PolledCarrier& c, const Shipment& s) {
  PollOutcome out;
  const std::int64_t started = nowMs();
  out.record.polled_ms = started;
  auto failed = [&](std::string_view outcome, std::string error,
                    std::optional<milliseconds> retry_after) {
    out.outcome = outcome;
    out.record.attempts = s.attempts + 1;
    out.record.last_error = std::move(error);
    out.record.next_ms = nowMs() + policy.backoff(out.record.attempts, retry_after, random).count();
    return out;
  };

  std::string token;
  if (isOAuth(c)) {
    auto t = co_await accessToken(c, false);
    if (!t) {
      const bool refused = t.error().code == ErrorCode::kUnauthenticated;
      if (refused) {
        setAlert(c, t.error().message);
      }
      co_return failed(refused ? "unauthorized" : "retry", t.error().message, std::nullopt);
    }
    token = std::move(*t);
  }
  forward::HttpResponse r = co_await send(c, carriers::buildPollRequest(c.poll, s.tracking_number, token));
  if ((r.status == 401 || r.status == 403) && isOAuth(c) && !stopping) {
    // The token may have been revoked or expired early: one fresh token, one more try.
    auto t = co_await accessToken(c, true);
    if (t) {
      r = co_await send(c, carriers::buildPollRequest(c.poll, s.tracking_number, *t));
    }
  }
  const auto retry_after = forward::parseRetryAfter(r.retry_after, std::chrono::system_clock::now());
  if (r.status == 401 || r.status == 403) {
    setAlert(c, "tracking API refused the credentials: HTTP " + std::to_string(r.status));
    co_return failed("unauthorized", "HTTP " + std::to_string(r.status) + " " + bodyHint(r), retry_after);
  }
  if (r.status == 0 || r.status == 429 || r.status >= 500) {
    co_return failed("retry", r.status == 0 ? r.error : "HTTP " + std::to_string(r.status), retry_after);
  }
  if (r.status < 200 || r.status >= 300) {
    co_return failed("error", "HTTP " + std::to_string(r.status) + " " + bodyHint(r), retry_after);
  }
  setAlert(c, "");

  std::vector<adapters::Header> headers;
  headers.push_back(adapters::Header{"Content-Type", r.content_type});
  adapters::InboundMessage msg;
  msg.channel_id = c.id;
  msg.body = r.body_excerpt;
  msg.headers = adapters::HeaderView(headers);
  msg.received_at = canonical::Timestamp(milliseconds(nowMs()));
  adapters::ChannelAdapterPtr adapter = c.poll_adapter ? c.poll_adapter : lookup(c.id);
  if (!adapter) {
    co_return failed("error", "carrier has no mapping", std::nullopt);
  }
  adapters::Normalized n = adapter->normalize(msg);
  if (!n.errors.empty()) {
    log::warn("tracking response not normalisable", {{"carrier", c.id},
                                                     {"tracking_number", s.tracking_number},
                                                     {"first_error", describe(n.errors.front())}});
    co_return failed("invalid", describe(n.errors.front()), std::nullopt);
  }
  out.outcome = n.ignored.empty() ? "unchanged" : "ignored";
  out.record.last_error = n.ignored;
  const std::string wanted = compact(s.tracking_number);
  std::optional<canonical::Timestamp> latest_at;
  std::optional<canonical::TrackingStatus> latest;
  for (canonical::CanonicalEvent& ev : n.events) {
    auto* update = std::get_if<canonical::TrackingUpdate>(&ev.data);
    if (update == nullptr) {
      continue;
    }
    const bool mine = compact(update->tracking_number) == wanted;
    if (mine && update->order_key.empty() && !s.order_key.empty()) {
      update->order_key = s.order_key;
    }
    auto outbox = pipeline::toOutboxEvent(ev, c.id);
    if (!outbox) {
      co_return failed("invalid", outbox.error().message, std::nullopt);
    }
    auto decided = co_await store::decide(*redis, keys, *outbox, cfg.pipeline.dedup_ttl);
    if (!decided) {
      co_return failed("store_error", decided.error().message, std::nullopt);
    }
    if (decided->decision == store::Decision::kAccepted) {
      out.outcome = "accepted";
    }
    if (mine && update->occurred_at && (!latest_at || *update->occurred_at >= *latest_at)) {
      latest_at = update->occurred_at;
      latest = update->status;
    }
  }
  if (latest) {
    out.record.status = std::string(canonical::toString(*latest));
    out.record.occurred_at = canonical::formatRfc3339(*latest_at);
  }
  if (latest && canonical::isTerminal(*latest)) {
    out.record.next_ms.reset();
    log::info("shipment reached a final status: polling stops",
              {{"carrier", c.id}, {"tracking_number", s.tracking_number}, {"status", out.record.status}});
  } else {
    out.record.next_ms = carriers::nextPollMs(c.poll, nowMs());
  }
  co_return out;
}

asio::awaitable<void> TrackingService::Impl::carrierLoop(PolledCarrier& c) {
  // Claim ~10 s of requests at the carrier's rate (up to 4 per poll), well inside the lease.
  const int batch = std::max(1, std::min(kClaimBatch, static_cast<int>(c.poll.max_requests_per_second * 10)));
  while (!stopping) {
    const std::int64_t now = nowMs();
    auto due = co_await claim(*redis, c.keys, now, now + kLease.count(), batch);
    if (stopping) {
      co_return;
    }
    if (!due) {
      co_await sleep(milliseconds(500));
      continue;
    }
    if (due->empty()) {
      co_await sleep(kIdleWait);
      continue;
    }
    for (const Shipment& s : *due) {
      PollOutcome o = co_await pollOne(c, s);
      if (stopping) {
        co_return;  // the lease runs out and the shipment becomes due again
      }
      auto stored = co_await record(*redis, c.keys, s.tracking_number, o.record);
      if (!stored) {
        log::warn("poll result not stored", {{"carrier", c.id}, {"error", describe(stored.error())}});
      }
      polls.with({c.id, o.outcome}).inc();
      log::debug("tracking polled", {{"carrier", c.id}, {"tracking_number", s.tracking_number},
                                     {"outcome", o.outcome}, {"error", o.record.last_error}});
    }
  }
}

asio::awaitable<void> TrackingService::Impl::gaugeLoop() {
  while (!stopping) {
    for (auto& c : carriers) {
      auto n = co_await followedCount(*redis, c->keys);
      if (n) {
        c->followed->set(static_cast<double>(*n));
      }
    }
    co_await sleep(milliseconds(1000));
  }
}

}  // namespace ordergate::gateway::trackings
