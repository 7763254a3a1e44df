#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "gateway/forward/http_client.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway {

/// What every background worker (Lazada fetches, tracking polls, SP-API pulls, forwarder lanes)
/// owns: its own thread running its own io_context, with its own Redis and HTTP clients, so it
/// never shares a connection with the I/O threads. Workers' Impl structs derive from it.
struct WorkerThread {
  boost::asio::io_context io{1};
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::unique_ptr<store::RedisClient> redis;
  std::unique_ptr<forward::HttpClient> http;

  /// Creates the worker's Redis and HTTP clients on its io_context (before its coroutines are
  /// spawned).
  void openClients(const store::RedisEndpoint& endpoint, long max_host_connections) {
    redis = std::make_unique<store::RedisClient>(io, endpoint);
    forward::HttpClientConfig config;
    config.max_host_connections = max_host_connections;
    http = std::make_unique<forward::HttpClient>(io, config);
  }

  /// Runs the io_context on the worker's thread (coroutines are spawned before this).
  void startThread() {
    thread = std::thread([this] { io.run(); });
  }

  /// Stops the clients and the loop from inside the loop, then joins. Idempotent.
  void stopThread() {
    if (!thread.joinable()) {
      return;
    }
    boost::asio::post(io, [this] {
      stopping = true;
      if (http) http->stop();
      if (redis) redis->stop();
      io.stop();
    });
    thread.join();
  }
};

}  // namespace ordergate::gateway
