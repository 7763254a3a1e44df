#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "adapters/common/headers.hpp"
#include "canonical/error.hpp"

namespace ordergate::gateway::http {

/// A request as handlers see it: no Beast types, so handler code compiles fast.
/// Views point into the connection's message and stay valid until the handler returns.
struct Request {
  std::string_view method;
  std::string_view target;  ///< path and query as sent
  std::string_view path;
  std::string_view query;
  std::vector<adapters::Header> headers;
  std::string body;  ///< raw bytes
  std::vector<std::pair<std::string_view, std::string_view>> params;  ///< {id} captures
  std::chrono::system_clock::time_point received_at;
  std::chrono::steady_clock::time_point started;

  [[nodiscard]] adapters::HeaderView headerView() const { return adapters::HeaderView(headers); }
  [[nodiscard]] std::string_view param(std::string_view name) const;
  /// A query parameter's raw value ("" when absent).
  [[nodiscard]] std::string_view queryParam(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// {"error":"<code>","message":"…"[,"field":"…"]} with the given status.
[[nodiscard]] Response jsonError(unsigned status, std::string_view code, std::string_view message,
                                 std::string_view field = {});
/// Status and JSON error body for an Error, from the one table in error_status.cpp.
[[nodiscard]] Response errorResponse(const Error& error);
[[nodiscard]] unsigned httpStatus(ErrorCode code);

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

/// Which body limit applies to a route.
enum class BodyClass { kNone, kWebhook, kFile, kAdmin };

struct Route {
  std::string method;
  std::string pattern;  ///< "/v1/channels/{id}/webhooks"
  std::string label;    ///< metric label, e.g. "channel_webhook"
  BodyClass body_class = BodyClass::kNone;
  Handler handler;
};

/// Matches method + path against patterns with {name} segments. Immutable after start-up.
class Router {
 public:
  void add(Route route);
  struct Match {
    const Route* route = nullptr;
    bool path_known = false;  ///< the path matched some route, but not with this method (405)
  };
  [[nodiscard]] Match match(std::string_view method, std::string_view path, Request* req) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace ordergate::gateway::http
