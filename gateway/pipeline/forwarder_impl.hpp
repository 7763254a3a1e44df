#pragma once

// Internal to the forwarder: shared by forwarder.cpp (delivery) and forwarder_shards.cpp
// (leases, reading, reclaiming, gauges).

#include <array>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "adapters/common/standard_webhooks.hpp"
#include "gateway/config/config.hpp"
#include "gateway/forward/circuit_breaker.hpp"
#include "gateway/forward/http_client.hpp"
#include "gateway/forward/retry_policy.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/forwarder.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/util/worker_thread.hpp"

namespace ordergate::gateway::pipeline {

struct Destination {
  std::string name;  ///< "orders" | "tracking"
  std::string url;
  forward::CircuitBreaker breaker;
  metrics::Gauge* state_gauge = nullptr;
};

/// Stream ids delivered and waiting for one acknowledgement round trip, per shard; `done` is
/// cancelled when it landed (or the forwarder stops), which wakes every delivery waiting on it.
struct AckBatch {
  std::map<int, std::vector<std::string>> ids;
  std::shared_ptr<boost::asio::steady_timer> done;
};

struct ShardState {
  bool ready = false;  ///< pending entries claimed; new entries may be read
};

/// "<shard>/<stream id>": stream ids repeat across shards.
std::string memoryKey(int shard, std::string_view stream_id);

/// The metric families every lane of a Forwarder shares (a family registered twice would be
/// rendered twice), and what lanes publish to each other.
struct ForwarderMetrics {
  explicit ForwarderMetrics(metrics::Registry& m, int lanes);
  metrics::Family<metrics::Counter>& attempts;
  metrics::Family<metrics::Counter>& dead_letters;
  metrics::Family<metrics::Histogram>& latency;
  metrics::Gauge& lag_gauge;
  metrics::Gauge& depth_gauge;
  metrics::Gauge& dlq_gauge;
  metrics::Gauge& quarantine_gauge;
  metrics::Gauge& shards_gauge;  ///< sum over lanes: each adds the change of its own count
  metrics::Family<metrics::Gauge>& circuit;
  /// Breaker state per lane and destination (0 orders, 1 tracking); the gauge shows the worst.
  std::vector<std::array<std::atomic<int>, 2>> circuit_states;
};

/// One forwarder lane. WorkerThread's `redis` carries the non-blocking commands; `reader` the
/// blocking reads, one XREADGROUP over all the lane's ready shards at a time.
struct Forwarder::Impl : WorkerThread {
  const config::Config& cfg;
  store::RedisEndpoint endpoint;
  store::Keys keys;
  std::string instance_id;
  forward::RetryPolicy policy;
  std::optional<adapters::StandardWebhooksSigner> signer;
  forward::Random random = forward::defaultRandom();


  std::map<std::string, Destination> destinations;
  std::map<int, ShardState> owned;
  std::unordered_map<std::string, std::deque<store::OutboxEntry>> queues;  ///< per subject
  std::unordered_set<std::string> in_memory;  ///< memoryKey() of entries queued or in delivery
  std::size_t queued = 0;
  int in_flight = 0;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> slot_waiters;
  AckBatch ack_pending;       ///< delivered, not yet acknowledged
  bool ack_flushing = false;  ///< an acknowledgement round trip is in flight
  std::unique_ptr<store::RedisClient> reader;  ///< own connection for blocking reads
  /// Cancelled when the read in flight returns (null while none is): a shard is given back only
  /// after the read that may still take its entries is over.
  std::shared_ptr<boost::asio::steady_timer> read_done;
  /// Cancelled when a shard becomes ready, to wake a reader that had none.
  std::shared_ptr<boost::asio::steady_timer> shards_ready;

  ForwarderMetrics& shared;
  const int lane;  ///< 0 … forwarder.threads−1; lane 0 also publishes the outbox-wide gauges
  metrics::Family<metrics::Counter>& attempts;
  metrics::Family<metrics::Counter>& dead_letters;
  metrics::Family<metrics::Histogram>& latency;
  double reported_shards = 0;  ///< this lane's share of shards_gauge
  std::atomic<std::int64_t> open_circuits{0};

  Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k, forward::RetryPolicy p,
       ForwarderMetrics& m, int lane_index);

  // forwarder.cpp
  void enqueue(int shard, store::OutboxEntry entry);
  boost::asio::awaitable<void> deliverSubject(std::string subject);
  boost::asio::awaitable<void> deliverOne(const store::OutboxEntry& entry, int shard);
  boost::asio::awaitable<void> acquireSlot();
  void releaseSlot();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
  boost::asio::awaitable<void> ackDelivered(int shard, const store::OutboxEntry& entry);
  boost::asio::awaitable<void> flushAcks();
  boost::asio::awaitable<void> moveToDeadLetters(int shard, const store::OutboxEntry& entry,
                                                 std::string reason, std::string attempt_json);

  // forwarder_shards.cpp
  boost::asio::awaitable<void> leaseLoop();
  boost::asio::awaitable<void> acquireFree(int target, bool check_first);
  boost::asio::awaitable<void> readLoop();
  boost::asio::awaitable<void> readFinished();
  boost::asio::awaitable<void> claimLoop();
  boost::asio::awaitable<void> gaugeLoop();
  boost::asio::awaitable<void> takeOver(int shard);
  boost::asio::awaitable<void> releaseAll();
};

}  // namespace ordergate::gateway::pipeline
