#include "gateway/store/redis_connection.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>

// Exported by every hiredis release, declared in async.h only from 1.0 on (Debian 12 ships
// 0.14): runs the callbacks of the replies the reader holds.
extern "C" void redisProcessCallbacks(redisAsyncContext* ac);

namespace ordergate::gateway::store {
namespace {

// Several outbox entries of a few KiB each per read.
constexpr std::size_t kReadBufferSize = 64 * 1024;

void armRead(RedisConnection& conn);
void postFlush(RedisConnection& conn);
void armWrite(RedisConnection& conn);

// --- hiredis event hooks (ev.data is the connection) -------------------------------------------
void addRead(void* data) {
  auto* conn = static_cast<RedisConnection*>(data);
  conn->want_read = true;
  armRead(*conn);
}
void delRead(void* data) { static_cast<RedisConnection*>(data)->want_read = false; }
void addWrite(void* data) {
  auto* conn = static_cast<RedisConnection*>(data);
  conn->want_write = true;
  if (conn->ready) {
    postFlush(*conn);
  } else {
    armWrite(*conn);  // connecting: writability is how the connect completes
  }
}
void delWrite(void* data) { static_cast<RedisConnection*>(data)->want_write = false; }

// Called by hiredis right before it frees the context and closes the fd: the fd belongs to
// hiredis, so the descriptor only forgets it (release), never closes it.
void cleanup(void* data) {
  auto* conn = static_cast<RedisConnection*>(data);
  conn->ac = nullptr;
  conn->want_read = false;
  conn->want_write = false;
  boost::system::error_code ignored;
  conn->descriptor.cancel(ignored);
  conn->descriptor.release();
  if (conn->owner != nullptr) {
    conn->owner->connectionGone(*conn);
  }
  conn->owner = nullptr;
}

// Replies are read by Asio into the connection's buffer and fed to hiredis' reader, rather
// than waiting for readability and letting hiredis read: Asio re-arms a readiness wait with
// an epoll_ctl(MOD) every time, while a read that found the socket drained waits for the
// next edge without one. A failed or empty read goes to hiredis' own handler, which reads
// again, sees the error or EOF itself and disconnects the way it always does.
void armRead(RedisConnection& conn) {
  if (conn.read_armed || conn.ac == nullptr) {
    return;
  }
  conn.read_armed = true;
  if (conn.read_buffer.empty()) {
    conn.read_buffer.resize(kReadBufferSize);
  }
  conn.descriptor.async_read_some(
      boost::asio::buffer(conn.read_buffer),
      [self = conn.shared_from_this()](boost::system::error_code ec, std::size_t n) {
        self->read_armed = false;
        redisAsyncContext* ac = self->ac;
        if (ac == nullptr || ec == boost::asio::error::operation_aborted) {
          return;
        }
        if (ec || n == 0) {
          redisAsyncHandleRead(ac);
        } else if (redisReaderFeed(ac->c.reader, self->read_buffer.data(), n) != REDIS_OK ||
                   (ac->c.flags & REDIS_CONNECTED) == 0) {
          // The reader is in error (hiredis reports it and disconnects), or the connect is
          // not yet seen through (hiredis completes it): its own handler deals with both and
          // then runs the callbacks of what was fed.
          redisAsyncHandleRead(ac);
        } else {
          redisProcessCallbacks(ac);
        }
        if (self->ac != nullptr && self->want_read) {
          armRead(*self);
        }
      });
}

// A connected socket almost always has room, so commands are written from a handler posted
// behind the current one rather than after an epoll write wait: every command issued while
// this handler runs goes out in one write(), and no wait is armed. Arming one costs an
// epoll_ctl(MOD) per wait (Asio re-arms EPOLLOUT for a non-speculative wait), which was
// 0.7 system calls per webhook. Only a full socket waits for writability.
void postFlush(RedisConnection& conn) {
  if (conn.flush_posted || conn.write_armed || conn.ac == nullptr) {
    return;
  }
  conn.flush_posted = true;
  boost::asio::post(conn.descriptor.get_executor(), [self = conn.shared_from_this()] {
    self->flush_posted = false;
    if (self->ac == nullptr || !self->want_write || self->write_armed) {
      return;
    }
    redisAsyncHandleWrite(self->ac);
    if (self->ac != nullptr && self->want_write) {
      armWrite(*self);
    }
  });
}

void armWrite(RedisConnection& conn) {
  if (conn.write_armed || conn.ac == nullptr) {
    return;
  }
  conn.write_armed = true;
  conn.descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                             [self = conn.shared_from_this()](boost::system::error_code ec) {
                               self->write_armed = false;
                               if (ec || self->ac == nullptr || !self->want_write) {
                                 return;
                               }
                               redisAsyncHandleWrite(self->ac);
                               if (self->ac != nullptr && self->want_write) {
                                 armWrite(*self);
                               }
                             });
}

void onConnect(const redisAsyncContext* ac, int status) {
  auto* conn = static_cast<RedisConnection*>(ac->ev.data);
  if (status != REDIS_OK || conn == nullptr || conn->owner == nullptr) {
    return;  // hiredis frees the context next; cleanup() reports it
  }
  if (conn->handshake_left == 0) {
    conn->owner->connectionReady(*conn);
  }
}

void onDisconnect(const redisAsyncContext*, int) {}

}  // namespace

void hookUp(RedisConnection& conn, redisAsyncContext* ac) {
  conn.ac = ac;
  ac->ev.data = &conn;
  ac->ev.addRead = &addRead;
  ac->ev.delRead = &delRead;
  ac->ev.addWrite = &addWrite;
  ac->ev.delWrite = &delWrite;
  ac->ev.cleanup = &cleanup;
  redisAsyncSetDisconnectCallback(ac, &onDisconnect);
  // Must come after the hooks: it arms the first write event, which detects the connect.
  redisAsyncSetConnectCallback(ac, &onConnect);
}

}  // namespace ordergate::gateway::store
