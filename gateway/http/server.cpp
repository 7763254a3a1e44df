#include "gateway/http/server.hpp"

#include <array>
#include <charconv>
#include <list>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "gateway/http/response_text.hpp"
#include "gateway/log/log.hpp"
#include "gateway/metrics/metrics.hpp"

namespace ordergate::gateway::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr std::size_t kReadBufferReserve = 16 * 1024;
constexpr std::size_t kMaxLingerBytes = 64 * 1024 * 1024;

// Connections of one I/O context; touched only from that context's thread.
struct Listener {
  asio::io_context* context = nullptr;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::list<beast::tcp_stream*> idle_streams;  // sessions waiting for a request header
  std::size_t connections = 0;
};

}  // namespace

struct HttpServer::Impl {
  const config::ServerConfig& cfg;
  const Router& router;
  metrics::Registry& registry;
  metrics::Family<metrics::Counter>& requests;
  metrics::Family<metrics::Histogram>& durations;
  metrics::Gauge& open_connections;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::atomic<bool> stopping{false};
  std::shared_ptr<std::atomic<std::size_t>> in_flight;

  Impl(const config::ServerConfig& c, const Router& r, metrics::Registry& m,
       std::shared_ptr<std::atomic<std::size_t>> flight)
      : cfg(c),
        router(r),
        registry(m),
        requests(m.counter("ordergate_http_requests_total", "HTTP requests by route and status code",
                           {"route", "code"})),
        durations(m.histogram("ordergate_http_request_duration_seconds",
                              "Time from request read to response written", {"route"})),
        open_connections(m.gauge("ordergate_http_open_connections", "Open client connections").with({})),
        in_flight(std::move(flight)) {}

  std::size_t bodyLimit(BodyClass c) const {
    switch (c) {
      case BodyClass::kNone: return 64 * 1024;
      case BodyClass::kWebhook: return cfg.max_webhook_body;
      case BodyClass::kFile: return cfg.max_file_body;
      case BodyClass::kAdmin: return cfg.max_admin_body;
    }
    return 64 * 1024;
  }

  asio::awaitable<void> acceptLoop(Listener& l) {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await l.acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || stopping.load()) {
          co_return;
        }
        log::warn("accept failed", {{"error", ec.message()}});
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(*l.context, session(l, std::move(socket)), asio::detached);
    }
  }

  template <class Message>
  asio::awaitable<bool> write(beast::tcp_stream& stream, Message& msg) {
    boost::system::error_code ec;
    stream.expires_after(cfg.read_timeout);
    co_await bhttp::async_write(stream, msg, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> writeResponse(beast::tcp_stream& stream, const Response& r, unsigned version,
                                      bool keep_alive) {
    const std::string text = responseText(r, version, keep_alive);
    boost::system::error_code ec;
    stream.expires_after(cfg.read_timeout);
    co_await asio::async_write(stream, asio::buffer(text), asio::redirect_error(asio::use_awaitable, ec));
  }

  void count(std::string_view route, unsigned status, std::chrono::steady_clock::time_point start) {
    char code[8];
    const auto [end, ec] = std::to_chars(code, code + sizeof code, status);
    (void)ec;
    requests.with({route, std::string_view(code, static_cast<std::size_t>(end - code))}).inc();
    durations.with({route}).observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  asio::awaitable<void> session(Listener& l, tcp::socket socket) {
    ++l.connections;
    open_connections.add(1);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    buffer.reserve(kReadBufferReserve);
    for (;;) {
      if (stopping.load()) {
        break;
      }
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
      // The route (and so the limit) is known only after the header; it is checked then.
      parser.body_limit(boost::none);
      boost::system::error_code ec;
      stream.expires_after(cfg.idle_timeout);
      l.idle_streams.push_front(&stream);
      auto idle_it = l.idle_streams.begin();
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
      l.idle_streams.erase(idle_it);
      auto start = std::chrono::steady_clock::now();
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          Response r = jsonError(431, "header_too_large", "request header exceeds the limit");
          count("unmatched", r.status, start);
          co_await writeResponse(stream, r, 11, false);
        } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                   ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                   ec != asio::error::eof) {
          Response r = jsonError(400, "bad_request", "malformed HTTP request: " + ec.message());
          count("unmatched", r.status, start);
          co_await writeResponse(stream, r, 11, false);
        }
        break;
      }
      ++*in_flight;
      bool keep_alive = co_await handleOne(stream, buffer, parser, start);
      --*in_flight;
      if (!keep_alive) {
        break;
      }
    }
    co_await lingeringClose(stream);
    --l.connections;
    open_connections.add(-1);
  }

  // Half-closes and drains what the client still sends (bounded), so a client that is still
  // writing a rejected body reads our answer instead of a connection reset.
  asio::awaitable<void> lingeringClose(beast::tcp_stream& stream) {
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      co_return;
    }
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16 * 1024> sink;
    std::size_t drained = 0;
    while (drained < kMaxLingerBytes) {
      std::size_t n = co_await stream.async_read_some(asio::buffer(sink),
                                                      asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;
      }
      drained += n;
    }
    stream.socket().close(ec);
  }

  // Reads the body of one request, dispatches it and writes the answer. Returns keep-alive.
  asio::awaitable<bool> handleOne(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                  bhttp::request_parser<bhttp::string_body>& parser,
                                  std::chrono::steady_clock::time_point start) {
    auto& header = parser.get();
    unsigned version = header.version();
    Request req;
    req.started = start;
    req.received_at = std::chrono::system_clock::now();
    req.method = header.method_string();
    req.target = header.target();
    auto qpos = req.target.find('?');
    req.path = req.target.substr(0, qpos);
    req.query = qpos == std::string_view::npos ? std::string_view{} : req.target.substr(qpos + 1);

    Router::Match m = router.match(req.method, req.path, &req);
    std::string_view label = m.route != nullptr ? std::string_view(m.route->label) : "unmatched";
    const std::size_t limit = bodyLimit(m.route != nullptr ? m.route->body_class : BodyClass::kNone);
    parser.body_limit(limit);
    if (auto len = parser.content_length(); len && *len > limit) {
      Response r = jsonError(413, "too_large", "body of " + std::to_string(*len) +
                                                   " bytes exceeds the limit of " + std::to_string(limit));
      count(label, r.status, start);
      co_await writeResponse(stream, r, version, false);
      co_return false;
    }

    if (m.route != nullptr && beast::iequals(header[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
      if (!co_await write(stream, cont)) {
        co_return false;
      }
    }

    boost::system::error_code ec;
    if (!parser.is_done()) {
      stream.expires_after(cfg.read_timeout);
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        Response r = jsonError(413, "too_large", "request body exceeds the limit of " +
                                                     std::to_string(limit) + " bytes");
        count(label, r.status, start);
        co_await writeResponse(stream, r, version, false);
      } else if (ec != beast::error::timeout && ec != bhttp::error::end_of_stream) {
        Response r = jsonError(400, "bad_request", "malformed HTTP request: " + ec.message());
        count(label, r.status, start);
        co_await writeResponse(stream, r, version, false);
      }
      co_return false;
    }

    auto& msg = parser.get();
    req.headers.reserve(16);
    for (const auto& f : msg) {
      req.headers.push_back({f.name_string(), f.value()});
    }
    req.body = std::move(msg.body());
    bool keep_alive = msg.keep_alive() && !stopping.load();

    Response r;
    if (m.route == nullptr) {
      r = m.path_known ? jsonError(405, "method_not_allowed",
                                   std::string(req.method) + " is not allowed on " + std::string(req.path))
                       : jsonError(404, "not_found", "no route for " + std::string(req.path));
    } else {
      try {
        r = co_await m.route->handler(req);
      } catch (const std::exception& e) {
        log::error("handler failed", {{"route", label}, {"error", e.what()}});
        r = jsonError(500, "internal", "internal error");
      }
    }
    count(label, r.status, start);
    keep_alive = keep_alive && !stopping.load();
    co_await writeResponse(stream, r, version, keep_alive);
    co_return keep_alive;
  }
};

HttpServer::HttpServer(const config::ServerConfig& cfg, const Router& router,
                       metrics::Registry& metrics)
    : in_flight_(std::make_shared<std::atomic<std::size_t>>(0)) {
  impl_ = std::make_unique<Impl>(cfg, router, metrics, in_flight_);
}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::listen(const std::vector<asio::io_context*>& contexts) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->cfg.host, ec);
  if (ec) {
    tcp::resolver resolver(*contexts.front());
    auto results = resolver.resolve(impl_->cfg.host, "", ec);
    if (ec || results.empty()) {
      return fail(ErrorCode::kUnavailable, "cannot resolve host \"" + impl_->cfg.host + "\"",
                  "server.listen");
    }
    address = results.begin()->endpoint().address();
  }
  std::uint16_t port = impl_->cfg.port;
  for (asio::io_context* ctx : contexts) {
    auto l = std::make_unique<Listener>();
    l->context = ctx;
    l->acceptor = std::make_unique<tcp::acceptor>(*ctx);
    tcp::endpoint ep(address, port);
    l->acceptor->open(ep.protocol(), ec);
    if (!ec) l->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      int one = 1;
      ::setsockopt(l->acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    }
    if (!ec) l->acceptor->bind(ep, ec);
    if (!ec) l->acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return fail(ErrorCode::kUnavailable,
                  "cannot listen on " + impl_->cfg.host + ":" + std::to_string(port) + ": " +
                      ec.message(),
                  "server.listen");
    }
    port = l->acceptor->local_endpoint().port();
    impl_->listeners.push_back(std::move(l));
  }
  port_ = port;
  return {};
}

void HttpServer::start() {
  for (auto& l : impl_->listeners) {
    asio::co_spawn(*l->context, impl_->acceptLoop(*l), asio::detached);
  }
}

void HttpServer::shutdown() {
  impl_->stopping.store(true);
  for (auto& l : impl_->listeners) {
    Listener* lp = l.get();
    asio::post(*l->context, [lp] {
      boost::system::error_code ec;
      lp->acceptor->close(ec);
      for (beast::tcp_stream* s : lp->idle_streams) {
        s->socket().cancel(ec);
      }
    });
  }
}

std::size_t HttpServer::connections() const {
  std::size_t n = 0;
  for (const auto& l : impl_->listeners) {
    n += l->connections;
  }
  return n;
}

}  // namespace ordergate::gateway::http
