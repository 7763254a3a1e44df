#include "tests/integration/store/test_util.hpp"

#include <cstdlib>

namespace ordergate::gateway::store::test {

testing::RedisServer& sharedServer() {
  static testing::RedisServer* server = [] {
    auto* s = new testing::RedisServer();
    if (!s->start()) {
      std::abort();
    }
    // Stopped at exit so no redis-server outlives the test binary.
    std::atexit([] { sharedServer().stop(); });
    return s;
  }();
  return *server;
}

std::string uniquePrefix() {
  static int counter = 0;
  return "t" + std::to_string(++counter);
}

}  // namespace ordergate::gateway::store::test
