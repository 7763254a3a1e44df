#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ordergate::gateway::pipeline {

/// The deliveries this process decided lately, by channel and delivery key
/// (ChannelAdapter::deliveryKey): the first, cheap filter ARCHITECTURE.md asks for. A channel's
/// redelivery of one of them is answered "duplicate" after its signature check, without
/// normalising it or asking Redis. It is only a shortcut in front of Redis: every delivery
/// remembered here had its events decided there (their event ids are marked for the same
/// `ttl`), so Redis would answer the same; a miss (another instance, an evicted entry) goes the
/// full way.
///
/// Bounded: at most `capacity` keys, the oldest remembered leaves first; an entry also stops
/// counting `ttl` after it was last remembered. capacity 0 remembers nothing. Thread-safe (one
/// mutex: the I/O threads share it, so a redelivery that lands on another thread still hits).
class RecentDeliveries {
 public:
  using Clock = std::chrono::steady_clock;

  RecentDeliveries(std::size_t capacity, std::chrono::seconds ttl);

  /// The entry for a channel's delivery key; empty when `delivery_key` is (nothing to remember).
  [[nodiscard]] static std::string entryOf(std::string_view channel, std::string_view delivery_key);

  /// Both take an entryOf() result; an empty one is never remembered.
  [[nodiscard]] bool contains(const std::string& entry, Clock::time_point now) const;
  void remember(std::string entry, Clock::time_point now);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  using Map = std::unordered_map<std::string, Clock::time_point>;

  const std::size_t capacity_;
  const std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  Map expiry_;
  /// Insertion order, oldest at next_: exactly the keys in expiry_ (entries leave only here).
  std::vector<Map::iterator> order_;
  std::size_t next_ = 0;
};

}  // namespace ordergate::gateway::pipeline
