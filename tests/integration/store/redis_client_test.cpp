#include "gateway/store/redis_client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "tests/integration/store/test_util.hpp"

namespace ordergate::gateway::store::test {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;

TEST(ParseRedisUrl, Defaults) {
  auto e = parseRedisUrl("redis://localhost");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "localhost");
  EXPECT_EQ(e->port, 6379);
  EXPECT_EQ(e->db, 0);
  EXPECT_TRUE(e->username.empty());
  EXPECT_TRUE(e->password.empty());
}

TEST(ParseRedisUrl, Full) {
  auto e = parseRedisUrl("redis://app:s%40cret@redis.internal:6380/3");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "redis.internal");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->db, 3);
  EXPECT_EQ(e->username, "app");
  EXPECT_EQ(e->password, "s@cret");
}

TEST(ParseRedisUrl, PasswordOnlyAndIpv6) {
  auto e = parseRedisUrl("redis://:pw@[::1]:7000/");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 7000);
  EXPECT_EQ(e->username, "");
  EXPECT_EQ(e->password, "pw");
}

TEST(ParseRedisUrl, Errors) {
  for (const char* bad :
       {"http://x", "rediss://x", "redis://", "redis://:6379", "redis://x:0", "redis://x:70000",
        "redis://x:abc", "redis://x:", "redis://x/abc", "redis://x/-1", "redis://user@x",
        "redis://x?db=1", "redis://[::1", "redis://a:%zz@x"}) {
    auto e = parseRedisUrl(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::kConfig) << bad;
    EXPECT_NE(e.error().message.find("redis url: "), std::string::npos) << bad;
  }
}

TEST(ParseRedisUrl, UnixSocket) {
  auto e = parseRedisUrl("unix:///run/redis/redis.sock");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->socket_path, "/run/redis/redis.sock");
  EXPECT_EQ(e->db, 0);
  EXPECT_TRUE(e->password.empty());
  auto full = parseRedisUrl("unix://app:s%40cret@/var/run/r%20s.sock?db=2");
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->socket_path, "/var/run/r s.sock");
  EXPECT_EQ(full->db, 2);
  EXPECT_EQ(full->username, "app");
  EXPECT_EQ(full->password, "s@cret");
  for (const char* bad : {"unix://", "unix:///", "unix://relative.sock", "unix:///r.sock?db=x",
                          "unix:///r.sock?timeout=1", "unix:///r.sock?db=1&x=2", "unix://user@/r.sock",
                          "unix:///r.sock#frag"}) {
    auto b = parseRedisUrl(bad);
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().code, ErrorCode::kConfig) << bad;
  }
}

TEST(AsResult, MapsErrorReplies) {
  RedisReply loading{RedisReply::Type::kError, 0, "LOADING Redis is loading", {}};
  EXPECT_EQ(asResult(loading).error().code, ErrorCode::kUnavailable);
  RedisReply wrong{RedisReply::Type::kError, 0, "WRONGTYPE Operation against a key", {}};
  EXPECT_EQ(asResult(wrong).error().code, ErrorCode::kInternal);
  RedisReply ok{RedisReply::Type::kStatus, 0, "OK", {}};
  EXPECT_TRUE(asResult(ok));
}

class RedisClientTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  std::string prefix_ = uniquePrefix();
};

// A co-located Redis over its unix socket: the same client, the same commands.
TEST_F(RedisClientTest, ConnectsOverAUnixSocketAndSelectsTheDatabase) {
  const std::string socket = "/tmp/og-redis-test-" + std::to_string(::getpid()) + ".sock";
  testing::RedisServer server(
      testing::RedisServer::Options{false, "--unixsocket " + socket + " --unixsocketperm 700"});
  ASSERT_TRUE(server.start());
  auto endpoint = parseRedisUrl("unix://" + socket + "?db=3");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  RedisClient client(io_, *endpoint);
  ASSERT_EQ(run(io_, client.waitConnected(3s)), std::optional<bool>(true));
  auto replies = run(io_, [&]() -> awaitable<std::vector<Result<RedisReply>>> {
    std::vector<Result<RedisReply>> out;
    out.push_back(co_await client.exec("SET", "k", std::string(20000, 'x')));
    out.push_back(co_await client.exec("GET", "k"));
    out.push_back(co_await client.exec("CLIENT", "INFO"));
    co_return out;
  }());
  ASSERT_TRUE(replies);
  for (auto& r : *replies) {
    ASSERT_TRUE(r) << r.error().message;
  }
  EXPECT_EQ((*replies)[1]->str, std::string(20000, 'x'));
  EXPECT_NE((*replies)[2]->str.find("db=3"), std::string::npos) << (*replies)[2]->str;
  EXPECT_NE((*replies)[2]->str.find("addr=" + socket), std::string::npos) << (*replies)[2]->str;
  server.stop();
  ::unlink(socket.c_str());
}

TEST_F(RedisClientTest, ReplyTypes) {
  RedisClient client(io_, endpointOf(sharedServer()));
  auto replies = run(io_, [&]() -> awaitable<std::vector<Result<RedisReply>>> {
    const std::string key = prefix_ + ":k";
    const std::string list = prefix_ + ":l";
    const std::string binary("a\0b\r\n", 5);
    std::vector<Result<RedisReply>> out;
    out.push_back(co_await client.exec("SET", key, binary));
    out.push_back(co_await client.exec("GET", key));
    out.push_back(co_await client.exec("INCR", prefix_ + ":n"));
    out.push_back(co_await client.exec("GET", prefix_ + ":missing"));
    out.push_back(co_await client.exec("RPUSH", list, "x", "y"));
    out.push_back(co_await client.exec("LRANGE", list, "0", "-1"));
    out.push_back(co_await client.exec("NOSUCHCOMMAND"));
    co_return out;
  }());
  ASSERT_TRUE(replies);
  auto& r = *replies;
  ASSERT_EQ(r.size(), 7u);
  for (auto& x : r) {
    ASSERT_TRUE(x) << x.error().message;
  }
  EXPECT_EQ(r[0]->type, RedisReply::Type::kStatus);
  EXPECT_EQ(r[0]->str, "OK");
  EXPECT_EQ(r[1]->type, RedisReply::Type::kString);
  EXPECT_EQ(r[1]->str, std::string("a\0b\r\n", 5));
  EXPECT_EQ(r[2]->type, RedisReply::Type::kInteger);
  EXPECT_EQ(r[2]->integer, 1);
  EXPECT_TRUE(r[3]->isNil());
  EXPECT_EQ(r[4]->integer, 2);
  ASSERT_EQ(r[5]->type, RedisReply::Type::kArray);
  ASSERT_EQ(r[5]->elements.size(), 2u);
  EXPECT_EQ(r[5]->elements[1].str, "y");
  EXPECT_TRUE(r[6]->isError());
  EXPECT_FALSE(asResult(*r[6]));
}

TEST_F(RedisClientTest, PipelinesThousandCommandsInFlight) {
  RedisClient client(io_, endpointOf(sharedServer()));
  constexpr int kCount = 1000;
  int done = 0;
  int ordered = 0;
  std::size_t max_in_flight = 0;
  const std::string key = prefix_ + ":counter";
  for (int i = 0; i < kCount; ++i) {
    const std::string_view args[] = {"INCR", key};
    client.command(args, [&, i](Result<RedisReply> r) {
      if (r && r->integer == i + 1 && done == i) {
        ++ordered;
      }
      ++done;
    });
    max_in_flight = std::max(max_in_flight, client.pending());
  }
  EXPECT_EQ(max_in_flight, static_cast<std::size_t>(kCount));
  ASSERT_TRUE(runUntil(io_, [&] { return done == kCount; }));
  EXPECT_EQ(ordered, kCount);
  EXPECT_TRUE(client.connected());
  EXPECT_EQ(client.pending(), 0u);
}

TEST_F(RedisClientTest, ExecPipelineKeepsOrder) {
  RedisClient client(io_, endpointOf(sharedServer()));
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 50; ++i) {
    commands.push_back({"RPUSH", prefix_ + ":p", std::to_string(i)});
  }
  auto results = run(io_, client.execPipeline(std::move(commands)));
  ASSERT_TRUE(results);
  ASSERT_EQ(results->size(), 50u);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE((*results)[i]);
    EXPECT_EQ((*results)[i]->integer, i + 1);
  }
}

TEST_F(RedisClientTest, ScriptFallsBackToEvalOnNoscript) {
  RedisClient client(io_, endpointOf(sharedServer()));
  Script script("return {KEYS[1], ARGV[1]}");
  auto r = run(io_, [&]() -> awaitable<Result<RedisReply>> {
    (void)co_await client.exec("SCRIPT", "FLUSH");
    std::vector<std::string> keys = {prefix_ + ":a"};
    std::vector<std::string> args_x = {"x"};
    std::vector<std::string> args_y = {"y"};
    auto first = co_await script.exec(client, keys, args_x);
    if (!first) {
      co_return first;
    }
    auto loaded = co_await client.exec("SCRIPT", "EXISTS", script.sha1());
    if (!loaded || loaded->elements.empty() || loaded->elements[0].integer != 1) {
      co_return fail(ErrorCode::kInternal, "script was not cached by the fallback");
    }
    co_return co_await script.exec(client, keys, args_y);
  }());
  ASSERT_TRUE(r);
  ASSERT_TRUE(*r) << r->error().message;
  ASSERT_EQ((*r)->elements.size(), 2u);
  EXPECT_EQ((*r)->elements[1].str, "y");
}

TEST_F(RedisClientTest, NotConnectedFailsFastWithUnavailable) {
  RedisEndpoint endpoint;
  endpoint.port = testing::freeLoopbackPort();  // nobody listens
  endpoint.connect_timeout = 200ms;
  RedisClient client(io_, endpoint);
  std::vector<Result<RedisReply>> results;
  const std::string_view args[] = {"PING"};
  client.command(args, [&](Result<RedisReply> r) { results.push_back(std::move(r)); });
  EXPECT_TRUE(results.empty()) << "callbacks are never invoked inline";
  ASSERT_TRUE(runUntil(io_, [&] { return !results.empty(); }, 3s));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(client.connected());
  // Later commands keep failing fast while the client retries in the background.
  auto again = run(io_, client.exec("PING"), 3s);
  ASSERT_TRUE(again);
  ASSERT_FALSE(*again);
  EXPECT_EQ(again->error().code, ErrorCode::kUnavailable);
  client.stop();
}

// A server that answers with something that is not RESP: the reader's error fails what was
// in flight with the reason, and the client goes on reconnecting instead of hanging.
TEST_F(RedisClientTest, ProtocolErrorFailsPendingAndDisconnects) {
  namespace asio = boost::asio;
  asio::ip::tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  int accepted = 0;
  std::vector<std::shared_ptr<asio::ip::tcp::socket>> peers;
  std::function<void()> accept = [&] {
    auto peer = std::make_shared<asio::ip::tcp::socket>(io_);
    acceptor.async_accept(*peer, [&, peer](boost::system::error_code ec) {
      if (ec) return;
      ++accepted;
      peers.push_back(peer);
      auto buf = std::make_shared<std::array<char, 512>>();
      peer->async_read_some(asio::buffer(*buf), [peer, buf](boost::system::error_code, std::size_t) {
        static const std::string garbage = "hello, not redis\r\n";
        asio::async_write(*peer, asio::buffer(garbage), [peer](boost::system::error_code, std::size_t) {});
      });
      accept();
    });
  };
  accept();
  RedisEndpoint endpoint;
  endpoint.port = acceptor.local_endpoint().port();
  RedisClient client(io_, endpoint);
  std::vector<Result<RedisReply>> results;
  const std::string_view args[] = {"PING"};
  ASSERT_TRUE(runUntil(io_, [&] { return accepted >= 1; }, 3s));
  client.command(args, [&](Result<RedisReply> r) { results.push_back(std::move(r)); });
  ASSERT_TRUE(runUntil(io_, [&] { return !results.empty(); }, 3s));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code, ErrorCode::kUnavailable);
  EXPECT_NE(results[0].error().message.find("Protocol error"), std::string::npos)
      << results[0].error().message;
  EXPECT_TRUE(runUntil(io_, [&] { return accepted >= 2; }, 5s)) << "reconnects after the error";
  client.stop();
}

TEST_F(RedisClientTest, DisconnectFailsPendingExactlyOnceThenReconnects) {
  testing::RedisServer server;
  ASSERT_TRUE(server.start());
  RedisClient client(io_, endpointOf(server));
  ASSERT_EQ(run(io_, client.waitConnected(3s)), std::optional<bool>(true));

  // Commands stuck behind a server-side sleep are in flight when the server dies.
  constexpr int kCount = 20;
  std::vector<int> calls(kCount, 0);
  std::vector<std::optional<ErrorCode>> codes(kCount);
  const std::string_view sleep_args[] = {"DEBUG", "SLEEP", "2"};
  client.command(sleep_args, [&](Result<RedisReply> r) {
    ++calls[0];
    codes[0] = r ? std::nullopt : std::optional(r.error().code);
  });
  for (int i = 1; i < kCount; ++i) {
    const std::string_view args[] = {"PING"};
    client.command(args, [&, i](Result<RedisReply> r) {
      ++calls[i];
      codes[i] = r ? std::nullopt : std::optional(r.error().code);
    });
  }
  runUntil(io_, [] { return false; }, 100ms);  // let the commands reach the server
  server.kill();
  ASSERT_TRUE(runUntil(io_, [&] {
    return std::all_of(calls.begin(), calls.end(), [](int c) { return c > 0; });
  }, 5s));
  runUntil(io_, [] { return false; }, 200ms);  // a second delivery would show up here
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    EXPECT_EQ(codes[i], std::optional(ErrorCode::kUnavailable)) << i;
  }
  EXPECT_FALSE(client.connected());

  ASSERT_TRUE(server.start());
  ASSERT_EQ(run(io_, client.waitConnected(5s)), std::optional<bool>(true));
  EXPECT_GE(client.connectCount(), 2u);
  auto pong = run(io_, client.exec("PING"));
  ASSERT_TRUE(pong && *pong);
  EXPECT_EQ((*pong)->str, "PONG");
}

TEST_F(RedisClientTest, CommandTimeoutFailsConnectionAndRecovers) {
  RedisEndpoint endpoint = endpointOf(sharedServer());
  endpoint.command_timeout = 200ms;
  RedisClient client(io_, endpoint);
  ASSERT_EQ(run(io_, client.waitConnected(3s)), std::optional<bool>(true));
  auto slow = run(io_, client.exec("DEBUG", "SLEEP", "0.6"), 3s);
  ASSERT_TRUE(slow);
  ASSERT_FALSE(*slow);
  EXPECT_EQ(slow->error().code, ErrorCode::kUnavailable);
  EXPECT_NE(slow->error().message.find("timed out"), std::string::npos) << slow->error().message;
  runUntil(io_, [] { return false; }, 600ms);  // DEBUG SLEEP blocks the whole server
  ASSERT_EQ(run(io_, client.waitConnected(5s)), std::optional<bool>(true));
  auto pong = run(io_, client.exec("PING"));
  ASSERT_TRUE(pong && *pong);
}

TEST_F(RedisClientTest, AuthAndSelectOnConnect) {
  testing::RedisServer server(testing::RedisServer::Options{false, "--requirepass hunter2"});
  ASSERT_TRUE(server.start());
  auto endpoint = parseRedisUrl(server.url().replace(0, 8, "redis://:hunter2@") + "/5");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  RedisClient client(io_, *endpoint);
  auto r = run(io_, [&]() -> awaitable<Result<RedisReply>> {
    (void)co_await client.exec("SET", "k", "v");
    co_return co_await client.exec("CLIENT", "INFO");
  }());
  ASSERT_TRUE(r && *r) << (r && !*r ? r->error().message : "");
  EXPECT_NE((*r)->str.find(" db=5 "), std::string::npos) << (*r)->str;

  RedisEndpoint wrong = *endpoint;
  wrong.password = "wrong";
  RedisClient bad(io_, wrong);
  auto denied = run(io_, bad.exec("PING"));
  ASSERT_TRUE(denied);
  ASSERT_FALSE(*denied);
  EXPECT_EQ(denied->error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bad.lastError().find("handshake failed"), std::string::npos) << bad.lastError();
}

TEST_F(RedisClientTest, StopFailsPendingAndLetsRunReturn) {
  RedisClient client(io_, endpointOf(sharedServer()));
  int calls = 0;
  std::optional<ErrorCode> code;
  const std::string_view args[] = {"DEBUG", "SLEEP", "0.3"};
  client.command(args, [&](Result<RedisReply> r) {
    ++calls;
    code = r ? std::nullopt : std::optional(r.error().code);
  });
  client.stop();
  io_.restart();
  io_.run_for(2s);  // returns early once nothing is left to do
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(code, std::optional(ErrorCode::kUnavailable));
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace ordergate::gateway::store::test
