#include "tests/support/fake_http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace ordergate::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace

std::string FakeRequest::header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? std::string{} : it->second;
}

class FakeHttpServer::Impl {
 public:
  Impl() : acceptor_(io_) {
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) {
      acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      ADD_FAILURE() << "FakeHttpServer: cannot listen on 127.0.0.1: " << ec.message();
      return;
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() { stop(); }

  void stop() {
    std::call_once(stopped_, [this] {
      asio::post(io_, [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        for (tcp::socket* socket : open_sockets_) {
          socket->shutdown(tcp::socket::shutdown_both, ignored);
          socket->close(ignored);
        }
        io_.stop();
      });
      if (thread_.joinable()) {
        thread_.join();
      }
    });
  }

  std::uint16_t port() const { return port_; }

  void setHandler(Handler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::make_shared<const Handler>(std::move(handler));
  }

  std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::size_t requestCount() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

  std::size_t connectionCount() const { return connections_.load(); }

  bool waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
          co_return;
        }
        continue;
      }
      const std::uint64_t id = ++connections_;
      asio::co_spawn(io_, session(std::move(socket), id), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket, std::uint64_t connection_id) {
    open_sockets_.insert(&socket);
    beast::flat_buffer buffer;
    buffer.reserve(16 * 1024);
    for (;;) {
      http::request<http::string_body> request;
      auto [read_ec, read_n] = co_await http::async_read(socket, buffer, request, kNoThrow);
      (void)read_n;
      if (read_ec) {
        break;
      }
      FakeRequest seen;
      seen.method = std::string(request.method_string());
      seen.target = std::string(request.target());
      seen.body = request.body();
      seen.connection_id = connection_id;
      for (const auto& field : request) {
        std::string name = lowercase(field.name_string());
        auto [it, inserted] = seen.headers.emplace(name, std::string(field.value()));
        if (!inserted) {
          it->second += ", ";
          it->second += std::string(field.value());
        }
      }
      std::shared_ptr<const Handler> handler;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(seen);
        handler = handler_;
      }
      changed_.notify_all();

      FakeResponse answer = handler && *handler ? (*handler)(seen) : FakeResponse{200, "ok"};
      if (answer.delay.count() > 0) {
        asio::steady_timer timer(io_, answer.delay);
        auto [timer_ec] = co_await timer.async_wait(kNoThrow);
        (void)timer_ec;
      }
      http::response<http::string_body> response;
      response.version(request.version());
      response.result(static_cast<unsigned>(answer.status));
      response.set(http::field::server, "ordergate-fake");
      for (const auto& [name, value] : answer.headers) {
        response.set(name, value);
      }
      response.body() = std::move(answer.body);
      response.keep_alive(request.keep_alive() && !answer.close_connection);
      response.prepare_payload();
      const bool keep_alive = response.keep_alive();
      auto [write_ec, write_n] = co_await http::async_write(socket, response, kNoThrow);
      (void)write_n;
      if (write_ec || !keep_alive || answer.drop_after_answer) {
        break;
      }
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    open_sockets_.erase(&socket);
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::once_flag stopped_;
  std::uint16_t port_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::set<tcp::socket*> open_sockets_;  // touched on the server thread only

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::shared_ptr<const Handler> handler_;
  std::vector<FakeRequest> requests_;
};

FakeHttpServer::FakeHttpServer() : impl_(std::make_unique<Impl>()) {}
FakeHttpServer::~FakeHttpServer() { impl_->stop(); }

std::uint16_t FakeHttpServer::port() const { return impl_->port(); }

std::string FakeHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path;
}

void FakeHttpServer::setHandler(Handler handler) { impl_->setHandler(std::move(handler)); }
std::vector<FakeRequest> FakeHttpServer::requests() const { return impl_->requests(); }
std::size_t FakeHttpServer::requestCount() const { return impl_->requestCount(); }
std::size_t FakeHttpServer::connectionCount() const { return impl_->connectionCount(); }
bool FakeHttpServer::waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  return impl_->waitForRequests(n, timeout);
}
void FakeHttpServer::stop() { impl_->stop(); }

}  // namespace ordergate::testing
