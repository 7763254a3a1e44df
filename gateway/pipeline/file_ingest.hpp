#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "adapters/file_adapter.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/message.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/store/keys.hpp"

namespace ordergate::gateway::store {
class RedisClient;
}

namespace ordergate::gateway::pipeline {

/// What happened to one order of a file.
struct FileOrderOutcome {
  std::string order_id;
  std::string lines;   ///< "12,57"
  std::string status;  ///< accepted | duplicate | stale | quarantined | unavailable
  std::string event_id;
  std::string type;
  std::string quarantine_id;
  std::vector<adapters::FileProblem> problems;
};

struct FileIngestResult {
  adapters::FileSummary summary;
  std::vector<FileOrderOutcome> orders;
  std::map<std::string, std::size_t> counts;  ///< status → orders
  bool storage_failed = false;                ///< Redis went away part-way (some orders not stored)
  [[nodiscard]] std::string toJson(std::string_view file_name) const;
};

/// Flat files through the same pipeline as pushes: every order of the file is decided
/// atomically (accepted / duplicate / stale) or quarantined whole with its rows and problems.
/// Used by POST /v1/channels/{id}/files, `ordergate ingest` and quarantine replay of file orders.
class FileIngest {
 public:
  FileIngest(const config::Config& cfg,
             std::map<std::string, adapters::FileAdapterPtr, std::less<>> adapters,
             store::Keys keys, metrics::Registry& metrics);

  [[nodiscard]] const adapters::FileAdapter* adapter(std::string_view channel) const;

  /// Reads `source` order by order and stores each. Never throws; Redis failures are reported
  /// per order ("unavailable") and in storage_failed.
  boost::asio::awaitable<FileIngestResult> ingest(store::RedisClient& redis,
                                                  const adapters::FileAdapter& adapter,
                                                  std::unique_ptr<adapters::ByteSource> source,
                                                  adapters::FileContext ctx);

  /// POST /v1/channels/{id}/files.
  boost::asio::awaitable<http::Response> upload(http::Request& req);

 private:
  const config::Config& cfg_;
  std::map<std::string, adapters::FileAdapterPtr, std::less<>> adapters_;
  std::map<std::string, std::string, std::less<>> upload_tokens_;
  store::Keys keys_;
  metrics::Family<metrics::Counter>& orders_;
};

}  // namespace ordergate::gateway::pipeline
