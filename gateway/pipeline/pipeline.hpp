#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/adapter.hpp"
#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}
namespace ordergate::gateway::store {
struct RedisEndpoint;
}

namespace ordergate::gateway::pipeline {

/// Steps 1–8 of ARCHITECTURE.md behind the HTTP routes: ingest (verify → normalise → atomic
/// decision → answer), the forwarder (outbox → OMS with retries and dead letters) and the
/// admin API over dead letters and the quarantine.
class Pipeline {
 public:
  /// Builds every channel adapter from the config (errors kConfig naming the key).
  [[nodiscard]] static Result<std::unique_ptr<Pipeline>> create(
      const config::Config& cfg, const adapters::AdapterRegistry& registry,
      const store::RedisEndpoint& redis, metrics::Registry& metrics);
  virtual ~Pipeline() = default;

  /// Registers /v1/channels/…, /v1/carriers/… and /v1/admin/… routes.
  virtual void addRoutes(http::Router& router) = 0;
  /// Starts the forwarder on its own thread (if enabled).
  virtual void start() = 0;
  /// Stops the forwarder; entries in flight stay pending in Redis and are re-delivered.
  virtual void stop() = 0;
  /// Recompiles every mapping file now (SIGHUP); a broken file keeps the old plan.
  virtual void reloadMappings() = 0;
  /// Extra /readyz lines, e.g. {"forwarder", "ok"}.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> readinessDetails() const = 0;
};

}  // namespace ordergate::gateway::pipeline
