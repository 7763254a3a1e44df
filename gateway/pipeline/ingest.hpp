#pragma once

#include <map>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "adapters/adapter.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/recent_deliveries.hpp"
#include "gateway/store/keys.hpp"

namespace ordergate::gateway::store {
class RedisClient;
}
namespace ordergate::gateway::pulls {
class PullService;
}

namespace ordergate::gateway::pipeline {

/// What happened to one event at the atomic decision.
struct EventOutcome {
  std::string id;
  std::string type;    ///< final type (order.created for the first event of an order)
  std::string status;  ///< accepted | duplicate | stale
};

/// Steps 1–5: verify, normalise, decide atomically in Redis, answer. Immutable after
/// construction; every call uses the calling I/O thread's own Redis connection.
class Ingest {
 public:
  using AdapterMap = std::map<std::string, adapters::ChannelAdapterPtr, std::less<>>;
  Ingest(const config::Config& cfg, AdapterMap channels, AdapterMap carriers, store::Keys keys,
         metrics::Registry& metrics);

  /// POST /v1/channels/{id}/webhooks.
  boost::asio::awaitable<http::Response> channelWebhook(http::Request& req);
  /// POST /v1/carriers/{id}/callbacks.
  boost::asio::awaitable<http::Response> carrierCallback(http::Request& req);

  /// Normalise + decide for already verified bytes. The answer body is the same JSON a push
  /// gets. With `quarantine_errors` false (quarantine replay) a payload that still does not
  /// normalise is answered 422 with its errors and nothing new is stored. A non-empty
  /// `delivery` (RecentDeliveries::entryOf) is remembered once the events are decided.
  boost::asio::awaitable<http::Response> process(store::RedisClient& redis, std::string_view channel_id,
                                                 const adapters::ChannelAdapter& adapter,
                                                 const adapters::InboundMessage& msg,
                                                 bool quarantine_errors = true,
                                                 std::string_view kind = "channel",
                                                 std::string delivery = {});

  /// The adapter now in force (a hot reload may replace it; holders keep theirs alive).
  [[nodiscard]] adapters::ChannelAdapterPtr channel(std::string_view id) const;
  [[nodiscard]] adapters::ChannelAdapterPtr carrier(std::string_view id) const;
  /// Swaps the adapter of an existing channel or carrier (mapping hot reload). Thread-safe:
  /// requests in flight finish on the adapter they started with. False for an unknown id.
  bool replace(std::string_view kind, std::string_view id, adapters::ChannelAdapterPtr adapter);

  /// Where pushes that return Normalized::pulls (Lazada) are stored; set once before serving.
  void setPullService(pulls::PullService* pulls) { pulls_ = pulls; }

 private:
  struct Decided {
    bool delivery_seen = false;  ///< the delivery id was handled before: nothing decided
    std::vector<EventOutcome> outcomes;
  };
  boost::asio::awaitable<Result<Decided>> decideAll(store::RedisClient& redis,
                                                    std::string_view channel_id,
                                                    std::vector<canonical::CanonicalEvent>& events,
                                                    std::string_view delivery_id);
  static http::Response errorsResponse(unsigned status, std::string_view state, std::string_view id,
                                       const FieldErrors& errors);
  boost::asio::awaitable<http::Response> push(http::Request& req, adapters::ChannelAdapterPtr adapter,
                                              std::string_view kind);
  boost::asio::awaitable<http::Response> quarantine(store::RedisClient& redis,
                                                    std::string_view channel_id,
                                                    const adapters::InboundMessage& msg,
                                                    const FieldErrors& errors, std::string_view kind);
  void count(std::string_view channel, std::string_view outcome);

  const config::Config& cfg_;
  // One slot per configured id; only the pointer inside changes after start-up.
  struct Slot {
    mutable std::mutex mutex;
    adapters::ChannelAdapterPtr adapter;
  };
  using SlotMap = std::map<std::string, std::unique_ptr<Slot>, std::less<>>;
  static SlotMap toSlots(AdapterMap adapters);
  static adapters::ChannelAdapterPtr lookup(const SlotMap& slots, std::string_view id);
  SlotMap channels_;
  SlotMap carriers_;
  store::Keys keys_;
  metrics::Family<metrics::Counter>& messages_;
  metrics::Family<metrics::Counter>& events_;
  metrics::Family<metrics::Counter>& ignored_;
  metrics::Family<metrics::Histogram>& ack_latency_;
  pulls::PullService* pulls_ = nullptr;
  RecentDeliveries recent_;
};

}  // namespace ordergate::gateway::pipeline
