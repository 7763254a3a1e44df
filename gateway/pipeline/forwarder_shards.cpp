#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/log/log.hpp"
#include "gateway/pipeline/forwarder_impl.hpp"
#include "gateway/store/dead_letters.hpp"
#include "gateway/store/quarantine.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr int kReadBatch = 256;
// Back-pressure: stop reading above this many events in memory. 16× max_in_flight (256) keeps
// every delivery slot busy; more only costs memory (~5 KB per event: 20 000 queued made the
// forwarder ~100 MB of a backlogged gateway's RSS) and one waiting coroutine per queued order.
constexpr std::size_t kMaxQueued = 4096;
// A lane's blocked read returns after this at the latest, to take in shards that became ready
// meanwhile (a read in flight covers the shards it was sent for).
constexpr milliseconds kReadBlock{200};
// How often an instance under its share of shards looks for free ones between renewals.
constexpr milliseconds kAcquirePoll{200};

std::int64_t nowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Register this instance, forget instances silent for 3 lease periods, count the live ones.
std::vector<std::vector<std::string>> heartbeatCommands(const std::string& key, const std::string& id,
                                                        std::int64_t now, milliseconds lease_ttl) {
  return {{"ZADD", key, std::to_string(now), id},
          {"ZREMRANGEBYSCORE", key, "-inf", std::to_string(now - 3 * lease_ttl.count())},
          {"ZCARD", key}};
}

}  // namespace

// Instances announce themselves in a sorted set (score = last heartbeat); each aims to own
// ceil(shards / live instances) shards, so two healthy instances split the work and a dead
// instance's shards are taken over once its leases expire.
asio::awaitable<void> Forwarder::Impl::leaseLoop() {
  const std::string registry_key = keys.prefix() + ":instances";
  const milliseconds period = std::max(milliseconds(100), cfg.forwarder.lease_ttl / 3);
  while (!stopping) {
    auto groups = co_await store::ensureGroups(*redis, keys);
    if (groups) {
      break;
    }
    co_await sleep(milliseconds(500));
  }
  while (!stopping) {
    const std::int64_t now = nowMs();
    int live = 1;
    auto heartbeat = heartbeatCommands(registry_key, instance_id, now, cfg.forwarder.lease_ttl);
    auto beat = co_await redis->execPipeline(std::move(heartbeat));
    if (beat.size() == 3 && beat[2] && beat[2]->type == store::RedisReply::Type::kInteger) {
      live = std::max<int>(1, static_cast<int>(beat[2]->integer));
    }
    const int shards = keys.shards();
    const int target = (shards + live - 1) / live;

    // Renew what we hold; a failed renewal means another instance took the shard.
    for (auto it = owned.begin(); it != owned.end() && !stopping;) {
      auto held = co_await store::acquireLease(*redis, keys, it->first, instance_id,
                                               cfg.forwarder.lease_ttl);
      if (held && !*held) {
        log::warn("shard lease lost", {{"shard", it->first}});
        it = owned.erase(it);
      } else {
        ++it;
      }
    }
    // Give back shards above our fair share, but only idle ones (no double delivery).
    while (!stopping && static_cast<int>(owned.size()) > target) {
      int victim = -1;
      for (auto& [shard, st] : owned) {
        bool busy = std::any_of(queues.begin(), queues.end(), [&](const auto& q) {
          return keys.shardOf(q.first) == shard;
        });
        if (!busy) victim = shard;
      }
      if (victim < 0) break;
      owned.erase(victim);
      // Entries the read in flight takes from it are ours (pending) until the next owner claims
      // them when it takes the shard over: the lease goes only after that read is over.
      co_await readFinished();
      auto released = co_await store::releaseLease(*redis, keys, victim, instance_id);
      (void)released;
      log::info("shard released", {{"shard", victim}});
    }
    co_await acquireFree(target, false);
    // Until the next renewal, an instance under its share keeps looking for free shards: one
    // given back by another instance or lane (above) is taken within kAcquirePoll instead of a
    // whole period later, while its new events wait for an owner (3.3 s gaps, PERFORMANCE.md).
    const auto next_renewal = std::chrono::steady_clock::now() + period;
    while (!stopping && std::chrono::steady_clock::now() < next_renewal) {
      const auto left = std::chrono::duration_cast<milliseconds>(next_renewal -
                                                                 std::chrono::steady_clock::now());
      co_await sleep(std::clamp(left, milliseconds(1), kAcquirePoll));
      if (!stopping && static_cast<int>(owned.size()) < target) {
        co_await acquireFree(target, true);
      }
    }
  }
}

// Takes free shards up to `target`, starting at a per-instance offset to spread them. With
// `check_first`, one pipelined EXISTS per shard not held finds the free ones first (the
// frequent case between renewals: nothing is free).
asio::awaitable<void> Forwarder::Impl::acquireFree(int target, bool check_first) {
  const int shards = keys.shards();
  std::vector<int> candidates;
  const int start =
      static_cast<int>(std::hash<std::string>{}(instance_id) % static_cast<std::size_t>(shards));
  for (int i = 0; i < shards; ++i) {
    const int shard = (start + i) % shards;
    if (owned.count(shard) == 0) candidates.push_back(shard);
  }
  if (check_first && !candidates.empty()) {
    std::vector<std::vector<std::string>> commands;
    for (int shard : candidates) {
      commands.push_back({"EXISTS", keys.lease(shard)});
    }
    auto held = co_await redis->execPipeline(std::move(commands));
    std::vector<int> free;
    for (std::size_t i = 0; i < candidates.size() && i < held.size(); ++i) {
      if (held[i] && held[i]->type == store::RedisReply::Type::kInteger && held[i]->integer == 0) {
        free.push_back(candidates[i]);
      }
    }
    candidates = std::move(free);
  }
  for (int shard : candidates) {
    if (stopping || static_cast<int>(owned.size()) >= target) break;
    if (owned.count(shard) != 0) continue;
    auto got = co_await store::acquireLease(*redis, keys, shard, instance_id, cfg.forwarder.lease_ttl);
    if (got && *got) {
      owned[shard];
      asio::co_spawn(io, takeOver(shard), asio::detached);
    }
  }
  const auto now_owned = static_cast<double>(owned.size());
  shared.shards_gauge.add(now_owned - reported_shards);
  reported_shards = now_owned;
}

// A newly owned shard: first everything still pending in it (a dead instance's or a previous
// owner's work, oldest first), then new entries — so per-order ordering survives a takeover.
asio::awaitable<void> Forwarder::Impl::takeOver(int shard) {
  std::size_t claimed = 0;
  for (int round = 0; round < 1000 && !stopping && owned.count(shard) != 0; ++round) {
    auto entries = co_await store::claimPending(*redis, keys, shard, instance_id, milliseconds(0),
                                                kReadBatch);
    if (!entries) {
      co_await sleep(milliseconds(200));
      continue;
    }
    std::sort(entries->begin(), entries->end(), [](const auto& a, const auto& b) {
      return store::streamIdMs(a.stream_id) < store::streamIdMs(b.stream_id) ||
             (store::streamIdMs(a.stream_id) == store::streamIdMs(b.stream_id) && a.stream_id < b.stream_id);
    });
    for (auto& e : *entries) {
      enqueue(shard, std::move(e));
    }
    claimed += entries->size();
    if (entries->size() < static_cast<std::size_t>(kReadBatch)) break;
  }
  auto it = owned.find(shard);
  if (it == owned.end() || stopping) co_return;
  log::info("shard acquired", {{"shard", shard}, {"reclaimed", static_cast<long long>(claimed)}});
  it->second.ready = true;
  if (shards_ready) shards_ready->cancel();
}

// One blocking XREADGROUP over every ready shard of the lane at a time: under load each read
// brings the entries of all of them (one read per shard cost ≈ 9 µs of gateway and 3.5 µs of
// Redis CPU per event, docs/PERFORMANCE.md).
asio::awaitable<void> Forwarder::Impl::readLoop() {
  store::RedisEndpoint ep = endpoint;
  ep.command_timeout = kReadBlock + endpoint.command_timeout;
  reader = std::make_unique<store::RedisClient>(io, ep);
  std::vector<int> shards;
  while (!stopping) {
    shards.clear();
    for (auto& [shard, st] : owned) {
      if (st.ready) shards.push_back(shard);
    }
    if (shards.empty()) {
      shards_ready = std::make_shared<asio::steady_timer>(io, kAcquirePoll);
      boost::system::error_code ec;
      co_await shards_ready->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      shards_ready.reset();
      continue;
    }
    if (queued >= kMaxQueued) {
      co_await sleep(milliseconds(20));
      continue;
    }
    read_done = std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
    auto read = co_await store::readNew(*reader, keys, shards, instance_id, kReadBatch, kReadBlock);
    read_done->cancel();
    read_done.reset();
    if (!read) {
      co_await sleep(milliseconds(200));
      continue;
    }
    for (auto& from_shard : *read) {
      // A shard lost meanwhile: its new owner claims these when it takes the shard over.
      if (owned.count(from_shard.shard) == 0) continue;
      for (auto& e : from_shard.entries) {
        enqueue(from_shard.shard, std::move(e));
      }
    }
  }
}

asio::awaitable<void> Forwarder::Impl::readFinished() {
  if (auto done = read_done) {
    boost::system::error_code ec;
    co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// Entries delivered to a consumer that stopped acknowledging (a crashed instance that still
// held the lease when it died, or a lost acknowledgement) are taken over after claim_idle.
asio::awaitable<void> Forwarder::Impl::claimLoop() {
  const milliseconds period = std::max(milliseconds(100), cfg.forwarder.claim_idle / 2);
  while (!stopping) {
    co_await sleep(period);
    std::vector<int> shards;
    for (auto& [shard, st] : owned) {
      if (st.ready) shards.push_back(shard);
    }
    for (int shard : shards) {
      auto entries = co_await store::claimPending(*redis, keys, shard, instance_id,
                                                  cfg.forwarder.claim_idle, kReadBatch);
      if (entries && owned.count(shard) != 0) {
        for (auto& e : *entries) {
          enqueue(shard, std::move(e));
        }
      }
    }
  }
}

asio::awaitable<void> Forwarder::Impl::gaugeLoop() {
  auto& states = shared.circuit_states;
  while (!stopping) {
    // The outbox-wide figures are the same from every lane: lane 0 reads them.
    if (lane == 0) {
      const std::int64_t now = nowMs();
      double lag = 0;
      double depth = 0;
      for (int shard = 0; shard < keys.shards() && !stopping; ++shard) {
        auto l = co_await store::outboxLag(*redis, keys, shard, now);
        if (l) lag = std::max(lag, static_cast<double>(l->count()) / 1000.0);
        auto n = co_await store::outboxLength(*redis, keys, shard);
        if (n) depth += static_cast<double>(*n);
      }
      shared.lag_gauge.set(lag);
      shared.depth_gauge.set(depth);
      if (auto d = co_await store::deadLetterCount(*redis, keys)) shared.dlq_gauge.set(static_cast<double>(*d));
      if (auto q = co_await store::quarantineCount(*redis, keys)) shared.quarantine_gauge.set(static_cast<double>(*q));
    }
    std::int64_t open = 0;
    std::size_t index = 0;
    for (auto& [name, d] : destinations) {
      auto st = d.breaker.state();
      int v = st == forward::CircuitBreaker::State::kClosed ? 0 : st == forward::CircuitBreaker::State::kHalfOpen ? 1 : 2;
      states[static_cast<std::size_t>(lane)][index].store(v);
      int worst = 0;
      for (const auto& lane_states : states) {
        worst = std::max(worst, lane_states[index].load());
      }
      d.state_gauge->set(worst);
      open += v > 0 ? 1 : 0;
      ++index;
    }
    open_circuits = open;
    co_await sleep(milliseconds(1000));
  }
}

asio::awaitable<void> Forwarder::Impl::releaseAll() {
  std::vector<int> shards;
  for (auto& [shard, st] : owned) shards.push_back(shard);
  owned.clear();
  for (int shard : shards) {
    auto r = co_await store::releaseLease(*redis, keys, shard, instance_id);
    (void)r;
  }
  std::vector<std::string> zrem;
  zrem.push_back("ZREM");
  zrem.push_back(keys.prefix() + ":instances");
  zrem.push_back(instance_id);
  auto r = co_await redis->exec(std::move(zrem));
  (void)r;
}

}  // namespace ordergate::gateway::pipeline
