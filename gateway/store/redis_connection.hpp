#pragma once

#include <hiredis/async.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "gateway/store/redis_client.hpp"

// The plumbing between one hiredis async context and Asio, for RedisClient (redis_client.cpp).
namespace ordergate::gateway::store {

struct RedisConnection;

/// What a connection tells the client that owns it.
class RedisConnectionOwner {
 public:
  /// Connected, handshake (AUTH, SELECT) answered: commands may go.
  virtual void connectionReady(RedisConnection& conn) = 0;
  /// hiredis is about to free the context (conn.ac is already null).
  virtual void connectionGone(RedisConnection& conn) = 0;

 protected:
  ~RedisConnectionOwner() = default;
};

struct RedisPending {
  std::uint64_t seq = 0;
  std::chrono::steady_clock::time_point deadline;
  RedisClient::Callback callback;  ///< empty for the connection handshake (AUTH, SELECT)
};

/// One hiredis context plus the Asio descriptor that watches its fd. Lives until hiredis has
/// cleaned the context up and every operation on the descriptor has completed.
struct RedisConnection : std::enable_shared_from_this<RedisConnection> {
  explicit RedisConnection(boost::asio::io_context& io) : descriptor(io) {}

  RedisConnectionOwner* owner = nullptr;
  redisAsyncContext* ac = nullptr;  ///< null once hiredis cleaned up
  boost::asio::posix::stream_descriptor descriptor;
  bool want_read = false;
  bool want_write = false;
  bool read_armed = false;
  std::vector<char> read_buffer;  ///< replies are read into this, then fed to hiredis
  bool write_armed = false;
  bool flush_posted = false;
  bool ready = false;
  int handshake_left = 0;
  std::chrono::steady_clock::time_point connect_deadline;
  std::string failure;  ///< our own reason for closing, preferred over hiredis' errstr
  std::deque<RedisPending> pending;
};

/// Points `ac`'s event hooks at `conn` (whose descriptor already watches ac's fd) and sets
/// the connect and disconnect callbacks, which arms the first write event that detects the
/// connect: call it before any command is queued.
void hookUp(RedisConnection& conn, redisAsyncContext* ac);

}  // namespace ordergate::gateway::store
