#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}

namespace ordergate::gateway::http {

/// HTTP/1.1 server: one acceptor per I/O context on the same port (SO_REUSEPORT), so each
/// thread accepts and serves its own connections without sharing state.
class HttpServer {
 public:
  HttpServer(const config::ServerConfig& cfg, const Router& router, metrics::Registry& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds one listener per context. Error kUnavailable naming the address when the port is
  /// taken or the host cannot be resolved. With port 0 all listeners share the first's port.
  [[nodiscard]] Result<void> listen(const std::vector<boost::asio::io_context*>& contexts);
  /// The bound port (after listen).
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// Starts accepting on every context (they must be run by the caller).
  void start();
  /// Stops accepting, closes idle keep-alive connections; requests in flight finish and their
  /// connections close after the response. Thread-safe.
  void shutdown();
  /// Requests being handled right now (read complete, response not yet written).
  [[nodiscard]] std::size_t inFlight() const { return in_flight_->load(); }
  /// Open connections.
  [[nodiscard]] std::size_t connections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  std::shared_ptr<std::atomic<std::size_t>> in_flight_;
};

}  // namespace ordergate::gateway::http
