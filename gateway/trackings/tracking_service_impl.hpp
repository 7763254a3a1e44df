#pragma once

#include "gateway/util/worker_thread.hpp"

// Internal to the tracking service: shared by tracking_service.cpp (create, routes) and
// tracking_worker.cpp (the poll worker).

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "carriers/poll.hpp"
#include "gateway/forward/http_client.hpp"
#include "gateway/forward/retry_policy.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/trackings/tracking_service.hpp"
#include "gateway/trackings/tracking_store.hpp"

namespace ordergate::gateway::trackings {

inline constexpr std::chrono::milliseconds kIdleWait{200};
inline constexpr std::chrono::milliseconds kLease{60'000};
inline constexpr int kClaimBatch = 16;
inline constexpr std::size_t kMaxResponseBody = 8 * 1024 * 1024;

struct PolledCarrier {
  std::string id;
  carriers::PollConfig poll;
  adapters::ChannelAdapterPtr poll_adapter;  ///< `poll_mapping`; null: the callback adapter
  TrackingKeys keys;
  metrics::Gauge* followed = nullptr;
  // Worker thread only.
  carriers::TokenCache token;
  carriers::RateLimiter limiter;
  // Guarded by Impl::alert_mutex.
  std::string alert;
};

/// What one poll did, as counted in ordergate_tracking_polls_total.
struct PollOutcome {
  std::string_view outcome;  ///< accepted, unchanged, ignored, invalid, retry, unauthorized, error
  PollRecord record;
};

struct TrackingService::Impl : WorkerThread {
  const config::Config& cfg;
  store::RedisEndpoint endpoint;
  AdapterLookup lookup;
  store::Keys keys;
  forward::RetryPolicy policy;
  forward::Random random = forward::defaultRandom();
  std::vector<std::unique_ptr<PolledCarrier>> carriers;
  mutable std::mutex alert_mutex;
  metrics::Family<metrics::Counter>& polls;

  Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k, forward::RetryPolicy p,
       metrics::Registry& m);
  PolledCarrier* find(std::string_view id);
  void setAlert(PolledCarrier& c, std::string message);

  // tracking_worker.cpp
  boost::asio::awaitable<void> carrierLoop(PolledCarrier& c);
  boost::asio::awaitable<PollOutcome> pollOne(PolledCarrier& c, const Shipment& s);
  boost::asio::awaitable<forward::HttpResponse> send(PolledCarrier& c, carriers::ApiRequest req);
  boost::asio::awaitable<Result<std::string>> accessToken(PolledCarrier& c, bool refresh);
  boost::asio::awaitable<void> gaugeLoop();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
};

}  // namespace ordergate::gateway::trackings
