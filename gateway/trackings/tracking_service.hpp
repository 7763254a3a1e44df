#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/adapter.hpp"
#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}

namespace ordergate::gateway::trackings {

/// Polled carriers: shipments registered with POST /v1/trackings are polled on a worker thread
/// with its own io_context (like gateway/pulls/), through the carrier's `poll:` block
/// (carriers/poll.hpp) and its mapping; every response becomes tracking.updated events decided
/// like callbacks (store::decide drops old states and duplicates) and forwarded to the OMS.
/// Polling stops at a terminal status. Thread-safe where noted.
class TrackingService {
 public:
  /// The carrier's callback adapter as in force now (hot reload swaps it); null when unknown.
  /// Called on the worker thread; must be thread-safe and outlive the service.
  using AdapterLookup = std::function<adapters::ChannelAdapterPtr(std::string_view carrier_id)>;
  /// One polled carrier per `carriers.<id>.poll` block; nullptr when there is none. The
  /// carrier's callback mapping reads the poll responses unless the block names a
  /// `poll_mapping`. Errors kConfig naming the key.
  [[nodiscard]] static Result<std::unique_ptr<TrackingService>> create(
      const config::Config& cfg, AdapterLookup carriers, store::RedisEndpoint redis,
      store::Keys keys, metrics::Registry& metrics);
  ~TrackingService();
  TrackingService(const TrackingService&) = delete;
  TrackingService& operator=(const TrackingService&) = delete;

  /// POST /v1/trackings, GET and DELETE /v1/trackings/{carrier}/{tracking_number}; admin token.
  void addRoutes(http::Router& router, const std::string& admin_token);
  /// Starts the poll worker thread. Idempotent.
  void start();
  /// Stops it; shipments in flight stay leased and become due again after the lease.
  void stop();
  /// {"trackings:<carrier>", "ok" | "alert: <message>"}. Thread-safe.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> readinessDetails() const;

  struct Impl;

 private:
  explicit TrackingService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway::trackings
