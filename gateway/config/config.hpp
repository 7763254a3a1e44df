#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/common/settings.hpp"
#include "canonical/error.hpp"

namespace ordergate::gateway::config {

using std::chrono::milliseconds;

/// `server:` — the HTTP listener and its limits.
struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  std::size_t max_webhook_body = 2 * 1024 * 1024;     ///< webhooks and callbacks
  std::size_t max_file_body = 512 * 1024 * 1024;      ///< flat-file uploads
  std::size_t max_admin_body = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  milliseconds read_timeout{10'000};      ///< whole request, header + body
  milliseconds idle_timeout{60'000};      ///< keep-alive connection without a request
  milliseconds shutdown_timeout{10'000};  ///< in-flight requests get this long on SIGTERM
};

/// `redis:`
struct RedisConfig {
  std::string url = "redis://127.0.0.1:6379/0";
  milliseconds connect_timeout{1'000};
  milliseconds command_timeout{2'000};
  std::string key_prefix = "og";
};

/// `oms:` — where canonical events go.
struct OmsConfig {
  std::string orders_url;
  std::string tracking_url;
  std::string signing_secret;  ///< Standard Webhooks secret (whsec_…); empty = unsigned
  milliseconds timeout{5'000};
  int max_connections = 32;
};

/// `pipeline:` — the atomic decision and the outbox.
struct PipelineConfig {
  int outbox_shards = 8;
  std::chrono::seconds dedup_ttl{7 * 24 * 3600};
  /// Deliveries remembered in memory for answering their redeliveries without Redis
  /// (RecentDeliveries); 0 turns that off.
  int recent_deliveries = 65536;
};

/// `retry:` — what happens when the OMS fails.
struct RetryConfig {
  milliseconds initial{1'000};
  milliseconds cap{600'000};
  milliseconds max_age{24 * 3600 * 1000LL};
};

/// `forwarder:` — delivery to the OMS.
struct ForwarderConfig {
  bool enabled = true;
  /// Forwarder threads ("lanes"): each owns a share of the outbox shards through the same
  /// leases instances use. One thread cannot follow two I/O threads at full ingest rate.
  int threads = 2;
  int max_in_flight = 256;          ///< concurrent OMS requests per lane
  milliseconds claim_idle{30'000};  ///< pending entries of a dead consumer are reclaimed after this
  milliseconds lease_ttl{10'000};   ///< shard ownership lease
  int breaker_failures = 5;
  milliseconds breaker_open{1'000};
  milliseconds breaker_max_open{30'000};
};

/// `admin:`
struct AdminConfig {
  std::string token;  ///< bearer token for /v1/admin; empty disables the admin API
};

/// `log:`
struct LogConfig {
  std::string level = "info";
};

/// One entry under `channels:` or `carriers:`.
struct EndpointConfig {
  std::string id;
  std::string adapter;  ///< built-in adapter name, or empty when `mapping` is set
  std::string mapping;  ///< path of a mapping file (config-defined channel)
  adapters::Settings settings{"", {}};  ///< the whole block, for the adapter's factory
};

struct Config {
  std::string source_path;
  ServerConfig server;
  RedisConfig redis;
  OmsConfig oms;
  AdminConfig admin;
  LogConfig log;
  PipelineConfig pipeline;
  RetryConfig retry;
  ForwarderConfig forwarder;
  std::vector<EndpointConfig> channels;
  std::vector<EndpointConfig> carriers;
};

/// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnv();

/// Loads and validates a YAML config file. Errors are kConfig with `field` = "<file>: <key path>"
/// and a message saying what is wrong (unknown key, wrong type, missing env var, bad value).
[[nodiscard]] Result<Config> loadConfig(const std::string& path, const EnvLookup& env = processEnv());
/// Same from text (tests); `name` is used in error messages in place of the file path.
[[nodiscard]] Result<Config> parseConfig(const std::string& yaml_text, const std::string& name,
                                         const EnvLookup& env = processEnv());

/// Replaces `${NAME}` and `${NAME:-default}` with environment values. Error names the variable.
[[nodiscard]] Result<std::string> interpolateEnv(std::string_view text, const EnvLookup& env);

/// "250ms", "10s", "5m", "2h", "7d" or a bare number of milliseconds.
[[nodiscard]] Result<milliseconds> parseDuration(std::string_view text);
/// "512", "64KiB", "2MiB", "1GiB" (also KB/MB/GB as powers of 1000).
[[nodiscard]] Result<std::size_t> parseSize(std::string_view text);

}  // namespace ordergate::gateway::config
