#pragma once

#include "gateway/util/worker_thread.hpp"

// Internal to the SP-API service: shared by sp_api_service.cpp (settings, thread) and
// sp_api_worker.cpp (the report flow).

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "adapters/file_adapter.hpp"
#include "gateway/forward/http_client.hpp"
#include "gateway/forward/retry_policy.hpp"
#include "gateway/ingress/sp_api_service.hpp"
#include "gateway/metrics/metrics.hpp"

namespace ordergate::gateway::ingress {

using std::chrono::milliseconds;

inline constexpr std::string_view kDefaultLwaUrl = "https://api.amazon.com/auth/o2/token";
inline constexpr std::string_view kDefaultReportType =
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
inline constexpr int kMaxAttempts = 6;  ///< per API call, for 429 / 5xx / transport errors
inline constexpr milliseconds kApiTimeout{30'000};
inline constexpr milliseconds kDownloadTimeout{300'000};

struct SpApiChannel {
  std::string id;
  const adapters::FileAdapter* adapter = nullptr;
  std::string endpoint;  ///< without a trailing '/'
  std::string region;
  std::string lwa_url;
  std::string refresh_token;
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> marketplace_ids;
  std::string report_type;
  milliseconds interval{15 * 60'000};
  milliseconds lookback{2 * 3600'000};
  milliseconds poll{30'000};            ///< getReport polling
  milliseconds report_timeout{3600'000};  ///< give up waiting for DONE after this
  std::size_t max_report_size = 256u * 1024 * 1024;
  std::string state_key;
  // Worker state (worker thread only).
  std::string access_token;
  std::chrono::steady_clock::time_point token_expiry{};
  std::string last_error;  ///< message of the last failed step
  // Readiness detail, guarded by Impl::status_mutex.
  std::string status = "pending";
};

/// The outcome of one step of a run: a value, or the metric outcome and a message.
struct StepError {
  std::string outcome;  ///< api_error, auth_error, fatal, timeout, store_error, too_large …
  std::string message;
};

struct SpApiService::Impl : WorkerThread {
  pipeline::FileIngest& files;
  store::RedisEndpoint endpoint;
  forward::RetryPolicy policy;
  forward::Random random = forward::defaultRandom();
  std::vector<SpApiChannel> channels;
  metrics::Family<metrics::Counter>& runs;

  mutable std::mutex status_mutex;

  Impl(pipeline::FileIngest& f, store::RedisEndpoint ep, forward::RetryPolicy p,
       metrics::Registry& m);

  // sp_api_worker.cpp
  boost::asio::awaitable<void> channelLoop(SpApiChannel& ch);
  boost::asio::awaitable<void> sleep(milliseconds d);
  /// One run; returns the metric outcome ("ingested", "cancelled", "fatal", …).
  boost::asio::awaitable<std::string> run(SpApiChannel& ch, std::optional<std::int64_t> cursor_ms);
  boost::asio::awaitable<forward::HttpResponse> call(SpApiChannel& ch, forward::HttpRequest req,
                                                     std::string_view step);
  boost::asio::awaitable<std::optional<StepError>> refreshToken(SpApiChannel& ch);
};

}  // namespace ordergate::gateway::ingress
