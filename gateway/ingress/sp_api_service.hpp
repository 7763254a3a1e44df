#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}
namespace ordergate::gateway::pipeline {
class FileIngest;
}

namespace ordergate::gateway::ingress {

/// Scheduled SP-API report pulls (`channels.<id>.sp_api`): a worker on its own thread, with its
/// own io_context, Redis connection and HttpClient. Every `interval` per channel: LWA access token
/// (refresh_token grant, cached until expiry) → createReport → getReport until DONE →
/// getReportDocument → download → FileIngest. 429 / 5xx / transport errors back off with the
/// gateway's RetryPolicy (Retry-After honoured). The cursor (start of the last successful run) is
/// kept in Redis (`<prefix>:sp_api:<channel>`), so a restart continues where it stopped.
class SpApiService {
 public:
  /// nullptr when no channel has an `sp_api` block. Errors kConfig naming
  /// "<config>: channels.<id>.sp_api.<key>".
  [[nodiscard]] static Result<std::unique_ptr<SpApiService>> create(const config::Config& cfg,
                                                                    pipeline::FileIngest& files,
                                                                    store::RedisEndpoint redis,
                                                                    store::Keys keys,
                                                                    metrics::Registry& metrics);
  ~SpApiService();
  SpApiService(const SpApiService&) = delete;
  SpApiService& operator=(const SpApiService&) = delete;

  /// Starts the worker thread. Idempotent.
  void start();
  /// Stops it; a run in progress is abandoned (its window is requested again next time).
  void stop();
  /// {"sp_api:<channel>", "pending" | "ok" | "alert: <outcome>: <message>"} from the last run.
  /// Informational (does not make /readyz fail). Thread-safe.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> readinessDetails() const;

  struct Impl;

 private:
  explicit SpApiService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway::ingress
