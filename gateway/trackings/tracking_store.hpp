#pragma once

// Followed shipments of polled carriers, all keys of one carrier under one hash tag:
//
//   <prefix>:{t:<carrier>}:due      zset: tracking number → next poll time (epoch ms)
//   <prefix>:{t:<carrier>}:s:<tn>   hash: tracking_number, order_key, state (following |
//                                   stopped | done), status, occurred_at, polls, attempts,
//                                   last_error, created_ms, last_poll_ms, next_ms
//
// A claimed shipment's due time moves to the end of its lease, so a crashed worker's shipment
// becomes due again by itself. Coroutines on the client's io_context; errors kUnavailable
// (Redis down) or kInternal.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "canonical/error.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::trackings {

/// Key names of one carrier's shipments. Cheap to copy.
class TrackingKeys {
 public:
  TrackingKeys(std::string_view prefix, std::string_view carrier);
  [[nodiscard]] std::string due() const { return base_ + "due"; }
  [[nodiscard]] std::string shipment(std::string_view tn) const { return base_ + "s:" + std::string(tn); }
  [[nodiscard]] std::string shipmentPrefix() const { return base_ + "s:"; }

 private:
  std::string base_;  ///< "<prefix>:{t:<carrier>}:"
};

/// Registers (or resumes) a shipment: due now when new or stopped; an order_key replaces the
/// stored one. Returns true when it was not known before. A done shipment stays done.
[[nodiscard]] boost::asio::awaitable<Result<bool>> follow(store::RedisClient& redis,
                                                          const TrackingKeys& keys,
                                                          std::string tracking_number,
                                                          std::string order_key,
                                                          std::int64_t now_ms);

/// Stops following; false when the shipment is unknown.
[[nodiscard]] boost::asio::awaitable<Result<bool>> unfollow(store::RedisClient& redis,
                                                            const TrackingKeys& keys,
                                                            std::string tracking_number);

/// Every field of one shipment; empty map when unknown.
[[nodiscard]] boost::asio::awaitable<Result<std::map<std::string, std::string>>> get(
    store::RedisClient& redis, const TrackingKeys& keys, std::string tracking_number);

struct Shipment {
  std::string tracking_number;
  std::string order_key;
  int attempts = 0;
};

/// Up to `limit` shipments due at `now_ms`, leased until `lease_until_ms`.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<Shipment>>> claim(
    store::RedisClient& redis, const TrackingKeys& keys, std::int64_t now_ms,
    std::int64_t lease_until_ms, int limit);

/// The result of one poll.
struct PollRecord {
  std::optional<std::int64_t> next_ms;  ///< nullopt: terminal, stop following (state done)
  int attempts = 0;                     ///< consecutive failures (0 after a success)
  std::string last_error;               ///< "" after a success
  std::string status;                   ///< latest canonical status ("" = unchanged)
  std::string occurred_at;              ///< of that status
  std::int64_t polled_ms = 0;
};

/// Stores the poll's result and reschedules (unless the shipment was stopped meanwhile).
[[nodiscard]] boost::asio::awaitable<Result<void>> record(store::RedisClient& redis,
                                                          const TrackingKeys& keys,
                                                          std::string tracking_number,
                                                          const PollRecord& rec);

/// Shipments being followed (the due set's size).
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> followedCount(store::RedisClient& redis,
                                                                         const TrackingKeys& keys);

}  // namespace ordergate::gateway::trackings
