#include "gateway/pipeline/recent_deliveries.hpp"

namespace ordergate::gateway::pipeline {

namespace {

std::string joined(std::string_view channel, std::string_view key) {
  std::string out;
  out.reserve(channel.size() + key.size() + 1);
  out.append(channel);
  out.push_back('\n');  // channel ids are config keys: no newline in them
  out.append(key);
  return out;
}

}  // namespace

RecentDeliveries::RecentDeliveries(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity), ttl_(ttl) {
  expiry_.reserve(capacity_);
  order_.reserve(capacity_);
}

bool RecentDeliveries::contains(std::string_view channel, std::string_view key, Clock::time_point now) {
  if (capacity_ == 0 || key.empty()) {
    return false;
  }
  const std::string k = joined(channel, key);
  std::lock_guard lock(mutex_);
  const auto it = expiry_.find(k);
  return it != expiry_.end() && it->second > now;
}

void RecentDeliveries::remember(std::string_view channel, std::string_view key, Clock::time_point now) {
  if (capacity_ == 0 || key.empty()) {
    return;
  }
  std::string k = joined(channel, key);
  const Clock::time_point expires = now + ttl_;
  std::lock_guard lock(mutex_);
  if (const auto it = expiry_.find(k); it != expiry_.end()) {
    it->second = expires;
    return;
  }
  if (order_.size() < capacity_) {
    order_.push_back(expiry_.emplace(std::move(k), expires).first);
    return;
  }
  // Full: the oldest key makes room (its slot in order_ takes the new one).
  expiry_.erase(order_[next_]);
  order_[next_] = expiry_.emplace(std::move(k), expires).first;
  next_ = (next_ + 1) % capacity_;
}

std::size_t RecentDeliveries::size() const {
  std::lock_guard lock(mutex_);
  return expiry_.size();
}

}  // namespace ordergate::gateway::pipeline
