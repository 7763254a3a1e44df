#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace ordergate::testing {

/// A real redis-server child process on a free loopback port (127.0.0.1 only), with its own
/// temporary directory. Not thread-safe; one per test (or fixture).
class RedisServer {
 public:
  struct Options {
    bool appendonly = false;  ///< AOF with appendfsync always (durability tests)
    std::string extra_config;  ///< appended to the command line as "--name value …" words
  };

  RedisServer();
  explicit RedisServer(Options options);
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  /// Starts the server and waits (at most `timeout`) until PING answers. False on failure.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// SIGTERM and wait (bounded; SIGKILL after 5 s). Idempotent.
  void stop();
  /// SIGKILL and wait: a crash, no shutdown save.
  void kill();
  /// stop() (or nothing if already down), then start() on the same port and directory.
  bool restart(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }
  [[nodiscard]] const std::string& dir() const { return dir_; }
  /// "redis://127.0.0.1:<port>"
  [[nodiscard]] std::string url() const;

  /// Sends one inline command over a fresh blocking socket and returns the raw RESP reply
  /// (for test set-up and assertions only). Empty string on failure.
  [[nodiscard]] std::string rawCommand(const std::string& inline_command) const;

 private:
  bool waitForPing(std::chrono::milliseconds timeout) const;
  void waitExit(std::chrono::milliseconds timeout);

  Options options_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string dir_;
};

/// A free TCP port on 127.0.0.1 (bind port 0, read it, close).
int freeLoopbackPort();

}  // namespace ordergate::testing
