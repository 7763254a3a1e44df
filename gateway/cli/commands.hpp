#pragma once

#include <string>
#include <vector>

namespace ordergate::gateway {

/// `ordergate ingest --config FILE --channel ID FILE...`: the files through the same pipeline as
/// an upload; prints one JSON summary per file on stdout. Exit 0 when every order was stored
/// and none quarantined, 1 otherwise (quarantined orders, file errors, Redis unreachable),
/// 2 for a bad config or channel.
int runIngest(const std::string& config_path, const std::string& channel,
              const std::vector<std::string>& files);

struct AdminQuery {
  std::string verb;  ///< list | show | replay | purge
  std::string id;
  bool all = false;
  std::string channel;
  std::string type;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

/// `ordergate dlq …` and `ordergate quarantine …` against the configured Redis, printing JSON.
/// Exit 0 on success, 1 when the entry is not found or Redis is unreachable, 2 for bad input.
int runDlq(const std::string& config_path, const AdminQuery& query);
int runQuarantine(const std::string& config_path, const AdminQuery& query);

}  // namespace ordergate::gateway
