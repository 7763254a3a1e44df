#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "canonical/error.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

// The durable decisions of the pipeline (ARCHITECTURE.md steps 4–8), all asynchronous on a
// RedisClient. Every function is a coroutine to co_await on the client's io_context thread;
// none blocks. Errors: kUnavailable when Redis cannot be reached (answer 503 / retry later),
// kInternal for an unexpected reply (a bug or a foreign key of the wrong type).
namespace ordergate::gateway::store {

/// The consumer group every forwarder reads the outbox through.
inline constexpr std::string_view kForwarderGroup = "forwarders";

/// One event as it goes into (and comes out of) an outbox stream.
struct OutboxEvent {
  std::string id;             ///< event id (32 lowercase hex chars)
  std::string type;           ///< order.created|order.updated|order.cancelled|tracking.updated
  std::string original_type;  ///< as normalised from the channel; set by decide(), "" before
  std::string source;         ///< "/channels/<id>" or "/carriers/<id>"
  std::string subject;        ///< order_key or "<carrier>:<tracking_number>"
  std::string channel;        ///< configured channel or carrier id
  std::string destination;    ///< "orders" | "tracking"
  std::string version;        ///< as the channel gave it
  std::string version_key;    ///< byte-wise sortable (canonical::versionSortKey)
  std::string time;           ///< RFC 3339, when the change happened
  std::string received_at;    ///< RFC 3339, when the gateway received it
  std::int64_t received_at_ms = 0;  ///< epoch ms of received_at
  std::string dataschema;
  std::string data;           ///< canonical JSON text
  std::string replayed_from;  ///< stream id of the dead-lettered original, "" if not replayed

  friend bool operator==(const OutboxEvent&, const OutboxEvent&) = default;
};

/// An outbox entry read by a forwarder.
struct OutboxEntry {
  std::string stream_id;
  OutboxEvent event;
};

enum class Decision { kAccepted, kDuplicate, kStale };

struct DecideResult {
  Decision decision = Decision::kAccepted;
  std::string type;       ///< final type (kAccepted only)
  std::string stream_id;  ///< outbox entry id (kAccepted only)
};

/// Step 4 in one atomic script: duplicate event id → kDuplicate; version_key not greater than
/// the subject's last accepted one (byte-wise) → kStale; else store the version key (kept
/// forever when `version_ttl` is 0) and append to the subject's outbox shard. The event id is
/// marked seen for `dedup_ttl` by the check itself (SET NX), so also when it turns out stale.
/// For order.* events, the first accepted event of a subject gets type order.created whatever
/// the channel said (a first-seen cancellation included; its data carries status
/// "cancelled"); original_type keeps the channel's. All or nothing: a write that fails after
/// the mark (foreign key type) takes the mark and the version back before the error returns.
/// With a `version_ttl`, a stale event refreshes the version key's TTL.
/// Errors: kInvalidInput when id, subject, type or version_key is empty or dedup_ttl <= 0.
[[nodiscard]] boost::asio::awaitable<Result<DecideResult>> decide(
    RedisClient& client, const Keys& keys, const OutboxEvent& event,
    std::chrono::seconds dedup_ttl,
    std::chrono::seconds version_ttl = std::chrono::seconds(0));

/// Delivery-level dedup for a delivery of several events (a one-event delivery needs none: a
/// redelivery carries the same event, whose id decide() finds): true if marked in `shard` and
/// not expired. `shard` is the shard of the delivery's first event.
[[nodiscard]] boost::asio::awaitable<Result<bool>> deliverySeen(RedisClient& client,
                                                                const Keys& keys, int shard,
                                                                std::string channel,
                                                                std::string delivery_id);

/// Marks a delivery id as seen for `ttl`. Call after the delivery's events were decided.
[[nodiscard]] boost::asio::awaitable<Result<void>> markDelivery(RedisClient& client,
                                                                const Keys& keys, int shard,
                                                                std::string channel,
                                                                std::string delivery_id,
                                                                std::chrono::seconds ttl);

// --- forwarder side --------------------------------------------------------------------------

/// Creates group "forwarders" (from id 0, MKSTREAM) on every shard; existing groups are kept.
[[nodiscard]] boost::asio::awaitable<Result<void>> ensureGroups(RedisClient& client,
                                                                const Keys& keys);

/// Takes or renews shard `shard`'s lease for `instance` (compare-and-set): true if the lease is
/// ours for `ttl` from now, false if another instance holds it.
[[nodiscard]] boost::asio::awaitable<Result<bool>> acquireLease(RedisClient& client,
                                                                const Keys& keys, int shard,
                                                                std::string instance,
                                                                std::chrono::milliseconds ttl);

/// Releases the lease if `instance` holds it; true if released.
[[nodiscard]] boost::asio::awaitable<Result<bool>> releaseLease(RedisClient& client,
                                                                const Keys& keys, int shard,
                                                                std::string instance);

/// Who holds shard `shard`'s lease (nullopt if nobody).
[[nodiscard]] boost::asio::awaitable<Result<std::optional<std::string>>> leaseHolder(
    RedisClient& client, const Keys& keys, int shard);

/// XREADGROUP of up to `count` never-delivered entries for `consumer`. With `block` > 0 the
/// server waits up to that long for entries: a blocked command stalls every command behind it
/// on the same connection, so the forwarder uses its own RedisClient for blocking reads (with
/// command_timeout > block). Empty vector when there is nothing new.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<OutboxEntry>>> readNew(
    RedisClient& client, const Keys& keys, int shard, std::string consumer, int count,
    std::chrono::milliseconds block = std::chrono::milliseconds(0));

/// Entries read from one shard's outbox.
struct ShardEntries {
  int shard = 0;
  std::vector<OutboxEntry> entries;
};

/// The same over several shards in one XREADGROUP (up to `count` entries per shard): one round
/// trip and one blocked client for all of them. A blocked read returns as soon as any of the
/// shards has entries. Only the shards with entries are in the result. The keys span hash tags,
/// so this call is for a single Redis server, not Redis Cluster.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<ShardEntries>>> readNew(
    RedisClient& client, const Keys& keys, std::span<const int> shards, std::string consumer,
    int count, std::chrono::milliseconds block = std::chrono::milliseconds(0));

/// XAUTOCLAIM: takes over up to `count` entries delivered to any consumer and not acknowledged
/// for at least `min_idle` (a crashed instance's work). Bounded: at most 16 scan rounds.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<OutboxEntry>>> claimPending(
    RedisClient& client, const Keys& keys, int shard, std::string consumer,
    std::chrono::milliseconds min_idle, int count);

/// XACK + XDEL in one script; returns how many were acknowledged.
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> ack(RedisClient& client,
                                                               const Keys& keys, int shard,
                                                               std::vector<std::string> stream_ids);

/// Stream ids of one shard.
struct ShardIds {
  int shard = 0;
  std::vector<std::string> ids;
};

/// ack() for several shards in one round trip: one script call per shard (and per 256 ids),
/// pipelined. Returns how many were acknowledged in all, or the first failure (acknowledging
/// an id twice is harmless, so the caller may retry the whole batch).
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> ack(RedisClient& client,
                                                               const Keys& keys,
                                                               std::vector<ShardIds> batches);

/// Appends one attempt (a JSON object: status, error, response body, time …) to the event's
/// attempt list, which expires `ttl` after the last attempt.
[[nodiscard]] boost::asio::awaitable<Result<void>> recordAttempt(
    RedisClient& client, const Keys& keys, int shard, std::string event_id,
    std::string attempt_json, std::chrono::seconds ttl = std::chrono::hours(24 * 7));

/// The attempts recorded so far, oldest first.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> attempts(
    RedisClient& client, const Keys& keys, int shard, std::string event_id);

/// Age of the oldest entry still in the shard's outbox (unacknowledged), measured from the
/// time it was appended (its stream id), 0 when empty. `now_ms` is epoch ms.
[[nodiscard]] boost::asio::awaitable<Result<std::chrono::milliseconds>> outboxLag(
    RedisClient& client, const Keys& keys, int shard, std::int64_t now_ms);

/// Entries in the shard's outbox (pending delivery or being delivered).
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> outboxLength(RedisClient& client,
                                                                        const Keys& keys,
                                                                        int shard);

// --- helpers shared with dead_letters.cpp ------------------------------------------------------

/// The event as stream/hash fields: name, value, … (type and original_type included, empty
/// values skipped).
[[nodiscard]] std::vector<std::string> eventFields(const OutboxEvent& event);

/// Reads an event from name, value, … pairs (unknown names ignored). A field "e" holds the
/// packed form (packEvent) that decide() writes to the outbox.
[[nodiscard]] OutboxEvent eventFromFields(std::span<const RedisReply> flat);

/// Every field but type / original_type as one value: "1;" then `<length>:<bytes>` per field
/// in a fixed order. The outbox stores an accepted event as type, original_type and this one
/// field: a quarter of the arguments and stream fields of one pair per field, which was most
/// of the decide script's Redis CPU and of the forwarder's reply parsing.
[[nodiscard]] std::string packEvent(const OutboxEvent& event);
/// Fills `event`'s packed fields from packEvent() text; false (event unchanged) if malformed.
[[nodiscard]] bool unpackEvent(std::string_view packed, OutboxEvent& event);

/// Milliseconds part of a stream id ("1700000000000-3" → 1700000000000); 0 if malformed.
[[nodiscard]] std::int64_t streamIdMs(std::string_view stream_id);

}  // namespace ordergate::gateway::store
