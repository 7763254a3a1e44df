#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/log/log.hpp"
#include "gateway/pipeline/outbox_event.hpp"
#include "gateway/pulls/pull_service_impl.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/quarantine.hpp"

namespace ordergate::gateway::pulls {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view kindName(adapters::PullOutcome::Kind kind) {
  switch (kind) {
    case adapters::PullOutcome::kEvents: return "events";
    case adapters::PullOutcome::kRetry: return "retry";
    case adapters::PullOutcome::kAuthAlert: return "auth_alert";
    case adapters::PullOutcome::kDeadLetter: return "dead_letter";
  }
  return "retry";
}

adapters::ApiResponse toApiResponse(forward::HttpResponse r) {
  adapters::ApiResponse out;
  out.status = r.status;
  out.body = std::move(r.body_excerpt);
  out.error = std::move(r.error);
  out.retry_after = std::move(r.retry_after);
  return out;
}

store::QuarantineEntry quarantineEntry(const PullChannel& ch, const Job& job,
                                       const FieldErrors& errors) {
  store::QuarantineEntry entry;
  entry.channel = ch.id;
  entry.kind = "channel";
  entry.received_at_ms = job.received_ms;
  entry.body = job.payload;
  // Replaying the entry queues a fresh fetch instead of being answered as a duplicate push.
  entry.headers.emplace_back("Content-Type", "application/json");
  entry.headers.emplace_back("X-Ordergate-Refetch", std::to_string(nowMs()));
  entry.errors = errors;
  return entry;
}

}  // namespace

asio::awaitable<void> PullService::Impl::sleep(milliseconds d) {
  asio::steady_timer t(io, d);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> PullService::Impl::channelLoop(PullChannel& ch) {
  while (!stopping) {
    if (in_flight >= kMaxInFlight) {
      co_await sleep(milliseconds(20));
      continue;
    }
    const std::int64_t now = nowMs();
    auto jobs = co_await claim(*redis, ch.keys, now, now + kLease.count(),
                               std::min(kClaimBatch, kMaxInFlight - in_flight));
    if (stopping) {
      co_return;
    }
    if (!jobs) {
      co_await sleep(milliseconds(500));
      continue;
    }
    if (jobs->empty()) {
      co_await sleep(kPollInterval);
      continue;
    }
    for (Job& job : *jobs) {
      ++in_flight;
      asio::co_spawn(io, runJob(ch, std::move(job)), asio::detached);
    }
  }
}

asio::awaitable<void> PullService::Impl::runJob(PullChannel& ch, Job job) {
  const adapters::PullRequest request{job.key, job.payload};
  const auto now = canonical::Timestamp(milliseconds(nowMs()));
  std::vector<adapters::ApiResponse> responses;
  for (adapters::ApiCall& call : ch.puller->calls(request, now)) {
    forward::HttpRequest req;
    req.method = std::move(call.method);
    req.url = std::move(call.url);
    req.headers = std::move(call.headers);
    req.body = std::move(call.body);
    req.timeout = kRequestTimeout;
    req.max_response_body = kMaxResponseBody;
    responses.push_back(toApiResponse(co_await http->post(std::move(req))));
    if (stopping) {
      --in_flight;
      co_return;  // the lease runs out and the job becomes due again
    }
  }
  const auto received_at = canonical::Timestamp(milliseconds(job.received_ms));
  adapters::PullOutcome outcome = ch.puller->interpret(request, responses, received_at);
  std::string_view counted = kindName(outcome.kind);
  const std::int64_t done_ms = nowMs();

  switch (outcome.kind) {
    case adapters::PullOutcome::kEvents: {
      clearAlert(ch);
      bool stored = true;
      if (!outcome.errors.empty()) {
        counted = "quarantined";
        auto id = co_await store::quarantine(*redis, keys, quarantineEntry(ch, job, outcome.errors));
        stored = id.has_value();
        if (id) {
          log::warn("fetched order quarantined", {{"channel", ch.id}, {"key", job.key},
                                                  {"quarantine_id", *id},
                                                  {"first_error", describe(outcome.errors.front())}});
        }
      }
      for (const canonical::CanonicalEvent& ev : outcome.events) {
        auto outbox = pipeline::toOutboxEvent(ev, ch.id);
        if (!outbox) {
          stored = false;
          break;
        }
        auto decided = co_await store::decide(*redis, keys, *outbox, cfg.pipeline.dedup_ttl);
        if (!decided) {
          stored = false;
          break;
        }
        log::debug("fetched order decided", {{"channel", ch.id}, {"key", job.key},
                                             {"event_id", outbox->id}});
      }
      if (!stored) {
        counted = "store_error";
        auto r = co_await reschedule(*redis, ch.keys, job.key, done_ms + 1000, job.attempts,
                                     "store: could not record the fetched order");
        (void)r;  // if Redis is down the lease expires and the job is due again anyway
        break;
      }
      auto done = co_await complete(*redis, ch.keys, job.key, job.gen, done_ms);
      (void)done;
      break;
    }
    case adapters::PullOutcome::kRetry: {
      const int attempts = job.attempts + 1;
      const auto first = std::chrono::system_clock::time_point(milliseconds(job.first_ms));
      if (policy.expired(first, std::chrono::system_clock::now())) {
        counted = "dead_letter";
        log::warn("fetch job dead-lettered after max_age",
                  {{"channel", ch.id}, {"key", job.key}, {"code", outcome.code}});
        auto r = co_await deadLetter(*redis, ch.keys, job.key, outcome.code,
                                     "retried until max_age; last: " + outcome.message, attempts,
                                     done_ms);
        (void)r;
        break;
      }
      const milliseconds delay = policy.backoff(attempts, outcome.retry_after, random);
      log::debug("fetch will be retried", {{"channel", ch.id}, {"key", job.key},
                                           {"code", outcome.code}, {"attempt", attempts},
                                           {"delay_ms", static_cast<long long>(delay.count())}});
      auto r = co_await reschedule(*redis, ch.keys, job.key, done_ms + delay.count(), attempts,
                                   outcome.code + ": " + outcome.message);
      (void)r;
      break;
    }
    case adapters::PullOutcome::kAuthAlert: {
      setAlert(ch, outcome.code, outcome.message);
      const milliseconds wait = outcome.retry_after.value_or(milliseconds(300'000));
      auto r = co_await reschedule(*redis, ch.keys, job.key, done_ms + wait.count(), job.attempts,
                                   outcome.code + ": " + outcome.message);
      (void)r;
      break;
    }
    case adapters::PullOutcome::kDeadLetter: {
      log::warn("fetch job dead-lettered", {{"channel", ch.id}, {"key", job.key},
                                            {"code", outcome.code}, {"message", outcome.message}});
      auto r = co_await deadLetter(*redis, ch.keys, job.key, outcome.code, outcome.message,
                                   job.attempts + 1, done_ms);
      (void)r;
      break;
    }
  }
  fetches.with({ch.id, counted}).inc();
  --in_flight;
}

asio::awaitable<void> PullService::Impl::gaugeLoop() {
  while (!stopping) {
    for (PullChannel& ch : channels) {
      auto n = co_await pendingCount(*redis, ch.keys);
      if (n) {
        ch.pending->set(static_cast<double>(*n));
      }
    }
    co_await sleep(milliseconds(2000));
  }
}

}  // namespace ordergate::gateway::pulls
