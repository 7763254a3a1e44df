#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "canonical/error.hpp"

namespace ordergate::gateway::store {

/// Where and how to reach one Redis server.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket_path;  ///< non-empty: a unix socket instead of host and port
  int db = 0;
  std::string username;  ///< empty: AUTH with the password only (or no AUTH at all)
  std::string password;  ///< empty: no AUTH
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{2000};  ///< per command, from submission to reply
};

/// Parses `redis://[[user]:pass@]host[:port][/db]` (IPv6 hosts in brackets) or
/// `unix://[[user]:pass@]/path/to/redis.sock[?db=N]`. Timeouts keep their defaults. Errors: kConfig naming the problem (scheme, port, db, empty host, …).
[[nodiscard]] Result<RedisEndpoint> parseRedisUrl(std::string_view url);

/// An owned copy of one Redis reply. hiredis 0.14 (Debian 12) speaks RESP2 only, so the
/// RESP3 kinds (double, bool, map, set) are never produced today; they exist so callers
/// need no change once the client negotiates RESP3.
struct RedisReply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray, kDouble, kBool, kMap, kSet };

  Type type = Type::kNil;
  std::int64_t integer = 0;          ///< kInteger, kBool (0/1)
  std::string str;                   ///< kString, kStatus, kError, kDouble (text)
  std::vector<RedisReply> elements;  ///< kArray, kSet; kMap as key, value, key, value, …

  [[nodiscard]] bool isNil() const { return type == Type::kNil; }
  [[nodiscard]] bool isError() const { return type == Type::kError; }
  [[nodiscard]] bool isString() const { return type == Type::kString || type == Type::kStatus; }
  [[nodiscard]] bool isArray() const { return type == Type::kArray || type == Type::kSet; }
};

/// Turns an error reply into an Error: kUnavailable for the transient server states
/// (LOADING, BUSY, MASTERDOWN, READONLY, TRYAGAIN, CLUSTERDOWN, OOM), kInternal otherwise.
/// Any other reply passes through unchanged.
[[nodiscard]] Result<RedisReply> asResult(RedisReply reply);

/// Same, for a transport result: transport errors pass through.
[[nodiscard]] Result<RedisReply> asResult(Result<RedisReply> reply);

/// An asynchronous, pipelining hiredis connection driven by one boost::asio::io_context.
///
/// - Commands are written as soon as the socket is writable; any number may be in flight.
/// - Every callback is invoked exactly once, always via post() to the io_context (never from
///   inside command() and never from inside hiredis), in submission order.
/// - Transport failure, disconnect, per-command timeout, or "not connected" → Error
///   {kUnavailable}. A timed-out command fails the whole connection (replies could no longer
///   be matched to commands), so every command in flight fails with it.
/// - Redis error replies are replies (Type::kError), not failures; see asResult().
/// - After a disconnect the client reconnects on its own with backoff (50 ms doubling to
///   2 s); AUTH and SELECT are sent first on every new connection.
/// - Blocking commands (XREADGROUP … BLOCK) stall every command behind them: give them their
///   own client with command_timeout above the block time.
///
/// Thread-safety: none. Use one client per io_context (per I/O thread); call every member on
/// that io_context's thread. Destroying the client fails everything still in flight.
class RedisClient {
 public:
  using Callback = std::function<void(Result<RedisReply>)>;

  /// Starts connecting at once (asynchronously).
  RedisClient(boost::asio::io_context& io, RedisEndpoint endpoint);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Sends one command (binary-safe arguments, copied before returning).
  void command(std::span<const std::string_view> args, Callback callback);

  /// Awaitable form of command(). Arguments are copied before the first suspension.
  /// Note: g++ 12 miscompiles braced lists inside a co_await expression ("array used as
  /// initializer"); inside coroutines prefer the variadic form `co_await c.exec("GET", key)`.
  [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> exec(
      std::initializer_list<std::string_view> args);
  [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> exec(std::vector<std::string> args);
  template <class... Args>
    requires(sizeof...(Args) > 0 && (std::is_convertible_v<const Args&, std::string_view> && ...))
  [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> exec(const Args&... args) {
    std::vector<std::string> owned;
    owned.reserve(sizeof...(Args));
    (owned.emplace_back(std::string_view(args)), ...);
    return exec(std::move(owned));
  }

  /// Sends all commands back to back (one round trip) and returns their results in order.
  [[nodiscard]] boost::asio::awaitable<std::vector<Result<RedisReply>>> execPipeline(
      std::vector<std::vector<std::string>> commands);

  /// True once connected and AUTH/SELECT succeeded, until the connection is lost.
  [[nodiscard]] bool connected() const;

  /// Waits (bounded) until connected(); false on timeout (also after stop()).
  [[nodiscard]] boost::asio::awaitable<bool> waitConnected(std::chrono::milliseconds timeout);

  /// Closes the connection, fails everything in flight with kUnavailable, stops reconnecting
  /// and cancels the client's timers so io_context::run() can return. Idempotent.
  void stop();

  /// Number of commands sent and not answered yet.
  [[nodiscard]] std::size_t pending() const;

  /// Connections established since construction (1 after the first connect).
  [[nodiscard]] std::uint64_t connectCount() const;

  /// Why the last connection attempt or connection failed (empty if none did).
  [[nodiscard]] std::string lastError() const;

  [[nodiscard]] boost::asio::io_context& ioContext() const { return io_; }

  class Impl;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<Impl> impl_;
};

/// A Lua script run by EVALSHA; on NOSCRIPT (fresh or restarted server) it falls back to EVAL,
/// which also caches the script for the next call. Immutable; share freely between threads.
class Script {
 public:
  explicit Script(std::string lua);

  /// Runs the script. The reply is returned as is (error replies included, see asResult()).
  [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> exec(
      RedisClient& client, std::vector<std::string> keys, std::vector<std::string> args) const;

  [[nodiscard]] const std::string& sha1() const { return sha1_; }
  [[nodiscard]] const std::string& lua() const { return lua_; }

 private:
  std::string lua_;
  std::string sha1_;  ///< lowercase hex
};

}  // namespace ordergate::gateway::store
