#include "gateway/pipeline/recent_deliveries.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ordergate::gateway::pipeline {
namespace {

using namespace std::chrono_literals;
using Clock = RecentDeliveries::Clock;

std::string entry(std::string_view channel, std::string_view key) {
  return RecentDeliveries::entryOf(channel, key);
}

TEST(RecentDeliveriesTest, RemembersByChannelAndKeyUntilTheTtl) {
  RecentDeliveries recent(8, 60s);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(recent.contains(entry("shop", "orders/create:s:e1"), t0));
  recent.remember(entry("shop", "orders/create:s:e1"), t0);
  EXPECT_TRUE(recent.contains(entry("shop", "orders/create:s:e1"), t0 + 59s));
  EXPECT_FALSE(recent.contains(entry("other", "orders/create:s:e1"), t0)) << "per channel";
  EXPECT_FALSE(recent.contains(entry("shop", "orders/updated:s:e1"), t0));
  EXPECT_FALSE(recent.contains(entry("shop", "orders/create:s:e1"), t0 + 60s)) << "expired";
  // Remembering again restarts the TTL without taking a second slot.
  recent.remember(entry("shop", "orders/create:s:e1"), t0 + 50s);
  EXPECT_TRUE(recent.contains(entry("shop", "orders/create:s:e1"), t0 + 100s));
  EXPECT_EQ(recent.size(), 1u);
}

TEST(RecentDeliveriesTest, TheOldestLeavesWhenFull) {
  RecentDeliveries recent(3, 3600s);
  const Clock::time_point t = Clock::now();
  for (int i = 0; i < 5; ++i) {
    recent.remember(entry("c", "k" + std::to_string(i)), t);
  }
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_FALSE(recent.contains(entry("c", "k0"), t));
  EXPECT_FALSE(recent.contains(entry("c", "k1"), t));
  for (int i = 2; i < 5; ++i) {
    EXPECT_TRUE(recent.contains(entry("c", "k" + std::to_string(i)), t)) << i;
  }
  // Many more rounds: the bound holds and the newest are the ones kept.
  for (int i = 5; i < 1000; ++i) {
    recent.remember(entry("c", "k" + std::to_string(i)), t);
  }
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_TRUE(recent.contains(entry("c", "k999"), t));
  EXPECT_TRUE(recent.contains(entry("c", "k997"), t));
  EXPECT_FALSE(recent.contains(entry("c", "k996"), t));
}

TEST(RecentDeliveriesTest, EmptyKeyAndZeroCapacityRememberNothing) {
  RecentDeliveries off(0, 60s);
  const Clock::time_point t = Clock::now();
  off.remember(entry("c", "k"), t);
  EXPECT_FALSE(off.contains(entry("c", "k"), t));
  RecentDeliveries on(4, 60s);
  EXPECT_EQ(entry("c", ""), "") << "no delivery key, nothing to remember";
  on.remember(entry("c", ""), t);
  EXPECT_FALSE(on.contains(entry("c", ""), t));
  EXPECT_EQ(on.size(), 0u);
}

}  // namespace
}  // namespace ordergate::gateway::pipeline
