#include "gateway/pipeline/recent_deliveries.hpp"

namespace ordergate::gateway::pipeline {

std::string RecentDeliveries::entryOf(std::string_view channel, std::string_view delivery_key) {
  std::string out;
  if (delivery_key.empty()) {
    return out;
  }
  out.reserve(channel.size() + delivery_key.size() + 1);
  out.append(channel);
  out.push_back('\n');  // channel ids are config keys: no newline in them
  out.append(delivery_key);
  return out;
}

RecentDeliveries::RecentDeliveries(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity), ttl_(ttl) {
  expiry_.reserve(capacity_);
  order_.reserve(capacity_);
}

bool RecentDeliveries::contains(const std::string& entry, Clock::time_point now) const {
  if (capacity_ == 0 || entry.empty()) {
    return false;
  }
  std::lock_guard lock(mutex_);
  const auto it = expiry_.find(entry);
  return it != expiry_.end() && it->second > now;
}

void RecentDeliveries::remember(std::string entry, Clock::time_point now) {
  if (capacity_ == 0 || entry.empty()) {
    return;
  }
  const Clock::time_point expires = now + ttl_;
  std::lock_guard lock(mutex_);
  if (const auto it = expiry_.find(entry); it != expiry_.end()) {
    it->second = expires;
    return;
  }
  if (order_.size() < capacity_) {
    order_.push_back(expiry_.emplace(std::move(entry), expires).first);
    return;
  }
  // Full: the oldest key makes room (its slot in order_ takes the new one). expiry_ never
  // holds more than capacity_ keys, for which it was reserved: no rehash ever moves the
  // iterators kept in order_.
  expiry_.erase(order_[next_]);
  order_[next_] = expiry_.emplace(std::move(entry), expires).first;
  next_ = (next_ + 1) % capacity_;
}

std::size_t RecentDeliveries::size() const {
  std::lock_guard lock(mutex_);
  return expiry_.size();
}

}  // namespace ordergate::gateway::pipeline
