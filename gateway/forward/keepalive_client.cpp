#include "gateway/forward/keepalive_client.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <map>
#include <unordered_set>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "adapters/common/headers.hpp"

namespace ordergate::gateway::forward {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Answers are read whole and cut to the request's excerpt size: an OMS answer is small, and a
// limit keeps a misbehaving server from growing the process without bound.
constexpr std::uint64_t kMaxAnswerBody = 64ull << 20;
constexpr std::uint32_t kMaxAnswerHeader = 64u << 10;
// Reused connections found closed by the server, per request, before giving up.
constexpr int kMaxStaleRetries = 3;


bool isClosedByPeer(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

}  // namespace

std::optional<PlainHttpUrl> parsePlainHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!adapters::startsWithNoCase(url, kScheme)) {
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const std::size_t end_of_authority = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, end_of_authority);
  std::string_view rest = end_of_authority == std::string_view::npos ? std::string_view() : url.substr(end_of_authority);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  PlainHttpUrl out;
  std::string_view host;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
    }
  }
  if (host.empty()) {
    return std::nullopt;
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
  }
  out.host = std::string(host);
  out.port = port.empty() ? "80" : std::string(port);
  out.host_header = std::string(authority);
  out.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  return out;
}

struct Connection {
  explicit Connection(asio::io_context& io) : socket(io) { buffer.reserve(16 * 1024); }
  tcp::socket socket;
  beast::flat_buffer buffer;
  bool reused = false;
};

struct Pool;

struct Exchange {
  explicit Exchange(asio::io_context& io) : timer(io) {}
  HttpRequest request;
  PlainHttpUrl url;
  std::function<void(HttpResponse)> done;
  HttpResponse response;
  Clock::time_point started;
  Clock::time_point deadline;
  asio::steady_timer timer;
  Pool* pool = nullptr;
  std::unique_ptr<Connection> conn;
  std::string head;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
  bool waiting = false;  ///< in its pool's queue, no connection yet
  bool timed_out = false;
  bool finished = false;
  int stale_retries = 0;
};
using ExchangePtr = std::shared_ptr<Exchange>;

struct Pool {
  std::string host;
  std::string port;
  std::optional<tcp::resolver::results_type> endpoints;  ///< cached until a connect fails
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;  ///< connections resolving, connecting, busy or idle
  std::deque<ExchangePtr> waiting;
};

struct KeepAliveClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, const HttpClientConfig& c) : io(context), config(c), resolver(context) {}

  asio::io_context& io;
  HttpClientConfig config;
  tcp::resolver resolver;
  std::map<std::string, std::unique_ptr<Pool>, std::less<>> pools;
  std::unordered_set<ExchangePtr> active;
  bool stopped = false;

  bool mayOpen(const Pool& p) const {
    return config.max_host_connections <= 0 ||
           p.open < static_cast<std::size_t>(config.max_host_connections);
  }

  Pool& poolFor(const PlainHttpUrl& url) {
    std::string key = url.host;
    key += ' ';
    key += url.port;
    auto it = pools.find(key);
    if (it == pools.end()) {
      auto pool = std::make_unique<Pool>();
      pool->host = url.host;
      pool->port = url.port;
      it = pools.emplace(std::move(key), std::move(pool)).first;
    }
    return *it->second;
  }

  void send(HttpRequest request, PlainHttpUrl url, std::function<void(HttpResponse)> done) {
    auto ex = std::make_shared<Exchange>(io);
    ex->started = Clock::now();
    ex->done = std::move(done);
    if (stopped) {
      ex->response.error = "cancelled";
      asio::post(io, [ex] { ex->done(std::move(ex->response)); });
      return;
    }
    ex->request = std::move(request);
    ex->url = std::move(url);
    ex->pool = &poolFor(ex->url);
    ex->deadline = ex->started + ex->request.timeout;
    active.insert(ex);
    expireAt(ex, ex->deadline);
    acquire(ex);
  }

  /// (Re)arms the exchange's one timer: onTimeout() at `at`. Re-arming cancels the old wait.
  void expireAt(const ExchangePtr& ex, Clock::time_point at) {
    ex->timer.expires_at(at);
    ex->timer.async_wait([self = shared_from_this(), ex](const boost::system::error_code& ec) {
      if (!ec) {
        self->onTimeout(ex);
      }
    });
  }

  void acquire(const ExchangePtr& ex) {
    Pool& p = *ex->pool;
    if (!p.idle.empty()) {
      ex->conn = std::move(p.idle.back());
      p.idle.pop_back();
      ex->conn->reused = true;
      write(ex);
      return;
    }
    if (mayOpen(p)) {
      ++p.open;
      connect(ex);
      return;
    }
    ex->waiting = true;
    p.waiting.push_back(ex);
  }

  void connect(const ExchangePtr& ex) {
    ex->conn = std::make_unique<Connection>(io);
    // The connect limit is shorter than the request's; the request deadline comes back after.
    const auto connect_deadline = Clock::now() + config.connect_timeout;
    if (connect_deadline < ex->deadline) {
      expireAt(ex, connect_deadline);
    }
    Pool& p = *ex->pool;
    if (p.endpoints) {
      startConnect(ex);
      return;
    }
    resolver.async_resolve(p.host, p.port,
                           [self = shared_from_this(), ex](const boost::system::error_code& ec,
                                                           tcp::resolver::results_type results) {
                             if (ex->finished || self->stopped || ex->timed_out) {
                               self->fail(ex, "cancelled");
                               return;
                             }
                             if (ec) {
                               self->fail(ex, "resolve " + ex->pool->host + ": " + ec.message());
                               return;
                             }
                             ex->pool->endpoints = std::move(results);
                             self->startConnect(ex);
                           });
  }

  void startConnect(const ExchangePtr& ex) {
    asio::async_connect(
        ex->conn->socket, *ex->pool->endpoints,
        [self = shared_from_this(), ex](const boost::system::error_code& ec, const tcp::endpoint&) {
          if (ec) {
            ex->pool->endpoints.reset();  // resolve again next time: the address may have moved
            self->fail(ex, "connect: " + ec.message());
            return;
          }
          if (self->stopped || ex->timed_out) {
            self->fail(ex, "cancelled");
            return;
          }
          boost::system::error_code ignored;
          ex->conn->socket.set_option(tcp::no_delay(true), ignored);
          if (ex->timer.expiry() < ex->deadline) {
            self->expireAt(ex, ex->deadline);
          }
          self->write(ex);
        });
  }

  void write(const ExchangePtr& ex) {
    const HttpRequest& r = ex->request;
    const bool has_body = r.method != "GET";
    std::string& head = ex->head;
    head.clear();
    head.reserve(256 + r.headers.size() * 64);
    head += r.method;
    head += ' ';
    head += ex->url.target;
    head += " HTTP/1.1\r\nHost: ";
    head += ex->url.host_header;
    head += "\r\n";
    for (const auto& [name, value] : r.headers) {
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    }
    if (has_body) {
      head += "Content-Length: ";
      head += std::to_string(r.body.size());
      head += "\r\n";
    }
    head += "\r\n";
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head),
                                              has_body ? asio::buffer(r.body) : asio::const_buffer()};
    asio::async_write(ex->conn->socket, buffers,
                      [self = shared_from_this(), ex](const boost::system::error_code& ec, std::size_t) {
                        if (ec) {
                          self->onIoError(ex, "send", ec);
                          return;
                        }
                        self->read(ex);
                      });
  }

  void read(const ExchangePtr& ex) {
    ex->parser.emplace();
    ex->parser->body_limit(kMaxAnswerBody);
    ex->parser->header_limit(kMaxAnswerHeader);
    if (ex->request.method == "HEAD") {
      ex->parser->skip(true);
    }
    bhttp::async_read(ex->conn->socket, ex->conn->buffer, *ex->parser,
                      [self = shared_from_this(), ex](const boost::system::error_code& ec, std::size_t) {
                        if (ec) {
                          self->onIoError(ex, "receive", ec);
                          return;
                        }
                        self->onAnswer(ex);
                      });
  }

  void onAnswer(const ExchangePtr& ex) {
    if (stopped || ex->timed_out) {
      fail(ex, "cancelled");
      return;
    }
    auto& msg = ex->parser->get();
    HttpResponse& out = ex->response;
    out.status = static_cast<int>(msg.result_int());
    std::string& body = msg.body();
    if (body.size() > ex->request.max_response_body) {
      body.resize(ex->request.max_response_body);
    }
    out.body_excerpt = std::move(body);
    if (auto it = msg.find(bhttp::field::retry_after); it != msg.end()) {
      out.retry_after = std::string(it->value());
    }
    if (auto it = msg.find(bhttp::field::content_type); it != msg.end()) {
      out.content_type = std::string(it->value());
    }
    const bool keep = msg.keep_alive();
    ex->parser.reset();
    std::unique_ptr<Connection> conn = std::move(ex->conn);
    Pool& pool = *ex->pool;
    // Hand the connection on before completing: the completion may send the next request.
    if (keep) {
      release(pool, std::move(conn));
    } else {
      close(pool, std::move(conn));
    }
    finish(ex);
  }

  void onIoError(const ExchangePtr& ex, std::string_view what, const boost::system::error_code& ec) {
    const bool nothing_received =
        ex->conn->buffer.size() == 0 && (!ex->parser || !ex->parser->got_some());
    if (!stopped && !ex->timed_out && ex->conn->reused && nothing_received && isClosedByPeer(ec) &&
        ex->stale_retries < kMaxStaleRetries) {
      // The server closed this idle keep-alive connection: try again on another one.
      ++ex->stale_retries;
      close(*ex->pool, std::move(ex->conn));
      ex->parser.reset();
      acquire(ex);
      return;
    }
    fail(ex, std::string(what) + ": " + ec.message());
  }

  void onTimeout(const ExchangePtr& ex) {
    if (ex->finished) {
      return;
    }
    ex->timed_out = true;
    if (ex->waiting) {
      auto& q = ex->pool->waiting;
      q.erase(std::remove(q.begin(), q.end(), ex), q.end());
      ex->waiting = false;
      fail(ex, "");
      return;
    }
    // Cancels the operation in progress; its handler completes the request. A resolve in
    // progress is not cancelled here (it finishes promptly) and sees timed_out.
    if (ex->conn) {
      boost::system::error_code ignored;
      ex->conn->socket.close(ignored);
    }
  }

  void fail(const ExchangePtr& ex, std::string error) {
    if (ex->finished) {
      return;
    }
    HttpResponse& out = ex->response;
    out.status = 0;
    out.timed_out = ex->timed_out && !stopped;
    if (stopped) {
      out.error = "cancelled";
    } else if (ex->timed_out) {
      out.error = "timed out after " + std::to_string(ex->request.timeout.count()) + " ms";
    } else {
      out.error = std::move(error);
    }
    if (ex->conn) {
      close(*ex->pool, std::move(ex->conn));
    }
    finish(ex);
  }

  void release(Pool& p, std::unique_ptr<Connection> conn) {
    if (stopped) {
      close(p, std::move(conn));
      return;
    }
    conn->reused = true;
    if (!p.waiting.empty()) {
      ExchangePtr next = std::move(p.waiting.front());
      p.waiting.pop_front();
      next->waiting = false;
      next->conn = std::move(conn);
      write(next);
      return;
    }
    const std::size_t max_idle =
        config.max_idle_connections > 0 ? static_cast<std::size_t>(config.max_idle_connections) : 64;
    if (p.idle.size() >= max_idle) {
      close(p, std::move(conn));
      return;
    }
    p.idle.push_back(std::move(conn));
  }

  // A connection leaves the pool; a request waiting for a free slot may open a new one.
  void close(Pool& p, std::unique_ptr<Connection> conn) {
    boost::system::error_code ignored;
    conn->socket.close(ignored);
    --p.open;
    while (!stopped && !p.waiting.empty() && mayOpen(p)) {
      ExchangePtr next = std::move(p.waiting.front());
      p.waiting.pop_front();
      next->waiting = false;
      ++p.open;
      connect(next);
    }
  }

  void finish(const ExchangePtr& ex) {
    if (ex->finished) {
      return;
    }
    ex->finished = true;
    ex->timer.cancel();
    active.erase(ex);
    ex->response.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ex->started);
    auto done = std::move(ex->done);
    done(std::move(ex->response));
  }

  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    for (auto& [key, pool] : pools) {
      for (auto& conn : pool->idle) {
        boost::system::error_code ignored;
        conn->socket.close(ignored);
        --pool->open;
      }
      pool->idle.clear();
    }
    // Waiting requests complete now; the others when their cancelled operation returns.
    std::vector<ExchangePtr> snapshot(active.begin(), active.end());
    for (const ExchangePtr& ex : snapshot) {
      if (ex->waiting) {
        ex->waiting = false;
        auto& q = ex->pool->waiting;
        q.erase(std::remove(q.begin(), q.end(), ex), q.end());
        asio::post(io, [self = shared_from_this(), ex] { self->fail(ex, "cancelled"); });
      } else if (ex->conn) {
        boost::system::error_code ignored;
        ex->conn->socket.close(ignored);
      }
    }
    resolver.cancel();
  }
};

KeepAliveClient::KeepAliveClient(asio::io_context& io, const HttpClientConfig& config)
    : impl_(std::make_shared<Impl>(io, config)) {}

KeepAliveClient::~KeepAliveClient() { impl_->stop(); }

void KeepAliveClient::send(HttpRequest request, PlainHttpUrl url,
                           std::function<void(HttpResponse)> done) {
  impl_->send(std::move(request), std::move(url), std::move(done));
}

void KeepAliveClient::stop() { impl_->stop(); }

std::size_t KeepAliveClient::inFlight() const { return impl_->active.size(); }

}  // namespace ordergate::gateway::forward
