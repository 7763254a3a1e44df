#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "canonical/error.hpp"

namespace ordergate::gateway::store {

/// Redis key names. Everything one script touches shares one hash tag, so every script also
/// runs on Redis Cluster:
///
///   <prefix>:{s<k>}:outbox               stream, shard k's outbox (consumer group "forwarders")
///   <prefix>:{s<k>}:ver:<subject>        last accepted version sort key of a subject
///   <prefix>:{s<k>}:seen:<event_id>      dedup marker, with TTL
///   <prefix>:{s<k>}:lease                instance id that forwards shard k, with TTL
///   <prefix>:{s<k>}:dlq                  zset: dead-letter event ids scored by dead_at ms
///   <prefix>:{s<k>}:dlq:<event_id>       hash: the dead event, reason, attempts
///   <prefix>:{s<k>}:att:<event_id>       list: attempt JSON objects of an event in flight
///   <prefix>:{q}:quarantine              zset: quarantine ids scored by received_at ms
///   <prefix>:{q}:q:<id>                  hash: one quarantined payload
///   <prefix>:{s<k>}:dlv:<channel>:<delivery_id>
///                                        delivery-level dedup marker of a delivery of several
///                                        events, with TTL; k = the shard of its first event
///
/// k = shardOf(subject) = FNV-1a 64 of the subject mod shards: stable across processes and
/// releases (changing the shard count re-homes subjects; drain the outbox first).
/// Immutable and cheap to copy; safe to share between threads.
class Keys {
 public:
  /// `prefix` must not contain '{' or '}' (it would change the hash tag); `shards` >= 1.
  /// Out-of-range values are clamped/stripped; use create() to have them reported instead.
  explicit Keys(std::string prefix = "og", int shards = 8);

  /// Validating factory. Errors: kConfig naming the bad value.
  [[nodiscard]] static Result<Keys> create(std::string prefix, int shards);

  [[nodiscard]] const std::string& prefix() const { return prefix_; }
  [[nodiscard]] int shards() const { return shards_; }

  /// Outbox shard of a subject (order_key or carrier:tracking), in [0, shards).
  [[nodiscard]] int shardOf(std::string_view subject) const;

  /// "{s<k>}", the hash tag of shard k.
  [[nodiscard]] std::string tag(int shard) const;

  [[nodiscard]] std::string outbox(int shard) const;
  [[nodiscard]] std::string version(std::string_view subject) const;
  [[nodiscard]] std::string seen(int shard, std::string_view event_id) const;
  [[nodiscard]] std::string lease(int shard) const;
  [[nodiscard]] std::string dlqIndex(int shard) const;
  [[nodiscard]] std::string dlqEntry(int shard, std::string_view event_id) const;
  [[nodiscard]] std::string attempts(int shard, std::string_view event_id) const;
  [[nodiscard]] std::string quarantineIndex() const;
  [[nodiscard]] std::string quarantineEntry(std::string_view id) const;
  [[nodiscard]] std::string delivery(int shard, std::string_view channel,
                                     std::string_view delivery_id) const;

 private:
  [[nodiscard]] std::string shardKey(int shard, std::string_view suffix) const;

  std::string prefix_;
  int shards_;
};

/// The hash tag Redis Cluster hashes for `key`: the text between the first '{' and the next
/// '}' when non-empty, else the whole key.
[[nodiscard]] std::string_view hashTagOf(std::string_view key);

/// 64-bit FNV-1a.
[[nodiscard]] std::uint64_t fnv1a64(std::string_view data);

}  // namespace ordergate::gateway::store
