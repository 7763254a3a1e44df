#include "gateway/store/event_store.hpp"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/store/dead_letters.hpp"
#include "gateway/store/json_text.hpp"
#include "gateway/store/quarantine.hpp"
#include "gateway/store/strings.hpp"
#include "tests/integration/store/test_util.hpp"

namespace ordergate::gateway::store::test {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;

OutboxEvent makeEvent(std::string subject, std::string type, std::string version_key,
                      std::string id) {
  OutboxEvent e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.source = "/channels/shop";
  e.subject = std::move(subject);
  e.channel = "shop";
  e.destination = "orders";
  e.version = version_key.empty() ? "" : version_key.substr(1);
  e.version_key = std::move(version_key);
  e.time = "2026-03-01T10:00:00Z";
  e.received_at = "2026-03-01T10:00:01Z";
  e.received_at_ms = 1772359201000;
  e.dataschema = "urn:ordergate:canonical:order:v1";
  e.data = R"({"order_key":"shop:1","status":"open"})";
  return e;
}

class EventStoreTest : public ::testing::Test {
 protected:
  template <class T>
  T await(awaitable<T> a, std::chrono::milliseconds limit = 10s) {
    auto out = run(io_, std::move(a), limit);
    if (!out) {
      throw std::runtime_error("coroutine did not finish");
    }
    return std::move(*out);
  }

  long long integer(const char* command, const std::string& key) {
    auto reply = await(client_.exec(command, key));
    if (!reply) {
      throw std::runtime_error(std::string(command) + " failed");
    }
    return reply->integer;
  }

  boost::asio::io_context io_;
  RedisClient client_{io_, endpointOf(sharedServer())};
  Keys keys_{uniquePrefix(), 4};
};

TEST(KeysTest, ShardKeysShareOneHashTag) {
  Keys keys("og", 8);
  const std::string subject = "shop:1001";
  const int shard = keys.shardOf(subject);
  EXPECT_EQ(shard, keys.shardOf(subject));
  EXPECT_GE(shard, 0);
  EXPECT_LT(shard, 8);
  const std::string tag = "s" + std::to_string(shard);
  for (const std::string& key :
       {keys.outbox(shard), keys.version(subject), keys.seen(shard, "abc"), keys.lease(shard),
        keys.dlqIndex(shard), keys.dlqEntry(shard, "abc"), keys.attempts(shard, "abc"),
        keys.delivery(shard, "shop", "d1")}) {
    EXPECT_EQ(hashTagOf(key), tag) << key;
    EXPECT_EQ(key.rfind("og:{" + tag + "}:", 0), 0u) << key;
  }
  EXPECT_EQ(hashTagOf(keys.quarantineIndex()), "q");
  EXPECT_EQ(hashTagOf(keys.quarantineEntry("1-2")), "q");
  EXPECT_EQ(keys.version(subject), "og:{" + tag + "}:ver:shop:1001");
  EXPECT_EQ(keys.delivery(3, "shop", "d1"), "og:{s3}:dlv:shop:d1");
  // A subject containing braces cannot move its keys to another slot: the tag comes first.
  EXPECT_EQ(hashTagOf(keys.version("x:{evil}")), "s" + std::to_string(keys.shardOf("x:{evil}")));
  // Spread: 1000 subjects touch every shard.
  std::vector<int> counts(8, 0);
  for (int i = 0; i < 1000; ++i) {
    ++counts[static_cast<std::size_t>(keys.shardOf("shop:" + std::to_string(i)))];
  }
  for (int c : counts) {
    EXPECT_GT(c, 60);
  }
  EXPECT_FALSE(Keys::create("a{b", 8));
  EXPECT_FALSE(Keys::create("og", 0));
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
}

TEST(JsonTextTest, RoundTrip) {
  std::vector<JsonFlatObject> objects = {
      {{"name", "X-Sig"}, {"value", std::string("a\"b\\c\n\x01\0z", 9)}}, {}, {{"k", "ü"}}};
  const std::string json = writeFlatObjectArray(objects);
  auto back = readFlatObjectArray(json);
  ASSERT_TRUE(back) << json;
  EXPECT_EQ(*back, objects);
  EXPECT_FALSE(readFlatObjectArray("[{\"a\":1}]"));
  EXPECT_FALSE(readFlatObjectArray("[{\"a\":\"b\"}"));
  EXPECT_EQ(readFlatObjectArray(" [ ] ")->size(), 0u);
}

TEST_F(EventStoreTest, DecideAcceptsThenDuplicateThenStale) {
  auto v1 = makeEvent("shop:1", "order.updated", "T2026-03-01T10:00:00.000Z", "id1");
  auto first = await(decide(client_, keys_, v1, 3600s));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->decision, Decision::kAccepted);
  EXPECT_EQ(first->type, "order.created") << "first event of an order is always order.created";
  EXPECT_FALSE(first->stream_id.empty());

  auto again = await(decide(client_, keys_, v1, 3600s));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->decision, Decision::kDuplicate);

  auto same_version = makeEvent("shop:1", "order.updated", v1.version_key, "id-other");
  auto stale = await(decide(client_, keys_, same_version, 3600s));
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->decision, Decision::kStale) << "equal versions are stale";

  auto v2 = makeEvent("shop:1", "order.updated", "T2026-03-01T11:00:00.000Z", "id2");
  auto second = await(decide(client_, keys_, v2, 3600s));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->decision, Decision::kAccepted);
  EXPECT_EQ(second->type, "order.updated");

  auto length = await(outboxLength(client_, keys_, keys_.shardOf("shop:1")));
  ASSERT_TRUE(length);
  EXPECT_EQ(*length, 2);

  // The outbox entry carries every field and the final type.
  auto read = await(readNew(client_, keys_, keys_.shardOf("shop:1"), "c1", 10));
  EXPECT_FALSE(read) << "no group yet";
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  ASSERT_TRUE(await(ensureGroups(client_, keys_))) << "BUSYGROUP is ignored";
  read = await(readNew(client_, keys_, keys_.shardOf("shop:1"), "c1", 10));
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 2u);
  auto expected = v1;
  expected.type = "order.created";
  expected.original_type = "order.updated";
  EXPECT_EQ((*read)[0].event, expected);
  EXPECT_EQ((*read)[0].stream_id, first->stream_id);
  EXPECT_EQ((*read)[1].event.type, "order.updated");
}

TEST_F(EventStoreTest, OutOfOrderVersionsNeverRegress) {
  auto v3 = makeEvent("shop:2", "order.updated", "N00000000000000000003", "e3");
  auto v1 = makeEvent("shop:2", "order.updated", "N00000000000000000001", "e1");
  auto v2 = makeEvent("shop:2", "order.cancelled", "N00000000000000000002", "e2");
  auto r3 = await(decide(client_, keys_, v3, 60s));
  auto r1 = await(decide(client_, keys_, v1, 60s));
  auto r2 = await(decide(client_, keys_, v2, 60s));
  ASSERT_TRUE(r3 && r1 && r2);
  EXPECT_EQ(r3->decision, Decision::kAccepted);
  EXPECT_EQ(r3->type, "order.created");
  EXPECT_EQ(r1->decision, Decision::kStale);
  EXPECT_EQ(r2->decision, Decision::kStale);
  auto stored = await(client_.exec("GET", keys_.version("shop:2")));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->str, "N00000000000000000003");
}

TEST_F(EventStoreTest, FirstCancellationBecomesCreatedAndTrackingKeepsItsType) {
  auto cancel = makeEvent("shop:3", "order.cancelled", "N1", "c1");
  auto r = await(decide(client_, keys_, cancel, 60s));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, "order.created");
  auto cancel2 = makeEvent("shop:3", "order.cancelled", "N2", "c2");
  r = await(decide(client_, keys_, cancel2, 60s));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, "order.cancelled");

  auto tracking = makeEvent("ups:1Z999", "tracking.updated", "T2026", "t1");
  tracking.destination = "tracking";
  r = await(decide(client_, keys_, tracking, 60s));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, "tracking.updated");
}

TEST_F(EventStoreTest, DedupTtlIsSetAndVersionKeyPersists) {
  auto e = makeEvent("shop:4", "order.created", "N1", "ttl1");
  ASSERT_TRUE(await(decide(client_, keys_, e, 120s)));
  const int shard = keys_.shardOf("shop:4");
  auto ttl = await(client_.exec("TTL", keys_.seen(shard, "ttl1")));
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 100);
  EXPECT_LE(ttl->integer, 120);
  auto ver_ttl = await(client_.exec("TTL", keys_.version("shop:4")));
  ASSERT_TRUE(ver_ttl);
  EXPECT_EQ(ver_ttl->integer, -1);

  auto bad = makeEvent("shop:4", "order.updated", "", "x");
  auto invalid = await(decide(client_, keys_, bad, 120s));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidInput);
}

TEST_F(EventStoreTest, VersionKeysCompareByteWise) {
  // '-' (0x2d) < '.' (0x2e) < '0' byte-wise; locale collation could order these differently.
  auto a = makeEvent("shop:5", "order.updated", "Ta-b", "b1");
  auto b = makeEvent("shop:5", "order.updated", "Ta.b", "b2");
  auto c = makeEvent("shop:5", "order.updated", "TaZ", "b3");
  auto ra = await(decide(client_, keys_, a, 60s));
  auto rb = await(decide(client_, keys_, b, 60s));
  auto rc = await(decide(client_, keys_, c, 60s));
  ASSERT_TRUE(ra && rb && rc);
  EXPECT_EQ(ra->decision, Decision::kAccepted);
  EXPECT_EQ(rb->decision, Decision::kAccepted);
  EXPECT_EQ(rc->decision, Decision::kAccepted);
  auto shorter = makeEvent("shop:5", "order.updated", "TaZ", "b4");
  auto rs = await(decide(client_, keys_, shorter, 60s));
  ASSERT_TRUE(rs);
  EXPECT_EQ(rs->decision, Decision::kStale);
}

TEST(PackedEvent, RoundTripsEveryFieldAndRejectsDamage) {
  OutboxEvent e = makeEvent("shop:1", "order.updated", "T1", "id-1");
  e.data = std::string("{\"note\":\"a:b;3:c\"}") + std::string(5000, 'x');
  e.replayed_from = "1700000000000-7";
  e.version = "";  // empty fields survive as empty
  const std::string packed = packEvent(e);
  OutboxEvent back;
  back.type = e.type;
  ASSERT_TRUE(unpackEvent(packed, back));
  EXPECT_EQ(back, e);
  for (std::string bad : {std::string(""), std::string("2;") + packed.substr(2),
                          packed.substr(0, packed.size() - 1), packed + "x", std::string("1;5:abc")}) {
    OutboxEvent untouched;
    EXPECT_FALSE(unpackEvent(bad, untouched)) << bad.substr(0, 40);
    EXPECT_EQ(untouched, OutboxEvent{});
  }
}

// The outbox holds type, original_type and the packed rest; a forwarder reads it back whole.
TEST_F(EventStoreTest, AcceptedEventIsStoredPackedAndReadBackWhole) {
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  OutboxEvent e = makeEvent("shop:77", "order.updated", "T5", "id-77");
  auto decided = await(decide(client_, keys_, e, 60s));
  ASSERT_TRUE(decided);
  ASSERT_EQ(decided->decision, Decision::kAccepted);
  const int shard = keys_.shardOf("shop:77");
  auto raw = await(client_.exec("XRANGE", keys_.outbox(shard), "-", "+"));
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->elements.size(), 1u);
  const auto& fields = raw->elements[0].elements[1].elements;
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[4].str, "e");
  auto read = await(readNew(client_, keys_, shard, "c1", 10));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 1u);
  OutboxEvent expected = e;
  expected.type = "order.created";
  expected.original_type = "order.updated";
  EXPECT_EQ(read->front().event, expected);
}

// A forwarder lane reads all its shards with one XREADGROUP and acknowledges them in one
// round trip; every entry comes back with the shard it was read from.
TEST_F(EventStoreTest, ReadsAndAcknowledgesSeveralShardsAtOnce) {
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  // Two subjects in each of three shards.
  std::map<int, std::vector<std::string>> subjects_by_shard;
  std::vector<int> shards;
  for (int i = 0; shards.size() < 3 && i < 1000; ++i) {
    const std::string subject = "shop:multi-" + std::to_string(i);
    const int shard = keys_.shardOf(subject);
    auto& list = subjects_by_shard[shard];
    if (list.size() < 2) list.push_back(subject);
    if (list.size() == 2 && std::find(shards.begin(), shards.end(), shard) == shards.end()) {
      shards.push_back(shard);
    }
  }
  ASSERT_EQ(shards.size(), 3u);
  // The first shard gets two events, the second one, the third none.
  const std::vector<std::string> sent = {subjects_by_shard[shards[0]][0],
                                         subjects_by_shard[shards[0]][1],
                                         subjects_by_shard[shards[1]][0]};
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto decided = await(decide(client_, keys_,
                                makeEvent(sent[i], "order.created", "T1", "multi-" + std::to_string(i)),
                                60s));
    ASSERT_TRUE(decided);
    ASSERT_EQ(decided->decision, Decision::kAccepted);
  }

  auto read = await(readNew(client_, keys_, std::span<const int>(shards), "c1", 10));
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 2u) << "only the shards with entries";
  std::map<int, std::vector<std::string>> got;
  std::vector<ShardIds> delivered;
  for (const auto& from_shard : *read) {
    ShardIds ids{from_shard.shard, {}};
    for (const auto& e : from_shard.entries) {
      EXPECT_EQ(keys_.shardOf(e.event.subject), from_shard.shard) << e.event.subject;
      got[from_shard.shard].push_back(e.event.subject);
      ids.ids.push_back(e.stream_id);
    }
    delivered.push_back(std::move(ids));
  }
  EXPECT_EQ(got[shards[0]], (std::vector<std::string>{sent[0], sent[1]})) << "in outbox order";
  EXPECT_EQ(got[shards[1]], (std::vector<std::string>{sent[2]}));
  auto nothing_new = await(readNew(client_, keys_, std::span<const int>(shards), "c1", 10));
  ASSERT_TRUE(nothing_new);
  EXPECT_TRUE(nothing_new->empty());

  // A restarted server has no scripts cached: the pipelined calls fall back to EVAL.
  ASSERT_TRUE(await(client_.exec("SCRIPT", "FLUSH")));
  auto acked = await(ack(client_, keys_, delivered));
  ASSERT_TRUE(acked) << acked.error().message;
  EXPECT_EQ(*acked, 3);
  for (int shard : shards) {
    auto length = await(outboxLength(client_, keys_, shard));
    ASSERT_TRUE(length);
    EXPECT_EQ(*length, 0) << "acknowledged entries leave the stream, shard " << shard;
  }
  auto again = await(ack(client_, keys_, delivered));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0) << "acknowledging twice is harmless";
}

TEST_F(EventStoreTest, DeliveryDedup) {
  auto seen = await(deliverySeen(client_, keys_, 2, "shop", "d-1"));
  ASSERT_TRUE(seen);
  EXPECT_FALSE(*seen);
  ASSERT_TRUE(await(markDelivery(client_, keys_, 2, "shop", "d-1", 60s)));
  seen = await(deliverySeen(client_, keys_, 2, "shop", "d-1"));
  ASSERT_TRUE(seen);
  EXPECT_TRUE(*seen);
  seen = await(deliverySeen(client_, keys_, 2, "other", "d-1"));
  ASSERT_TRUE(seen);
  EXPECT_FALSE(*seen);
}

// The version is swapped in and the replaced one comes back (SET … GET): a stale event puts
// it back, so the stored version never goes down, and with a version TTL the TTL stays.
TEST_F(EventStoreTest, StaleEventPutsTheStoredVersionBack) {
  const std::string subject = "shop:9";
  const int shard = keys_.shardOf(subject);
  auto newer = makeEvent(subject, "order.updated", "a2", "e-2");
  ASSERT_EQ(await(decide(client_, keys_, newer, 60s))->decision, Decision::kAccepted);
  auto older = makeEvent(subject, "order.updated", "a1", "e-1");
  auto stale = await(decide(client_, keys_, older, 60s));
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->decision, Decision::kStale);
  auto same = makeEvent(subject, "order.cancelled", "a2", "e-2b");
  EXPECT_EQ(await(decide(client_, keys_, same, 60s))->decision, Decision::kStale);
  EXPECT_EQ(await(client_.exec("GET", keys_.version(subject)))->str, "a2");
  EXPECT_EQ(integer("TTL", keys_.version(subject)), -1) << "kept forever without a version ttl";
  EXPECT_EQ(integer("XLEN", keys_.outbox(shard)), 1);

  const std::string timed = "shop:19";
  auto t2 = makeEvent(timed, "order.updated", "b2", "t-2");
  ASSERT_EQ(await(decide(client_, keys_, t2, 60s, 3600s))->decision, Decision::kAccepted);
  auto t1 = makeEvent(timed, "order.updated", "b1", "t-1");
  EXPECT_EQ(await(decide(client_, keys_, t1, 60s, 3600s))->decision, Decision::kStale);
  EXPECT_EQ(await(client_.exec("GET", keys_.version(timed)))->str, "b2");
  const long long ttl = integer("TTL", keys_.version(timed));
  EXPECT_GT(ttl, 3500);
  EXPECT_LE(ttl, 3600);
}

TEST_F(EventStoreTest, ConsumerGroupReadAckAndClaimAfterIdle) {
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  const std::string subject = "shop:10";
  const int shard = keys_.shardOf(subject);
  for (int i = 1; i <= 3; ++i) {
    auto e = makeEvent(subject, "order.updated", "N" + std::to_string(i), "g" + std::to_string(i));
    ASSERT_TRUE(await(decide(client_, keys_, e, 60s)));
  }
  auto crashed = await(readNew(client_, keys_, shard, "instance-a", 10));
  ASSERT_TRUE(crashed);
  ASSERT_EQ(crashed->size(), 3u);
  auto none = await(readNew(client_, keys_, shard, "instance-b", 10));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty()) << "delivered entries are not handed out twice";

  auto acked = await(ack(client_, keys_, shard, strings((*crashed)[0].stream_id)));
  ASSERT_TRUE(acked);
  EXPECT_EQ(*acked, 1);
  auto length = await(outboxLength(client_, keys_, shard));
  ASSERT_TRUE(length);
  EXPECT_EQ(*length, 2) << "ack also deletes";

  auto too_early = await(claimPending(client_, keys_, shard, "instance-b", 10s, 10));
  ASSERT_TRUE(too_early);
  EXPECT_TRUE(too_early->empty());
  runUntil(io_, [] { return false; }, 120ms);
  auto claimed = await(claimPending(client_, keys_, shard, "instance-b", 100ms, 10));
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].event.id, "g2");
  EXPECT_EQ((*claimed)[1].event.id, "g3");

  auto lag = await(outboxLag(client_, keys_, shard, streamIdMs((*claimed)[0].stream_id) + 5000));
  ASSERT_TRUE(lag);
  EXPECT_EQ(lag->count(), 5000);
  ASSERT_TRUE(await(ack(client_, keys_, shard,
                        strings((*claimed)[0].stream_id, (*claimed)[1].stream_id))));
  lag = await(outboxLag(client_, keys_, shard, 0));
  ASSERT_TRUE(lag);
  EXPECT_EQ(lag->count(), 0);
}

TEST_F(EventStoreTest, BlockingReadWaitsForNewEntries) {
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  RedisEndpoint endpoint = endpointOf(sharedServer());
  endpoint.command_timeout = 3s;
  RedisClient blocking(io_, endpoint);  // its own connection, as the forwarder does
  const std::string subject = "shop:11";
  const int shard = keys_.shardOf(subject);
  const auto started = std::chrono::steady_clock::now();
  auto result = await([&]() -> awaitable<Result<std::vector<OutboxEntry>>> {
    boost::asio::co_spawn(
        io_,
        [&]() -> awaitable<void> {
          boost::asio::steady_timer timer(io_, 100ms);
          co_await timer.async_wait(boost::asio::use_awaitable);
          (void)co_await decide(client_, keys_, makeEvent(subject, "order.updated", "N1", "b1"),
                                60s);
        },
        boost::asio::detached);
    co_return co_await readNew(blocking, keys_, shard, "c", 10, 2000ms);
  }());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ((*result)[0].event.id, "b1");
  EXPECT_LT(elapsed, 1500ms);
}

TEST_F(EventStoreTest, LeasesAreExclusiveAndExpire) {
  auto a = await(acquireLease(client_, keys_, 0, "instance-a", 200ms));
  ASSERT_TRUE(a);
  EXPECT_TRUE(*a);
  auto b = await(acquireLease(client_, keys_, 0, "instance-b", 200ms));
  ASSERT_TRUE(b);
  EXPECT_FALSE(*b);
  auto renew = await(acquireLease(client_, keys_, 0, "instance-a", 200ms));
  ASSERT_TRUE(renew);
  EXPECT_TRUE(*renew);
  auto released = await(releaseLease(client_, keys_, 0, "instance-b"));
  ASSERT_TRUE(released);
  EXPECT_FALSE(*released) << "only the holder releases";
  auto holder = await(leaseHolder(client_, keys_, 0));
  ASSERT_TRUE(holder);
  EXPECT_EQ(*holder, std::optional<std::string>("instance-a"));

  runUntil(io_, [] { return false; }, 300ms);
  b = await(acquireLease(client_, keys_, 0, "instance-b", 10s));
  ASSERT_TRUE(b);
  EXPECT_TRUE(*b) << "an expired lease can be taken";
  released = await(releaseLease(client_, keys_, 0, "instance-b"));
  ASSERT_TRUE(released);
  EXPECT_TRUE(*released);
  holder = await(leaseHolder(client_, keys_, 0));
  ASSERT_TRUE(holder);
  EXPECT_FALSE(holder->has_value());
}

TEST_F(EventStoreTest, DeadLetterListReplayPurge) {
  ASSERT_TRUE(await(ensureGroups(client_, keys_)));
  // Three orders dead-lettered at different times, on whatever shards they hash to.
  std::vector<OutboxEntry> taken;
  const std::vector<std::string> subjects = {"shop:20", "shop:21", "amz:22"};
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    auto e = makeEvent(subjects[i], "order.updated", "N1", "dead" + std::to_string(i));
    if (i == 2) {
      e.channel = "amz";
    }
    ASSERT_TRUE(await(decide(client_, keys_, e, 60s)));
    auto read = await(readNew(client_, keys_, keys_.shardOf(subjects[i]), "c", 10));
    ASSERT_TRUE(read);
    ASSERT_EQ(read->size(), 1u);
    taken.push_back((*read)[0]);
  }
  for (std::size_t i = 0; i < taken.size(); ++i) {
    const int shard = keys_.shardOf(subjects[i]);
    ASSERT_TRUE(await(recordAttempt(client_, keys_, shard, taken[i].event.id,
                                    R"({"status":503})")));
    auto recorded = await(attempts(client_, keys_, shard, taken[i].event.id));
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->size(), 1u);
    auto dead = await(deadLetter(client_, keys_, shard, taken[i].stream_id, taken[i].event,
                                 "http 400", 1000 + static_cast<std::int64_t>(i) * 1000,
                                 strings(R"({"status":400})")));
    ASSERT_TRUE(dead) << dead.error().message;
  }
  for (int shard = 0; shard < keys_.shards(); ++shard) {
    auto length = await(outboxLength(client_, keys_, shard));
    ASSERT_TRUE(length);
    EXPECT_EQ(*length, 0) << "dead-lettered entries leave the outbox";
  }
  auto count = await(deadLetterCount(client_, keys_));
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 3);

  auto all = await(listDeadLetters(client_, keys_, DlqFilter{}));
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].event.id, "dead2") << "newest first";
  EXPECT_EQ((*all)[2].event.id, "dead0");
  EXPECT_EQ((*all)[0].attempts_json, R"([{"status":503},{"status":400}])");
  EXPECT_EQ((*all)[0].reason, "http 400");
  EXPECT_EQ((*all)[0].dead_at_ms, 3000);
  EXPECT_EQ((*all)[0].shard, keys_.shardOf("amz:22"));
  EXPECT_EQ((*all)[0].event.type, "order.created");
  EXPECT_EQ((*all)[0].event.data, taken[2].event.data);

  DlqFilter by_channel;
  by_channel.channel = "shop";
  auto shop = await(listDeadLetters(client_, keys_, by_channel));
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->size(), 2u);
  EXPECT_EQ((*shop)[0].event.id, "dead1");

  DlqFilter window;
  window.since_ms = 1500;
  window.until_ms = 2500;
  auto middle = await(listDeadLetters(client_, keys_, window));
  ASSERT_TRUE(middle);
  ASSERT_EQ(middle->size(), 1u);
  EXPECT_EQ((*middle)[0].event.id, "dead1");

  DlqFilter page;
  page.offset = 1;
  page.limit = 1;
  auto second = await(listDeadLetters(client_, keys_, page));
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].event.id, "dead1");

  DlqFilter by_type;
  by_type.type = "order.updated";
  auto none = await(listDeadLetters(client_, keys_, by_type));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  auto one = await(getDeadLetter(client_, keys_, "dead0"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->stream_id, taken[0].stream_id);
  auto missing = await(getDeadLetter(client_, keys_, "nope"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // Replay puts the original event back on its shard's outbox.
  auto replayed = await(replayDeadLetter(client_, keys_, "dead0"));
  ASSERT_TRUE(replayed) << replayed.error().message;
  const int shard0 = keys_.shardOf("shop:20");
  auto back = await(readNew(client_, keys_, shard0, "c", 10));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].stream_id, *replayed);
  auto expected = taken[0].event;
  expected.replayed_from = taken[0].stream_id;
  EXPECT_EQ((*back)[0].event, expected);
  auto gone = await(replayDeadLetter(client_, keys_, "dead0"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(await(purgeDeadLetter(client_, keys_, "dead1")));
  auto purged = await(purgeDeadLetter(client_, keys_, "dead1"));
  ASSERT_FALSE(purged);
  EXPECT_EQ(purged.error().code, ErrorCode::kNotFound);
  count = await(deadLetterCount(client_, keys_));
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
}

// Pages: offset and limit over the newest-first index, and over filtered records only.
TEST_F(EventStoreTest, QuarantinePagesWithAndWithoutAFilter) {
  std::vector<std::string> ids;  // oldest first; channels alternate a, b, a, b, …
  for (int i = 0; i < 9; ++i) {
    QuarantineEntry e;
    e.channel = i % 2 == 0 ? "a" : "b";
    e.kind = "channel";
    e.received_at_ms = 1000 + i;
    e.body = "p" + std::to_string(i);
    auto id = await(quarantine(client_, keys_, e));
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  QuarantineFilter page;
  page.offset = 2;
  page.limit = 3;
  auto plain = await(listQuarantine(client_, keys_, page));
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->size(), 3u);
  EXPECT_EQ((*plain)[0].id, ids[6]);
  EXPECT_EQ((*plain)[2].id, ids[4]);
  page.channel = "a";  // a records, newest first: 8, 6, 4, 2, 0
  auto only_a = await(listQuarantine(client_, keys_, page));
  ASSERT_TRUE(only_a);
  ASSERT_EQ(only_a->size(), 3u);
  EXPECT_EQ((*only_a)[0].id, ids[4]);
  EXPECT_EQ((*only_a)[1].id, ids[2]);
  EXPECT_EQ((*only_a)[2].id, ids[0]);
  page.offset = 4;
  auto tail = await(listQuarantine(client_, keys_, page));
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].id, ids[0]);
}

TEST_F(EventStoreTest, QuarantinePutListGetDelete) {
  QuarantineEntry a;
  a.channel = "shop";
  a.kind = "channel";
  a.received_at_ms = 1000;
  a.body = std::string("{\"x\":\0\x01\xff}", 9);
  a.headers = {{"Content-Type", "application/json"}, {"X-Weird", "quote\" back\\slash\n"}};
  a.errors = {FieldError{"lines[0].sku", "missing"}, FieldError{"", "bad json"}};
  QuarantineEntry b = a;
  b.channel = "ups";
  b.kind = "carrier";
  b.received_at_ms = 2000;
  b.errors.clear();

  auto id_a = await(quarantine(client_, keys_, a));
  auto id_b = await(quarantine(client_, keys_, b));
  ASSERT_TRUE(id_a && id_b);
  EXPECT_LT(*id_a, *id_b) << "ids sort by time";
  EXPECT_EQ(id_a->rfind("0000000001000-", 0), 0u) << *id_a;

  auto got = await(getQuarantine(client_, keys_, *id_a));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->id, *id_a);
  EXPECT_EQ(got->entry, a) << "binary body, headers and errors round-trip";

  auto all = await(listQuarantine(client_, keys_, QuarantineFilter{}));
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, *id_b);
  QuarantineFilter carriers;
  carriers.kind = "carrier";
  auto only = await(listQuarantine(client_, keys_, carriers));
  ASSERT_TRUE(only);
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ((*only)[0].entry, b);
  QuarantineFilter early;
  early.until_ms = 1500;
  auto first = await(listQuarantine(client_, keys_, early));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, *id_a);

  auto count = await(quarantineCount(client_, keys_));
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 2);
  ASSERT_TRUE(await(deleteQuarantine(client_, keys_, *id_a)));
  auto again = await(deleteQuarantine(client_, keys_, *id_a));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto missing = await(getQuarantine(client_, keys_, *id_a));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  count = await(quarantineCount(client_, keys_));
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
}

// Out of memory, the script's first write (the event's mark) is refused: nothing is marked,
// the caller answers 503, and the channel's retry is decided afresh once memory is back.
TEST_F(EventStoreTest, DecideRefusedForMemoryLeavesNothingBehind) {
  testing::RedisServer server;
  ASSERT_TRUE(server.start());
  RedisClient client(io_, endpointOf(server));
  ASSERT_EQ(run(io_, client.waitConnected(3s)), std::optional<bool>(true));
  auto event = makeEvent("shop:41", "order.updated", "N1", "m1");
  const int shard = keys_.shardOf("shop:41");
  ASSERT_TRUE(await(client.exec("CONFIG", "SET", "maxmemory", "1")));
  auto refused = await(decide(client, keys_, event, 60s));
  ASSERT_TRUE(await(client.exec("CONFIG", "SET", "maxmemory", "0")));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
  for (const std::string& key :
       {keys_.seen(shard, "m1"), keys_.outbox(shard), keys_.version("shop:41")}) {
    auto exists = await(client.exec("EXISTS", key));
    ASSERT_TRUE(exists);
    EXPECT_EQ(exists->integer, 0) << key;
  }
  auto retried = await(decide(client, keys_, event, 60s));
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->decision, Decision::kAccepted);
}

// A write that fails after the mark and the version were set (here: the outbox key holds a
// foreign value) takes both back — the version as it was before, or none — so the retry after
// the fix is accepted instead of "already seen" or "stale".
TEST_F(EventStoreTest, DecideTakesItsWritesBackWhenTheOutboxWriteFails) {
  // Two subjects of one shard: one without a version yet, one with an older one.
  const std::string fresh = "shop:42";
  const int shard = keys_.shardOf(fresh);
  std::string known;
  for (int i = 43; known.empty(); ++i) {
    if (keys_.shardOf("shop:" + std::to_string(i)) == shard) known = "shop:" + std::to_string(i);
  }
  ASSERT_TRUE(await(client_.exec("SET", keys_.outbox(shard), "not a stream")));
  ASSERT_TRUE(await(client_.exec("SET", keys_.version(known), "v0")));
  for (const std::string& subject : {fresh, known}) {
    auto event = makeEvent(subject, "order.updated", "v1", "w1-" + subject);
    auto failed = await(decide(client_, keys_, event, 60s));
    ASSERT_FALSE(failed) << subject;
    EXPECT_NE(failed.error().message.find("WRONGTYPE"), std::string::npos) << failed.error().message;
    EXPECT_EQ(integer("EXISTS", keys_.seen(shard, event.id)), 0) << subject;
  }
  EXPECT_EQ(integer("EXISTS", keys_.version(fresh)), 0);
  EXPECT_EQ(await(client_.exec("GET", keys_.version(known)))->str, "v0");

  ASSERT_TRUE(await(client_.exec("DEL", keys_.outbox(shard))));
  for (const std::string& subject : {fresh, known}) {
    auto event = makeEvent(subject, "order.updated", "v1", "w1-" + subject);
    auto retried = await(decide(client_, keys_, event, 60s));
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_EQ(retried->decision, Decision::kAccepted) << subject;
  }
  EXPECT_EQ(integer("XLEN", keys_.outbox(shard)), 2);
}

TEST_F(EventStoreTest, RedisDownIsUnavailable) {
  testing::RedisServer server;
  ASSERT_TRUE(server.start());
  RedisClient client(io_, endpointOf(server));
  ASSERT_EQ(run(io_, client.waitConnected(3s)), std::optional<bool>(true));
  server.kill();
  runUntil(io_, [&] { return !client.connected(); }, 3s);
  auto r = await(decide(client, keys_, makeEvent("shop:30", "order.updated", "N1", "u1"), 60s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST_F(EventStoreTest, DecideSurvivesScriptCacheFlushAndRestart) {
  testing::RedisServer server(testing::RedisServer::Options{true, {}});
  ASSERT_TRUE(server.start());
  RedisClient client(io_, endpointOf(server));
  auto e1 = makeEvent("shop:40", "order.updated", "N1", "r1");
  auto r = await(decide(client, keys_, e1, 60s));
  ASSERT_TRUE(r && r->decision == Decision::kAccepted);
  ASSERT_TRUE(server.restart());  // AOF (fsync always) keeps the accepted state
  ASSERT_TRUE(runUntil(io_, [&] { return !client.connected(); }, 3s));
  ASSERT_EQ(run(io_, client.waitConnected(5s)), std::optional<bool>(true));
  r = await(decide(client, keys_, e1, 60s));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->decision, Decision::kDuplicate);
  auto e2 = makeEvent("shop:40", "order.updated", "N2", "r2");
  r = await(decide(client, keys_, e2, 60s));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, Decision::kAccepted);
  EXPECT_EQ(r->type, "order.updated");
}

}  // namespace
}  // namespace ordergate::gateway::store::test
