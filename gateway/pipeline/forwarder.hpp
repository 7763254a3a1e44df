#pragma once

#include <memory>
#include <string>
#include <vector>

#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}

namespace ordergate::gateway::pipeline {

struct ForwarderMetrics;

/// Steps 6–8: reads the outbox shards this instance holds a lease on, POSTs each event to the
/// OMS as a CloudEvent, keeps per-order ordering (an order's next event waits while an earlier
/// one is retried; other orders flow on), retries with backoff behind a circuit breaker,
/// dead-letters what cannot be delivered, and takes over the shards and pending entries of
/// instances that died. Runs `forwarder.threads` lanes, each on its own thread and io_context;
/// the lanes share the shards through the same leases as separate instances do.
class Forwarder {
 public:
  /// Errors kConfig for invalid retry/breaker settings or signing secret.
  [[nodiscard]] static Result<std::unique_ptr<Forwarder>> create(const config::Config& cfg,
                                                                 store::RedisEndpoint redis,
                                                                 store::Keys keys,
                                                                 metrics::Registry& metrics);
  ~Forwarder();
  void start();
  /// Releases the shard leases (bounded) and stops. Entries not yet acknowledged stay pending in
  /// Redis and are delivered by whoever owns their shard next.
  void stop();
  /// "ok", or what is wrong ("circuit open for orders").
  [[nodiscard]] std::string status() const;

  struct Impl;

 private:
  Forwarder(std::unique_ptr<ForwarderMetrics> metrics, std::vector<std::unique_ptr<Impl>> lanes);
  void startLane(Impl& lane);
  std::unique_ptr<ForwarderMetrics> metrics_;
  std::vector<std::unique_ptr<Impl>> lanes_;
};

}  // namespace ordergate::gateway::pipeline
