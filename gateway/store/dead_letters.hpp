#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "gateway/store/event_store.hpp"

// Dead letters: events the forwarder gave up on, kept per outbox shard with every attempt.
// The admin API names a dead letter by its event id alone (32 hex chars): the shard is not
// derivable from the id, so lookups probe all shards in one pipelined round trip (K is
// small), and listings report the shard. Coroutines on the client's io_context; errors as in
// event_store.hpp, plus kNotFound for an unknown id.
namespace ordergate::gateway::store {

struct DeadLetter {
  int shard = 0;
  std::string stream_id;  ///< the outbox entry it was taken from
  OutboxEvent event;      ///< type as it was forwarded
  std::string reason;
  std::int64_t dead_at_ms = 0;
  std::string attempts_json;  ///< JSON array of the attempt objects, oldest first
};

struct DlqFilter {
  std::string channel;         ///< empty: any
  std::string type;            ///< empty: any
  std::int64_t since_ms = 0;   ///< dead_at >= since (0: no bound)
  std::int64_t until_ms = 0;   ///< dead_at <= until (0: no bound)
  std::size_t offset = 0;
  std::size_t limit = 100;
};

/// Moves an outbox entry to the shard's DLQ in one script: the hash gets the event fields,
/// `reason`, dead_at, and the attempts recorded by recordAttempt() followed by
/// `final_attempts` (JSON objects) as one JSON array; the attempt list is deleted, the entry
/// XACKed and XDELed. Dead-lettering the same event id again replaces the previous record.
[[nodiscard]] boost::asio::awaitable<Result<void>> deadLetter(
    RedisClient& client, const Keys& keys, int shard, std::string stream_id, OutboxEvent event,
    std::string reason, std::int64_t dead_at_ms, std::vector<std::string> final_attempts = {});

/// Dead letters of all shards matching `filter`, newest first, then offset/limit.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<DeadLetter>>> listDeadLetters(
    RedisClient& client, const Keys& keys, DlqFilter filter);

/// One dead letter by event id. kNotFound if there is none.
[[nodiscard]] boost::asio::awaitable<Result<DeadLetter>> getDeadLetter(RedisClient& client,
                                                                       const Keys& keys,
                                                                       std::string event_id);

/// Puts the event back on its shard's outbox (original fields and type, plus replayed_from)
/// and removes the dead letter, atomically. Returns the new stream id; kNotFound if none.
[[nodiscard]] boost::asio::awaitable<Result<std::string>> replayDeadLetter(RedisClient& client,
                                                                           const Keys& keys,
                                                                           std::string event_id);

/// Deletes a dead letter. kNotFound if there is none.
[[nodiscard]] boost::asio::awaitable<Result<void>> purgeDeadLetter(RedisClient& client,
                                                                   const Keys& keys,
                                                                   std::string event_id);

/// Dead letters in all shards.
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> deadLetterCount(RedisClient& client,
                                                                           const Keys& keys);

}  // namespace ordergate::gateway::store
