#pragma once

#include "gateway/util/worker_thread.hpp"

// Internal to the pull service: shared by pull_service.cpp (accept, admin, alerts) and
// pull_worker.cpp (the fetch worker).

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "gateway/forward/http_client.hpp"
#include "gateway/forward/retry_policy.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pulls/pull_service.hpp"
#include "gateway/pulls/pull_store.hpp"

namespace ordergate::gateway::pulls {

/// Tuning of the worker; constants today, config keys when someone needs them.
inline constexpr std::chrono::milliseconds kPollInterval{200};
inline constexpr std::chrono::milliseconds kLease{60'000};
inline constexpr std::chrono::milliseconds kRequestTimeout{10'000};
inline constexpr int kClaimBatch = 16;
inline constexpr int kMaxInFlight = 8;
inline constexpr std::size_t kMaxResponseBody = 8 * 1024 * 1024;

struct PullChannel {
  std::string id;
  adapters::ChannelAdapterPtr adapter;  ///< keeps the puller alive
  const adapters::ChannelPuller* puller = nullptr;
  PullKeys keys;
  metrics::Gauge* pending = nullptr;
  // Alert state, guarded by Impl::alert_mutex.
  std::string alert_code;
  std::string alert_message;
};

struct PullService::Impl : WorkerThread {
  const config::Config& cfg;
  store::RedisEndpoint endpoint;
  store::Keys keys;
  forward::RetryPolicy policy;
  forward::Random random = forward::defaultRandom();
  std::vector<PullChannel> channels;

  int in_flight = 0;

  mutable std::mutex alert_mutex;
  metrics::Family<metrics::Gauge>& alert_gauge;
  metrics::Family<metrics::Counter>& fetches;

  Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k, forward::RetryPolicy p,
       metrics::Registry& m);

  PullChannel* find(std::string_view id);
  void setAlert(PullChannel& ch, const std::string& code, const std::string& message);
  void clearAlert(PullChannel& ch);

  // pull_worker.cpp
  boost::asio::awaitable<void> channelLoop(PullChannel& ch);
  boost::asio::awaitable<void> runJob(PullChannel& ch, Job job);
  boost::asio::awaitable<void> gaugeLoop();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
};

}  // namespace ordergate::gateway::pulls
