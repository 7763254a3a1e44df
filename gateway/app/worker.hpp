#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

namespace ordergate::gateway::store {
class RedisClient;
}

namespace ordergate::gateway {

/// One I/O thread's private resources. Handlers reach the worker they run on through
/// currentWorker(), so no connection is ever shared between threads.
struct Worker {
  boost::asio::io_context io{1};
  std::unique_ptr<store::RedisClient> redis;
};

/// The worker of the calling I/O thread; nullptr outside I/O threads.
Worker* currentWorker();
void setCurrentWorker(Worker* worker);

}  // namespace ordergate::gateway
