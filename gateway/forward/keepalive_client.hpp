#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/forward/http_client.hpp"
#include "gateway/forward/http_message.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace ordergate::gateway::forward {

/// The parts of a plain "http://" URL a request needs.
struct PlainHttpUrl {
  std::string host;         ///< name or address, IPv6 without brackets
  std::string port;         ///< "80" when the URL names none
  std::string target;       ///< path and query, "/" at least; no fragment
  std::string host_header;  ///< the authority as written, for the Host header
};

/// Parses "http://host[:port][/path][?query][#fragment]". nullopt for any other scheme, user
/// info ("user:pw@"), an empty host or a bad port: those go to libcurl.
[[nodiscard]] std::optional<PlainHttpUrl> parsePlainHttpUrl(std::string_view url);

/// HTTP/1.1 over plain TCP with Boost.Beast on the caller's io_context: connections kept
/// alive per host (at most HttpClientConfig::max_host_connections each, further requests wait
/// for one), a request written as one gather write, answers read with Beast's parser.
///
/// Why it exists next to libcurl: forwarding to the OMS is one small POST per event, and
/// libcurl's multi interface (socket and timer callbacks, per-transfer option setup) was 40 % of
/// the forwarder thread's CPU (docs/PERFORMANCE.md). HttpClient sends plain-http URLs here and
/// everything else (TLS, proxies, user info) to libcurl.
///
/// A request that fails on a reused connection before any answer byte arrived (the server
/// closed an idle keep-alive connection) is sent again on a fresh one, as libcurl does; the
/// OMS deduplicates by Idempotency-Key, so a repeat is safe.
///
/// Thread-safety: none; use it on the thread that runs its io_context. Completion callbacks
/// never run inside send().
class KeepAliveClient {
 public:
  KeepAliveClient(boost::asio::io_context& io, const HttpClientConfig& config);
  /// Cancels what is outstanding (as stop()).
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  /// As HttpClient::send; `url` is request.url as parsePlainHttpUrl() read it (the caller
  /// parsed it to choose this client).
  void send(HttpRequest request, PlainHttpUrl url, std::function<void(HttpResponse)> done);
  /// Cancels every outstanding request (status 0, error "cancelled"), closes idle
  /// connections and refuses new requests. Idempotent.
  void stop();
  [[nodiscard]] std::size_t inFlight() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway::forward
