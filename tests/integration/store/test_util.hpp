#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "gateway/store/redis_client.hpp"
#include "tests/support/redis_server.hpp"

namespace ordergate::gateway::store::test {

/// Runs `awaitable` on `io` until it completes or `limit` passes (the client's timers keep the
/// io_context busy, so io.run() alone would never return). Fails the test on timeout.
template <class T>
std::optional<T> run(boost::asio::io_context& io, boost::asio::awaitable<T> awaitable,
                     std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto out = std::make_shared<std::optional<T>>();
  auto done = std::make_shared<bool>(false);
  boost::asio::co_spawn(io, std::move(awaitable), [out, done](std::exception_ptr e, T value) {
    *done = true;
    if (e) {
      ADD_FAILURE() << "coroutine threw";
      return;
    }
    *out = std::move(value);
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!*done && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  if (!*done) {
    ADD_FAILURE() << "coroutine did not finish within " << limit.count() << " ms";
  }
  return *out;
}

/// Runs the io_context until `predicate()` holds or `limit` passes; returns the predicate.
template <class P>
bool runUntil(boost::asio::io_context& io, P predicate,
              std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!predicate() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(std::chrono::milliseconds(2));
  }
  return predicate();
}

inline RedisEndpoint endpointOf(const testing::RedisServer& server) {
  RedisEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = server.port();
  return endpoint;
}

/// One redis-server shared by the tests of a binary; tests separate by key prefix.
testing::RedisServer& sharedServer();

/// A key prefix unique to the running test ("t<n>").
std::string uniquePrefix();

}  // namespace ordergate::gateway::store::test
