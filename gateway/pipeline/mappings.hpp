#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/adapter.hpp"
#include "gateway/config/config.hpp"
#include "gateway/metrics/metrics.hpp"

namespace ordergate::gateway::pipeline {

class Ingest;

/// Where a `mapping:` path points: as written when it exists from the working directory,
/// else relative to the config file's folder.
[[nodiscard]] std::string resolveMappingPath(const std::string& mapping, const std::string& config_path);

/// Loads, compiles and builds the adapter of one config-defined channel or carrier.
/// Errors kConfig naming the config key, the mapping file, line and rule.
[[nodiscard]] Result<adapters::ChannelAdapterPtr> loadMappingAdapter(const config::EndpointConfig& ep,
                                                                     const std::string& path,
                                                                     std::string_view kind);

/// The config-defined channels and carriers of a running gateway, and their hot reload: on
/// SIGHUP (reloadAll) and when a mapping file changes (a watcher thread polls mtimes every
/// second) the file is compiled again; a good plan replaces the old one (requests in flight
/// finish on the one they started with), a broken one is logged, counted and shown in
/// /readyz while the old plan keeps serving. A broken file never takes the gateway down.
class MappingSet {
 public:
  struct Entry {
    std::string kind;  ///< "channel" | "carrier"
    config::EndpointConfig endpoint;
    std::string path;
    std::filesystem::file_time_type mtime{};
    std::string error;  ///< last reload error, "" when the plan in force is the file's
  };

  MappingSet(std::vector<Entry> entries, metrics::Registry& metrics);
  ~MappingSet();

  /// Recompiles every mapping (SIGHUP) or only changed files.
  void reloadAll(Ingest& ingest);
  void reloadChanged(Ingest& ingest);
  void startWatching(Ingest& ingest);
  void stop();
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> readinessDetails() const;
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  void reloadOne(Ingest& ingest, Entry& e);

  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  metrics::Family<metrics::Counter>& reloads_;
  metrics::Family<metrics::Gauge>& failing_;
  std::thread watcher_;
  std::atomic<bool> stopping_{false};
};

}  // namespace ordergate::gateway::pipeline
