#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "canonical/error.hpp"
#include "gateway/store/redis_client.hpp"

// Durable fetch jobs of pull channels (Lazada), all keys of one channel under one hash tag:
//
//   <prefix>:{p:<channel>}:seen:<push identity>  push dedup marker, with TTL
//   <prefix>:{p:<channel>}:job:<key>             hash: payload, received_ms, gen, attempts,
//                                                first_ms, last_error — one job per order
//   <prefix>:{p:<channel>}:due                   zset: job key → due time (epoch ms)
//   <prefix>:{p:<channel>}:dlq                   zset: job key → dead_ms
//   <prefix>:{p:<channel>}:dlq:<key>             hash: the dead job, code, message
//
// A claimed job's due time moves to the end of its lease, so a crashed worker's job becomes due
// again by itself; `gen` counts pushes, so a push that arrives during a fetch is never lost.
// Coroutines on the client's io_context; errors kUnavailable (Redis down) or kInternal.
namespace ordergate::gateway::pulls {

/// Key names of one channel's jobs. Cheap to copy.
class PullKeys {
 public:
  PullKeys(std::string_view prefix, std::string_view channel);
  [[nodiscard]] std::string seen(std::string_view identity) const { return base_ + "seen:" + std::string(identity); }
  [[nodiscard]] std::string job(std::string_view key) const { return base_ + "job:" + std::string(key); }
  [[nodiscard]] std::string jobPrefix() const { return base_ + "job:"; }
  [[nodiscard]] std::string due() const { return base_ + "due"; }
  [[nodiscard]] std::string dlq() const { return base_ + "dlq"; }
  [[nodiscard]] std::string dlqEntry(std::string_view key) const { return base_ + "dlq:" + std::string(key); }

 private:
  std::string base_;  ///< "<prefix>:{p:<channel>}:"
};

/// What enqueue() did.
enum class EnqueueResult {
  kDuplicate,  ///< this push identity was seen within the TTL: nothing changed
  kQueued,     ///< a new fetch job
  kCoalesced,  ///< a fetch was already pending for the key: the job now carries this push
};

/// Atomically: SET NX the identity marker (TTL `dedup_ttl`); if new, store the push in the
/// key's job (payload replaced, gen + 1) and make the job due now unless it is scheduled already.
[[nodiscard]] boost::asio::awaitable<Result<EnqueueResult>> enqueue(
    store::RedisClient& redis, const PullKeys& keys, std::string identity, std::string key,
    std::string payload, std::int64_t received_ms, std::int64_t now_ms,
    std::chrono::seconds dedup_ttl);

/// One claimed job.
struct Job {
  std::string key;
  std::string payload;
  std::int64_t received_ms = 0;
  std::string gen;
  int attempts = 0;
  std::int64_t first_ms = 0;
};

/// Up to `count` jobs due at `now_ms`; each is leased (made due at `lease_until_ms`).
[[nodiscard]] boost::asio::awaitable<Result<std::vector<Job>>> claim(store::RedisClient& redis,
                                                                     const PullKeys& keys,
                                                                     std::int64_t now_ms,
                                                                     std::int64_t lease_until_ms,
                                                                     int count);

/// Done: deletes the job if no push arrived since it was claimed (same gen); else makes it due
/// at `now_ms` again (attempts reset) so the newest state is fetched. True if deleted.
[[nodiscard]] boost::asio::awaitable<Result<bool>> complete(store::RedisClient& redis,
                                                            const PullKeys& keys, std::string key,
                                                            std::string gen, std::int64_t now_ms);

/// Makes the job due at `due_ms`, recording `attempts` and the last error.
[[nodiscard]] boost::asio::awaitable<Result<void>> reschedule(store::RedisClient& redis,
                                                              const PullKeys& keys, std::string key,
                                                              std::int64_t due_ms, int attempts,
                                                              std::string last_error);

/// Moves the job to the channel's pull DLQ with the channel's error code and message.
[[nodiscard]] boost::asio::awaitable<Result<void>> deadLetter(store::RedisClient& redis,
                                                              const PullKeys& keys, std::string key,
                                                              std::string code, std::string message,
                                                              int attempts, std::int64_t dead_ms);

/// A dead fetch job.
struct DeadJob {
  std::string key;
  std::string code;
  std::string message;
  std::string payload;
  int attempts = 0;
  std::int64_t dead_ms = 0;
  std::int64_t received_ms = 0;
};

/// The channel's dead jobs, newest first (at most `limit`).
[[nodiscard]] boost::asio::awaitable<Result<std::vector<DeadJob>>> listDead(
    store::RedisClient& redis, const PullKeys& keys, int limit);

/// Puts a dead job back as due now (attempts 0); kNotFound when there is none.
[[nodiscard]] boost::asio::awaitable<Result<void>> replayDead(store::RedisClient& redis,
                                                              const PullKeys& keys, std::string key,
                                                              std::int64_t now_ms);

/// Jobs waiting (due or leased).
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> pendingCount(store::RedisClient& redis,
                                                                        const PullKeys& keys);

}  // namespace ordergate::gateway::pulls
