#include "gateway/trackings/tracking_store.hpp"

#include <gtest/gtest.h>

#include "tests/integration/store/test_util.hpp"

namespace ordergate::gateway::store::test {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace tr = trackings;

class TrackingStoreTest : public ::testing::Test {
 protected:
  template <class T>
  T await(awaitable<T> a) {
    auto out = run(io_, std::move(a));
    if (!out) {
      throw std::runtime_error("coroutine did not finish");
    }
    return std::move(*out);
  }

  boost::asio::io_context io_;
  RedisClient client_{io_, endpointOf(sharedServer())};
  tr::TrackingKeys keys_{uniquePrefix(), "dhl"};
};

TEST_F(TrackingStoreTest, FollowClaimRecordUntilDone) {
  auto created = await(tr::follow(client_, keys_, "JD1", "shop:1", 1000));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(*created);
  auto again = await(tr::follow(client_, keys_, "JD1", "", 1500));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "idempotent on carrier + tracking number";
  EXPECT_EQ(*await(tr::followedCount(client_, keys_)), 1);

  EXPECT_TRUE(await(tr::claim(client_, keys_, 999, 61'000, 10))->empty()) << "not due yet";
  auto due = await(tr::claim(client_, keys_, 1000, 61'000, 10));
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].tracking_number, "JD1");
  EXPECT_EQ((*due)[0].order_key, "shop:1") << "an empty order_key keeps the stored one";
  EXPECT_TRUE(await(tr::claim(client_, keys_, 2000, 62'000, 10))->empty()) << "leased";

  tr::PollRecord rec;
  rec.next_ms = 5000;
  rec.status = "in_transit";
  rec.occurred_at = "2026-03-12T04:00:00Z";
  rec.polled_ms = 2000;
  ASSERT_TRUE(await(tr::record(client_, keys_, "JD1", rec)));
  EXPECT_EQ(await(tr::claim(client_, keys_, 5000, 65'000, 10))->size(), 1u);

  tr::PollRecord done;
  done.status = "delivered";
  done.occurred_at = "2026-03-12T13:41:00Z";
  done.polled_ms = 6000;
  ASSERT_TRUE(await(tr::record(client_, keys_, "JD1", done)));
  EXPECT_EQ(*await(tr::followedCount(client_, keys_)), 0);
  auto state = await(tr::get(client_, keys_, "JD1"));
  ASSERT_TRUE(state);
  EXPECT_EQ(state->at("state"), "done");
  EXPECT_EQ(state->at("status"), "delivered");
  EXPECT_EQ(state->at("polls"), "2");
  auto resumed = await(tr::follow(client_, keys_, "JD1", "", 7000));
  ASSERT_TRUE(resumed);
  EXPECT_EQ(*await(tr::followedCount(client_, keys_)), 0) << "a done shipment stays done";
}

TEST_F(TrackingStoreTest, UnfollowStopsAndFollowResumes) {
  ASSERT_TRUE(await(tr::follow(client_, keys_, "JD2", "", 1000)));
  auto stopped = await(tr::unfollow(client_, keys_, "JD2"));
  ASSERT_TRUE(stopped);
  EXPECT_TRUE(*stopped);
  EXPECT_TRUE(await(tr::claim(client_, keys_, 9000, 69'000, 10))->empty());
  EXPECT_EQ(await(tr::get(client_, keys_, "JD2"))->at("state"), "stopped");
  // A poll that finishes after the DELETE does not bring it back.
  tr::PollRecord rec;
  rec.next_ms = 2000;
  ASSERT_TRUE(await(tr::record(client_, keys_, "JD2", rec)));
  EXPECT_EQ(*await(tr::followedCount(client_, keys_)), 0);
  EXPECT_FALSE(*await(tr::unfollow(client_, keys_, "UNKNOWN")));
  EXPECT_TRUE(await(tr::get(client_, keys_, "UNKNOWN"))->empty());

  ASSERT_TRUE(await(tr::follow(client_, keys_, "JD2", "shop:2", 3000)));
  auto due = await(tr::claim(client_, keys_, 3000, 63'000, 10));
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].order_key, "shop:2");
}

}  // namespace
}  // namespace ordergate::gateway::store::test
