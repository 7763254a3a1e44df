#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ordergate::testing {

/// One request as the fake server received it.
struct FakeRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< lowercase names; repeats joined with ", "
  std::string body;
  std::uint64_t connection_id = 0;  ///< which accepted TCP connection carried it (1-based)

  /// The header's value or "" (name in lowercase).
  [[nodiscard]] std::string header(const std::string& lowercase_name) const;
};

/// What the fake server answers.
struct FakeResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Wait this long before answering (an Asio timer: other connections are served meanwhile).
  std::chrono::milliseconds delay{0};
  /// Answer with "Connection: close" and close the connection afterwards.
  bool close_connection = false;
  /// Answer as keep-alive, then close the connection anyway: what a server's idle timeout does
  /// to a connection the client keeps for its next request.
  bool drop_after_answer = false;
};

/// A small HTTP/1.1 server (Boost.Beast) on 127.0.0.1 and an ephemeral port, running its own
/// io_context on a background thread, with keep-alive. A stand-in for the OMS or a channel API.
///
/// Thread-safety: every public member may be called from any thread.
class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  /// Starts listening at once; answers 200 "ok" until setHandler() is called.
  FakeHttpServer();
  /// Stops the server (closes all connections, joins the thread).
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  /// The listening port (0 if the listener could not be opened; a test failure is recorded).
  [[nodiscard]] std::uint16_t port() const;
  /// "http://127.0.0.1:<port><path>".
  [[nodiscard]] std::string url(const std::string& path = "/") const;

  /// Replaces the handler; requests already being handled keep the old one. Runs on the
  /// server's thread.
  void setHandler(Handler handler);

  /// Copies of every request received so far, in arrival order.
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  [[nodiscard]] std::size_t requestCount() const;
  /// TCP connections accepted so far.
  [[nodiscard]] std::size_t connectionCount() const;
  /// Blocks until at least `n` requests were received or `timeout` passed; true if reached.
  bool waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

  /// Closes the listener and all connections and joins the thread. Idempotent.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::testing
