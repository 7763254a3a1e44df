#include "gateway/store/redis_client.hpp"
#include "gateway/store/redis_connection.hpp"
#include "gateway/store/redis_reply_reader.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace ordergate::gateway::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMinBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{2000};

Error unavailable(std::string why) { return Error{ErrorCode::kUnavailable, "redis: " + why, {}}; }

using Connection = RedisConnection;
using Pending = RedisPending;

}  // namespace

class RedisClient::Impl : public std::enable_shared_from_this<Impl>, public RedisConnectionOwner {
 public:
  Impl(boost::asio::io_context& io, RedisEndpoint endpoint)
      : io_(io),
        endpoint_(std::move(endpoint)),
        tick_timer_(io),
        reconnect_timer_(io),
        resolver_(io),
        tick_interval_(std::clamp(endpoint_.command_timeout / 10, std::chrono::milliseconds(5),
                                  std::chrono::milliseconds(100))) {}

  void start() {
    connect();
    armTick();
  }

  void command(std::span<const std::string_view> args, Callback callback) {
    if (stopped_) {
      deliver(std::move(callback), tl::unexpected(unavailable("client stopped")));
      return;
    }
    if (!conn_ || conn_->ac == nullptr) {
      deliver(std::move(callback),
              tl::unexpected(unavailable("not connected" +
                                         (last_error_.empty() ? "" : " (" + last_error_ + ")"))));
      return;
    }
    if (!send(*conn_, args, std::move(callback))) {
      deliver(std::move(callback), tl::unexpected(unavailable("connection is closing")));
    }
  }

  void stop() {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    tick_timer_.cancel();
    reconnect_timer_.cancel();
    resolver_.cancel();
    if (auto conn = conn_) {
      close(conn, "client stopped");
    }
    conn_.reset();
  }

  [[nodiscard]] bool connected() const { return conn_ && conn_->ac != nullptr && conn_->ready; }
  [[nodiscard]] bool stopped() const { return stopped_; }
  [[nodiscard]] std::size_t pending() const { return conn_ ? conn_->pending.size() : 0; }
  [[nodiscard]] std::uint64_t connectCount() const { return connects_; }
  [[nodiscard]] const std::string& lastError() const { return last_error_; }

 private:
  static void onReply(redisAsyncContext* ac, void* raw, void* privdata) {
    auto* conn = static_cast<Connection*>(ac->ev.data);
    if (conn == nullptr || conn->owner == nullptr) {
      return;
    }
    const auto seq = reinterpret_cast<std::uintptr_t>(privdata);
    auto it = conn->pending.begin();
    if (it == conn->pending.end() || it->seq != seq) {
      it = std::find_if(conn->pending.begin(), conn->pending.end(),
                        [seq](const Pending& p) { return p.seq == seq; });
      if (it == conn->pending.end()) {
        return;  // already failed (timeout or stop)
      }
    }
    Pending entry = std::move(*it);
    conn->pending.erase(it);
    auto* root = static_cast<ReplyRoot*>(raw);
    Impl& self = static_cast<Impl&>(*conn->owner);
    if (!entry.callback) {
      self.onHandshakeReply(*conn, ac, root != nullptr ? &root->head : nullptr);
      return;
    }
    if (root == nullptr) {
      self.deliver(std::move(entry.callback), tl::unexpected(unavailable(reason(*conn, ac))));
      return;
    }
    self.deliver(std::move(entry.callback), std::move(root->reply));
  }

  static std::string reason(const Connection& conn, const redisAsyncContext* ac) {
    if (!conn.failure.empty()) {
      return conn.failure;
    }
    if (ac != nullptr && ac->err != 0 && ac->errstr != nullptr) {
      return ac->errstr;
    }
    return "connection lost";
  }

  static void appendRespHeader(std::string& out, char kind, std::size_t n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    (void)ec;
    out += kind;
    out.append(digits, end);
    out += "\r\n";
  }

  static std::string describe(const RedisEndpoint& e) {
    return e.socket_path.empty() ? e.host + ":" + std::to_string(e.port) : e.socket_path;
  }

  // --- connection life cycle -----------------------------------------------------------------
  void connect() {
    if (stopped_) {
      return;
    }
    if (!endpoint_.socket_path.empty()) {
      attach(redisAsyncConnectUnix(endpoint_.socket_path.c_str()));
      return;
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(endpoint_.host, ec);
    if (!ec) {
      connectTo(address.to_string());
      return;
    }
    // hiredis resolves names with a blocking getaddrinfo(); resolve here instead so the I/O
    // thread never blocks on DNS.
    resolver_.async_resolve(
        endpoint_.host, std::to_string(endpoint_.port),
        [weak = weak_from_this()](boost::system::error_code rec,
                                  boost::asio::ip::tcp::resolver::results_type results) {
          auto self = weak.lock();
          if (!self || self->stopped_) {
            return;
          }
          if (rec || results.empty()) {
            self->last_error_ = "cannot resolve " + self->endpoint_.host + ": " + rec.message();
            self->scheduleReconnect();
            return;
          }
          self->connectTo(results.begin()->endpoint().address().to_string());
        });
  }

  void connectTo(const std::string& ip) { attach(redisAsyncConnect(ip.c_str(), endpoint_.port)); }

  /// Takes a context hiredis has started connecting and hooks it to the io_context.
  void attach(redisAsyncContext* ac) {
    if (ac == nullptr) {
      last_error_ = "out of memory";
      scheduleReconnect();
      return;
    }
    if (ac->err != 0) {
      last_error_ = ac->errstr;
      redisAsyncFree(ac);
      scheduleReconnect();
      return;
    }
    ac->c.reader->fn = replyObjectFunctions();
    auto conn = std::make_shared<Connection>(io_);
    boost::system::error_code ec;
    conn->descriptor.assign(ac->c.fd, ec);
    if (ec) {
      last_error_ = "cannot watch socket: " + ec.message();
      redisAsyncFree(ac);
      scheduleReconnect();
      return;
    }
    conn->owner = this;
    conn->connect_deadline = Clock::now() + endpoint_.connect_timeout;
    conn_ = conn;
    hookUp(*conn, ac);

    // Queued before any user command, so on the wire AUTH and SELECT always come first.
    if (!endpoint_.password.empty()) {
      if (endpoint_.username.empty()) {
        const std::string_view args[] = {"AUTH", endpoint_.password};
        sendHandshake(*conn, args);
      } else {
        const std::string_view args[] = {"AUTH", endpoint_.username, endpoint_.password};
        sendHandshake(*conn, args);
      }
    }
    if (endpoint_.db != 0) {
      const std::string db = std::to_string(endpoint_.db);
      const std::string_view args[] = {"SELECT", db};
      sendHandshake(*conn, args);
    }
  }

  void sendHandshake(Connection& conn, std::span<const std::string_view> args) {
    if (send(conn, args, Callback{})) {
      ++conn.handshake_left;
    }
  }

  void onHandshakeReply(Connection& conn, redisAsyncContext* ac, redisReply* reply) {
    if (reply == nullptr) {
      return;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      conn.failure = "handshake failed: " + std::string(reply->str, reply->len);
      last_error_ = conn.failure;
      // Inside a hiredis callback the free is deferred until the callback returns; commands
      // queued behind the handshake then fail with this reason.
      redisAsyncFree(ac);
      return;
    }
    if (--conn.handshake_left == 0 && (ac->c.flags & REDIS_CONNECTED) != 0) {
      markReady(conn);
    }
  }

  void connectionReady(Connection& conn) override { markReady(conn); }
  void connectionGone(Connection& conn) override { onGone(conn); }

  void markReady(Connection& conn) {
    if (conn.ready) {
      return;
    }
    conn.ready = true;
    ++connects_;
    backoff_ = kMinBackoff;
  }

  bool send(Connection& conn, std::span<const std::string_view> args, Callback callback) {
    // The command is written in RESP here, into a buffer kept between calls: hiredis' own
    // formatter (redisAsyncCommandArgv) builds it with a printf-style sdscatfmt per argument
    // and a fresh allocation, ≈ 20k instructions for one decide call.
    std::string& resp = resp_;
    resp.clear();
    std::size_t size = 16;
    for (const auto& a : args) {
      size += a.size() + 24;
    }
    resp.reserve(size);
    appendRespHeader(resp, '*', args.size());
    for (const auto& a : args) {
      appendRespHeader(resp, '$', a.size());
      resp.append(a);
      resp += "\r\n";
    }
    const std::uint64_t seq = next_seq_++;
    const int rc = redisAsyncFormattedCommand(conn.ac, &Impl::onReply, reinterpret_cast<void*>(seq),
                                              resp.data(), resp.size());
    if (resp.capacity() > (1u << 20)) {
      std::string().swap(resp);  // a rare huge command does not pin its buffer
    }
    if (rc != REDIS_OK) {
      return false;
    }
    conn.pending.push_back(
        Pending{seq, Clock::now() + endpoint_.command_timeout, std::move(callback)});
    return true;
  }

  /// Fails everything in flight with `why` and frees the context (which reconnects unless
  /// stopped). Not for use inside hiredis callbacks.
  void close(const std::shared_ptr<Connection>& conn, const std::string& why) {
    conn->failure = why;
    last_error_ = why;
    auto pending = std::move(conn->pending);
    conn->pending.clear();
    for (auto& entry : pending) {
      if (entry.callback) {
        deliver(std::move(entry.callback), tl::unexpected(unavailable(why)));
      }
    }
    if (conn->ac != nullptr) {
      redisAsyncFree(conn->ac);  // → cleanup hook → connectionGone() → onGone()
    }
  }

  void onGone(Connection& conn) {
    // Normally hiredis already answered every callback with a null reply; anything left was
    // never handed to hiredis' queue.
    auto pending = std::move(conn.pending);
    conn.pending.clear();
    for (auto& entry : pending) {
      if (entry.callback) {
        deliver(std::move(entry.callback), tl::unexpected(unavailable(reason(conn, nullptr))));
      }
    }
    if (!conn.failure.empty()) {
      last_error_ = conn.failure;
    } else if (!conn.ready) {
      last_error_ = "cannot connect to " + describe(endpoint_);
    } else {
      last_error_ = "connection lost";
    }
    if (conn_.get() == &conn) {
      // We may be deep inside this connection's own handler; keep it alive until that unwinds.
      boost::asio::post(io_, [retired = std::move(conn_)] {});
    }
    if (!stopped_) {
      scheduleReconnect();
    }
  }

  void scheduleReconnect() {
    if (stopped_) {
      return;
    }
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    reconnect_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (!ec && self && !self->stopped_ && !self->conn_) {
        self->connect();
      }
    });
  }

  void armTick() {
    tick_timer_.expires_after(tick_interval_);
    tick_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopped_) {
        return;
      }
      self->tick();
      self->armTick();
    });
  }

  void tick() {
    auto conn = conn_;
    if (!conn || conn->ac == nullptr) {
      return;
    }
    const auto now = Clock::now();
    if (!conn->ready && now >= conn->connect_deadline) {
      close(conn, "connect timed out after " + std::to_string(endpoint_.connect_timeout.count()) +
                      " ms");
    } else if (!conn->pending.empty() && now >= conn->pending.front().deadline) {
      // Replies are matched to commands by order only, so one lost reply poisons the
      // connection: fail everything and start over.
      close(conn, "command timed out after " + std::to_string(endpoint_.command_timeout.count()) +
                      " ms");
    }
  }

  void deliver(Callback callback, Result<RedisReply> result) {
    boost::asio::post(io_, [callback = std::move(callback), result = std::move(result)]() mutable {
      callback(std::move(result));
    });
  }

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::ip::tcp::resolver resolver_;
  std::chrono::milliseconds tick_interval_;
  std::chrono::milliseconds backoff_ = kMinBackoff;
  std::shared_ptr<Connection> conn_;
  std::uint64_t next_seq_ = 1;
  std::string resp_;  ///< send()'s RESP buffer, reused
  std::uint64_t connects_ = 0;
  bool stopped_ = false;
  std::string last_error_;
};

RedisClient::RedisClient(boost::asio::io_context& io, RedisEndpoint endpoint)
    : io_(io), impl_(std::make_shared<Impl>(io, std::move(endpoint))) {
  impl_->start();
}

RedisClient::~RedisClient() { impl_->stop(); }

void RedisClient::command(std::span<const std::string_view> args, Callback callback) {
  impl_->command(args, std::move(callback));
}

bool RedisClient::connected() const { return impl_->connected(); }
void RedisClient::stop() { impl_->stop(); }
std::size_t RedisClient::pending() const { return impl_->pending(); }
std::uint64_t RedisClient::connectCount() const { return impl_->connectCount(); }
std::string RedisClient::lastError() const { return impl_->lastError(); }

}  // namespace ordergate::gateway::store
