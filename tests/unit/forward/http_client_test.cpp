#include "gateway/forward/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <optional>
#include <thread>

#include "adapters/common/standard_webhooks.hpp"
#include "gateway/forward/cloud_event_request.hpp"
#include "gateway/forward/keepalive_client.hpp"
#include "gateway/forward/retry_policy.hpp"
#include "tests/support/fake_http_server.hpp"

namespace ordergate::gateway::forward {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using ordergate::testing::FakeHttpServer;
using ordergate::testing::FakeRequest;
using ordergate::testing::FakeResponse;

// Runs `io` until `done()` or the deadline; every test loop is bounded in time.
bool runUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    io.restart();
    io.run_one_for(20ms);
  }
  return true;
}

// Every test runs twice: plain http through KeepAliveClient (the default) and through libcurl
// (what https URLs take), so both paths keep the same contract.
class HttpClientTest : public ::testing::TestWithParam<bool> {
 protected:
  static HttpClientConfig config(long max_host_connections = 16) {
    HttpClientConfig c;
    c.max_host_connections = max_host_connections;
    c.plain_http_keepalive = GetParam();
    return c;
  }

  HttpResponse sendOne(HttpClient& client, HttpRequest request) {
    std::optional<HttpResponse> result;
    client.send(std::move(request), [&](HttpResponse r) { result = std::move(r); });
    EXPECT_TRUE(runUntil(io_, [&] { return result.has_value(); }));
    return result.value_or(HttpResponse{});
  }

  HttpRequest simple(const std::string& path = "/events") {
    HttpRequest r;
    r.url = server_.url(path);
    r.body = R"({"hello":"world"})";
    r.headers = {{"Content-Type", "application/json"}};
    return r;
  }

  asio::io_context io_;
  FakeHttpServer server_;
};

TEST_P(HttpClientTest, PostsSignedCloudEventAndReadsAnswer) {
  server_.setHandler([](const FakeRequest&) {
    return FakeResponse{.status = 201, .body = "created", .headers = {{"X-Reply", "yes"}}};
  });
  auto signer = adapters::StandardWebhooksSigner::create("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(signer);
  HttpClient client(io_, config());
  const long long now = 1700000000;
  const std::string body = R"({"specversion":"1.0","id":"ev_42"})";
  HttpResponse response = sendOne(client, buildCloudEventRequest({.url = server_.url("/oms"),
                                                                  .event_id = "ev_42",
                                                                  .body = body,
                                                                  .signer = &*signer,
                                                                  .timestamp_seconds = now}));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body_excerpt, "created");
  EXPECT_TRUE(response.error.empty());
  EXPECT_FALSE(response.timed_out);
  EXPECT_GT(response.elapsed.count(), 0);
  EXPECT_EQ(classify(response), Verdict::kDelivered);

  auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 1u);
  const FakeRequest& r = seen[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/oms");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.header("content-type"), "application/cloudevents+json");
  EXPECT_EQ(r.header("idempotency-key"), "ev_42");
  EXPECT_EQ(r.header("user-agent"), "ordergate/" ORDERGATE_VERSION);
  EXPECT_EQ(r.header("webhook-id"), "ev_42");
  EXPECT_EQ(r.header("webhook-timestamp"), std::to_string(now));
  EXPECT_EQ(r.header("expect"), "");
  // What the server received verifies with the same secret: the receiver's view.
  EXPECT_TRUE(signer->verify(r.header("webhook-id"), r.header("webhook-timestamp"),
                             r.header("webhook-signature"), r.body, now));
}

TEST_P(HttpClientTest, Captures503WithRetryAfter) {
  server_.setHandler([](const FakeRequest&) {
    return FakeResponse{.status = 503, .body = "busy",
                        .headers = {{"Retry-After", "7"}, {"Content-Type", "text/plain; charset=Cp1252"}}};
  });
  HttpClient client(io_, config());
  HttpResponse response = sendOne(client, simple());
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.retry_after, "7");
  EXPECT_EQ(response.content_type, "text/plain; charset=Cp1252");
  EXPECT_EQ(response.body_excerpt, "busy");
  EXPECT_EQ(classify(response), Verdict::kRetry);
  EXPECT_EQ(parseRetryAfter(response.retry_after, std::chrono::system_clock::now()), 7000ms);
}

TEST_P(HttpClientTest, DeadLetterStatusAndLongBodyExcerpt) {
  server_.setHandler([](const FakeRequest&) {
    return FakeResponse{.status = 422, .body = std::string(10000, 'x')};
  });
  HttpClient client(io_, config());
  HttpResponse response = sendOne(client, simple());
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.body_excerpt.size(), HttpResponse::kBodyExcerptLimit);
  EXPECT_TRUE(response.retry_after.empty());
  EXPECT_EQ(classify(response), Verdict::kDeadLetter);
  // The rest of the body was drained, so the connection is reused.
  EXPECT_EQ(sendOne(client, simple()).status, 422);
  EXPECT_EQ(server_.connectionCount(), 1u);
}

TEST_P(HttpClientTest, PerRequestTimeout) {
  server_.setHandler([](const FakeRequest&) { return FakeResponse{.delay = 2s}; });
  HttpClient client(io_, config());
  HttpRequest request = simple();
  request.timeout = 200ms;
  const auto started = std::chrono::steady_clock::now();
  HttpResponse response = sendOne(client, std::move(request));
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.timed_out);
  EXPECT_FALSE(response.error.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
  EXPECT_GE(response.elapsed, 150ms);
  EXPECT_EQ(classify(response), Verdict::kRetry);
}

TEST_P(HttpClientTest, ConnectionRefused) {
  // A bound but not listening socket: its port refuses connections and nobody else can take it.
  asio::io_context other;
  asio::ip::tcp::socket placeholder(other);
  placeholder.open(asio::ip::tcp::v4());
  placeholder.bind({asio::ip::make_address_v4("127.0.0.1"), 0});
  const auto port = placeholder.local_endpoint().port();

  HttpClient client(io_, config());
  HttpRequest request = simple();
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/events";
  HttpResponse response = sendOne(client, std::move(request));
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.timed_out);
  EXPECT_FALSE(response.error.empty());
  EXPECT_EQ(classify(response), Verdict::kRetry);
}

TEST_P(HttpClientTest, TwoHundredConcurrentRequestsAllCompleteOverFewConnections) {
  server_.setHandler([](const FakeRequest& r) {
    return FakeResponse{.status = 200, .body = r.header("idempotency-key")};
  });
  HttpClient client(io_, config(8));
  constexpr int kCount = 200;
  int completed = 0;
  int matched = 0;
  for (int i = 0; i < kCount; ++i) {
    HttpRequest request = simple();
    request.headers.emplace_back("Idempotency-Key", "ev_" + std::to_string(i));
    request.timeout = 10s;
    client.send(std::move(request), [&, i](HttpResponse r) {
      ++completed;
      if (r.status == 200 && r.body_excerpt == "ev_" + std::to_string(i)) {
        ++matched;
      }
    });
  }
  EXPECT_EQ(client.inFlight(), static_cast<std::size_t>(kCount));
  ASSERT_TRUE(runUntil(
      io_, [&] { return completed == kCount; }, 20s))
      << completed;
  EXPECT_EQ(matched, kCount);
  EXPECT_EQ(client.inFlight(), 0u);
  EXPECT_EQ(server_.requestCount(), static_cast<std::size_t>(kCount));
  EXPECT_LE(server_.connectionCount(), 8u);
}

TEST_P(HttpClientTest, SequentialCoroutineRequestsReuseOneConnection) {
  HttpClient client(io_, config());
  int ok = 0;
  bool finished = false;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 20; ++i) {
          HttpResponse r = co_await client.post(simple());
          if (r.status == 200) {
            ++ok;
          }
        }
        finished = true;
      },
      asio::detached);
  ASSERT_TRUE(runUntil(io_, [&] { return finished; }));
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(server_.requestCount(), 20u);
  EXPECT_EQ(server_.connectionCount(), 1u);
}

TEST_P(HttpClientTest, ServerClosingTheConnectionIsHandled) {
  server_.setHandler([](const FakeRequest&) { return FakeResponse{.close_connection = true}; });
  HttpClient client(io_, config());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sendOne(client, simple()).status, 200) << i;
  }
  EXPECT_EQ(server_.connectionCount(), 5u);
}

TEST_P(HttpClientTest, StopCancelsInFlightAndRefusesNewRequests) {
  server_.setHandler([](const FakeRequest&) { return FakeResponse{.delay = 2s}; });
  HttpClient client(io_, config());
  std::vector<HttpResponse> results;
  for (int i = 0; i < 3; ++i) {
    client.send(simple(), [&](HttpResponse r) { results.push_back(std::move(r)); });
  }
  // The client only makes progress while io_ runs, so wait by running it.
  ASSERT_TRUE(runUntil(
      io_, [&] { return server_.requestCount() >= 3; }, 5s));
  EXPECT_TRUE(server_.waitForRequests(3, 1s));
  EXPECT_EQ(client.inFlight(), 3u);
  client.stop();
  client.send(simple(), [&](HttpResponse r) { results.push_back(std::move(r)); });
  ASSERT_TRUE(runUntil(
      io_, [&] { return results.size() == 4; }, 2s));
  for (const auto& r : results) {
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.error, "cancelled");
  }
  EXPECT_EQ(client.inFlight(), 0u);
}

TEST_P(HttpClientTest, DestroyingTheClientCompletesOutstandingCallbacks) {
  server_.setHandler([](const FakeRequest&) { return FakeResponse{.delay = 2s}; });
  int cancelled = 0;
  {
    HttpClient client(io_, config());
    client.send(simple(), [&](HttpResponse r) { cancelled += r.error == "cancelled" ? 1 : 0; });
    runUntil(
        io_, [&] { return server_.requestCount() >= 1; }, 5s);
  }
  ASSERT_TRUE(runUntil(
      io_, [&] { return cancelled == 1; }, 2s));
}

TEST_P(HttpClientTest, IdleConnectionClosedByTheServerIsReplacedTransparently) {
  server_.setHandler([](const FakeRequest&) { return FakeResponse{.drop_after_answer = true}; });
  HttpClient client(io_, config());
  for (int i = 0; i < 4; ++i) {
    HttpResponse r = sendOne(client, simple());
    EXPECT_EQ(r.status, 200) << i << " " << r.error;
    // Let the server's close reach the client, so the next request finds a dead connection.
    ASSERT_TRUE(runUntil(
        io_, [&] { return server_.connectionCount() == static_cast<std::size_t>(i + 1); }, 2s));
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(server_.requestCount(), 4u);
}

TEST_P(HttpClientTest, GetSendsNoBodyAndReadsTheWholeAnswer) {
  server_.setHandler([](const FakeRequest& r) {
    return FakeResponse{.body = r.method + " " + r.target + " " + std::to_string(r.body.size()) +
                                " " + r.header("host")};
  });
  HttpClient client(io_, config());
  HttpRequest request;
  request.method = "GET";
  request.url = server_.url("/orders?id=7#frag");
  request.max_response_body = 1 << 20;
  HttpResponse r = sendOne(client, std::move(request));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body_excerpt,
            "GET /orders?id=7 0 127.0.0.1:" + std::to_string(server_.port()));
}

INSTANTIATE_TEST_SUITE_P(Paths, HttpClientTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("KeepAlive") : std::string("Curl");
                         });

TEST(PlainHttpUrl, Parses) {
  auto u = parsePlainHttpUrl("http://127.0.0.1:9000/v1/events?x=1#f");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "9000");
  EXPECT_EQ(u->target, "/v1/events?x=1");
  EXPECT_EQ(u->host_header, "127.0.0.1:9000");
  u = parsePlainHttpUrl("HTTP://oms.internal");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "oms.internal");
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->target, "/");
  u = parsePlainHttpUrl("http://[::1]:8080?q");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->target, "/?q");
  EXPECT_EQ(u->host_header, "[::1]:8080");
}

TEST(PlainHttpUrl, LeavesEverythingElseToLibcurl) {
  for (const char* url : {"https://oms.example/x", "http://user:pw@oms/x", "http://", "http://:80/",
                          "http://host:0/", "http://host:70000/", "http://host:8a/", "ftp://h/",
                          "http://[::1/"}) {
    EXPECT_FALSE(parsePlainHttpUrl(url)) << url;
  }
}

}  // namespace
}  // namespace ordergate::gateway::forward
