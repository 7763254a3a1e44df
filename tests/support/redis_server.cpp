#include "tests/support/redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

namespace ordergate::testing {
namespace {

using Clock = std::chrono::steady_clock;

int connectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

}  // namespace

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

RedisServer::RedisServer() : RedisServer(Options{}) {}

RedisServer::RedisServer(Options options) : options_(std::move(options)) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "ordergate-redis-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) != nullptr) {
    dir_ = buffer.data();
  }
}

RedisServer::~RedisServer() {
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

bool RedisServer::start(std::chrono::milliseconds timeout) {
  if (pid_ > 0) {
    return true;
  }
  if (port_ == 0) {
    port_ = freeLoopbackPort();
  }
  std::vector<std::string> args = {"redis-server", "--port", std::to_string(port_), "--bind",
                                   "127.0.0.1",    "--save", "",     "--dir", dir_,
                                   "--daemonize",  "no",     "--logfile", dir_ + "/redis.log",
                                   "--enable-debug-command", "local"};
  if (options_.appendonly) {
    args.insert(args.end(), {"--appendonly", "yes", "--appendfsync", "always"});
  } else {
    args.insert(args.end(), {"--appendonly", "no"});
  }
  std::istringstream extra(options_.extra_config);
  for (std::string word; extra >> word;) {
    args.push_back(word);
  }
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    return false;
  }
  if (pid == 0) {
    ::execvp("redis-server", argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  if (!waitForPing(timeout)) {
    kill();
    return false;
  }
  return true;
}

bool RedisServer::waitForPing(std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      return false;  // exited (port taken, bad option, …)
    }
    const std::string reply = rawCommand("PING");
    if (reply.rfind("+PONG", 0) == 0 || reply.rfind("-NOAUTH", 0) == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string RedisServer::rawCommand(const std::string& inline_command) const {
  const int fd = connectLoopback(port_);
  if (fd < 0) {
    return {};
  }
  const std::string line = inline_command + "\r\n";
  std::string reply;
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size())) {
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      reply.assign(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return reply;
}

void RedisServer::waitExit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) {
      pid_ = -1;
      return;
    }
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void RedisServer::stop() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGTERM);
  waitExit(std::chrono::seconds(5));
}

void RedisServer::kill() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGKILL);
  waitExit(std::chrono::seconds(5));
}

bool RedisServer::restart(std::chrono::milliseconds timeout) {
  stop();
  return start(timeout);
}

}  // namespace ordergate::testing
