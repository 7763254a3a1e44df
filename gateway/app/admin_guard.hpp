#pragma once

#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "gateway/app/worker.hpp"
#include "gateway/http/bearer.hpp"
#include "gateway/http/message.hpp"

namespace ordergate::gateway {

/// Wraps an admin handler `body(http::Request&, store::RedisClient&)`: the bearer token
/// (`admin.token`) first — 401 without it, and always while the token is empty — then the
/// calling I/O thread's own Redis connection. Every /v1/admin/… and /v1/trackings route uses it.
template <class Body>
auto adminGuarded(std::string token, Body body) {
  return [token = std::move(token), body = std::move(body)](
             http::Request& req) -> boost::asio::awaitable<http::Response> {
    if (!http::bearerMatches(req, token)) {
      co_return http::jsonError(401, "unauthorized",
                                token.empty() ? "the admin API is disabled (admin.token is empty)"
                                              : "missing or wrong bearer token");
    }
    co_return co_await body(req, *currentWorker()->redis);
  };
}

}  // namespace ordergate::gateway
