#pragma once

#include <memory>

#include "canonical/error.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::metrics {
class Registry;
}
namespace ordergate::gateway::pipeline {
class FileIngest;
}

namespace ordergate::gateway::ingress {

/// Drop directories (`channels.<id>.inbox: {dir, poll}`): a watcher on its own thread, with its
/// own io_context and Redis connection, polls `<dir>/inbox/` of every such channel. A file is
/// taken once its size and mtime did not change across two polls; names starting with `.` or
/// ending in `.part` / `.tmp` are never taken (upload as `.part`, then rename). Each file goes
/// through FileIngest and is moved with `<name>.summary.json` beside it to `<dir>/done/` (every
/// order stored, quarantined ones included) or `<dir>/failed/` (file-level error). When Redis is
/// unavailable (before or part-way) the file stays in `inbox/` and is read again later; orders
/// already stored come back as duplicates.
class InboxService {
 public:
  /// nullptr when no channel has an `inbox` block. Errors kConfig naming
  /// "<config>: channels.<id>.inbox.<key>" (dir missing, not a directory, not writable, no flat
  /// file adapter, bad poll). Creates `inbox/`, `done/` and `failed/` under `dir` (a relative
  /// `dir` is relative to the config file's directory).
  [[nodiscard]] static Result<std::unique_ptr<InboxService>> create(const config::Config& cfg,
                                                                    pipeline::FileIngest& files,
                                                                    store::RedisEndpoint redis,
                                                                    metrics::Registry& metrics);
  ~InboxService();
  InboxService(const InboxService&) = delete;
  InboxService& operator=(const InboxService&) = delete;

  /// Starts the watcher thread. Idempotent.
  void start();
  /// Stops it; a file being ingested stays in `inbox/` and is read again after the next start.
  void stop();

  struct Impl;

 private:
  explicit InboxService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::gateway::ingress
