#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "adapters/adapter.hpp"
#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}

namespace ordergate::gateway::pulls {

/// The answer to a push that asked for fetches, and the outcome to count it under
/// (accepted, duplicate, unavailable).
struct Accepted {
  http::Response response;
  std::string_view outcome;
};

/// Pull channels (Lazada): pushes become durable fetch jobs (pull_store.hpp) in the same step
/// as the answer; a worker on its own thread and io_context runs the adapter's API calls,
/// decides the resulting events like pushed ones, retries transient failures with backoff,
/// raises a channel alert (metric, /readyz detail, one log line per change) while the channel's
/// credentials are refused, and dead-letters the rest with the channel's error code.
class PullService {
 public:
  /// Only the channels whose adapter has a puller(); nullptr when there is none. Errors kConfig
  /// for invalid retry settings.
  [[nodiscard]] static Result<std::unique_ptr<PullService>> create(
      const config::Config& cfg,
      const std::map<std::string, adapters::ChannelAdapterPtr, std::less<>>& channels,
      store::RedisEndpoint redis, store::Keys keys, metrics::Registry& metrics);
  ~PullService();
  PullService(const PullService&) = delete;
  PullService& operator=(const PullService&) = delete;

  /// Stores `n.pulls` (dedup by n.delivery_id, coalesced per key) on the calling I/O thread's
  /// `redis`; answers 200 {"status":"accepted","fetch":"queued"|"coalesced"} only once Redis
  /// confirmed, {"status":"duplicate"} for a push seen before, 503 when Redis is down.
  boost::asio::awaitable<Accepted> accept(store::RedisClient& redis, std::string_view channel_id,
                                          const adapters::Normalized& n,
                                          canonical::Timestamp received_at);

  /// Starts the fetch worker thread. Idempotent.
  void start();
  /// Stops it; jobs in flight stay leased in Redis and become due again after the lease.
  void stop();
  /// {"pulls:<channel>", "ok" | "alert: <code>: <message>"} per pull channel. Thread-safe.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> readinessDetails() const;
  /// GET /v1/admin/pulls/dlq[?channel=&limit=], POST /v1/admin/pulls/dlq/{channel}/{key}/replay.
  void addRoutes(http::Router& router, const std::string& admin_token);

  struct Impl;

 private:
  explicit PullService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway::pulls
