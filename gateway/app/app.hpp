#pragma once

#include <memory>

#include "adapters/adapter.hpp"
#include "canonical/error.hpp"
#include "gateway/config/config.hpp"

namespace ordergate::gateway {

/// The gateway process: builds every component from the config once, then runs the HTTP
/// server and the forwarder on `server.io_threads` threads until SIGTERM/SIGINT.
class App {
 public:
  /// Validates the config against the adapters (unknown adapter, bad channel settings …).
  /// Errors are kConfig naming the key. Does not touch the network.
  [[nodiscard]] static Result<std::unique_ptr<App>> create(config::Config cfg,
                                                           const adapters::AdapterRegistry& registry);
  ~App();

  /// Serves until a termination signal; returns the process exit status (0 on a clean stop).
  int run();

  struct Impl;

 private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway
