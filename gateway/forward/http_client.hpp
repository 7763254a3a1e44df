#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "gateway/forward/http_message.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace ordergate::gateway::forward {

/// Connection and pool limits of an HttpClient.
struct HttpClientConfig {
  /// Parallel connections per host (CURLMOPT_MAX_HOST_CONNECTIONS); further transfers queue
  /// inside libcurl until a connection is free. 0 = unlimited.
  long max_host_connections = 16;
  /// Idle connections kept for reuse (CURLMOPT_MAXCONNECTS). 0 = libcurl's default.
  long max_idle_connections = 64;
  /// TCP (+ TLS) connect limit per attempt; the request timeout still bounds the whole transfer.
  std::chrono::milliseconds connect_timeout{2000};
  /// Finished easy handles kept for reuse.
  std::size_t easy_handle_pool = 64;
  /// Verify the server's TLS certificate and host name. Only tests should turn this off.
  bool verify_tls = true;
  /// Send plain "http://" URLs through KeepAliveClient (Beast, far less CPU per request)
  /// instead of libcurl. Everything else (https, user info in the URL) always uses libcurl.
  bool plain_http_keepalive = true;
};

class KeepAliveClient;

/// Asynchronous HTTP/1.1 POST client: libcurl's multi interface driven by one Boost.Asio
/// io_context (curl's sockets are watched with Asio descriptors, its timeouts with an Asio
/// timer). Connections are kept alive and reused between requests to the same host. Plain
/// "http://" URLs go through KeepAliveClient instead (see HttpClientConfig).
///
/// Thread-safety: none. Construct, call and destroy it on the thread that runs its io_context.
/// Completion callbacks are posted to that io_context; they never run inside send().
class HttpClient {
 public:
  /// Calls curl_global_init once per process.
  explicit HttpClient(boost::asio::io_context& io, HttpClientConfig config = {});
  /// Cancels outstanding transfers (as stop()) and closes all connections.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Starts a POST of `request.body` to `request.url`; `done` is called exactly once with the
  /// outcome (status 0 + error for transport failures). After stop(), completes at once with
  /// error "cancelled".
  void send(HttpRequest request, std::function<void(HttpResponse)> done);

  /// Coroutine form of send(): `HttpResponse r = co_await client.post(std::move(req));`
  [[nodiscard]] boost::asio::awaitable<HttpResponse> post(HttpRequest request);

  /// Cancels every outstanding transfer (their callbacks get status 0, error "cancelled") and
  /// refuses new ones. Idempotent.
  void stop();

  /// Transfers started and not yet completed.
  [[nodiscard]] std::size_t inFlight() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
  std::unique_ptr<KeepAliveClient> plain_;
};

}  // namespace ordergate::gateway::forward
