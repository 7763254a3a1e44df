#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "canonical/error.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/redis_client.hpp"

// Quarantine: payloads that verified but could not be normalised (ARCHITECTURE.md step 3),
// kept with their raw bytes, headers and every error until fixed and replayed or deleted.
// One hash tag ({q}) for all of it. Coroutines on the client's io_context; errors as in
// event_store.hpp, plus kNotFound for an unknown id.
namespace ordergate::gateway::store {

struct QuarantineEntry {
  std::string channel;              ///< configured channel or carrier id
  std::string kind;                 ///< "channel" | "carrier"
  std::int64_t received_at_ms = 0;  ///< epoch ms
  std::string body;                 ///< raw bytes, binary-safe
  std::vector<std::pair<std::string, std::string>> headers;  ///< name, value as received
  FieldErrors errors;

  friend bool operator==(const QuarantineEntry&, const QuarantineEntry&) = default;
};

struct QuarantineRecord {
  std::string id;
  QuarantineEntry entry;
};

struct QuarantineFilter {
  std::string channel;        ///< empty: any
  std::string kind;           ///< empty: any
  std::int64_t since_ms = 0;  ///< received_at >= since (0: no bound)
  std::int64_t until_ms = 0;  ///< received_at <= until (0: no bound)
  std::size_t offset = 0;
  std::size_t limit = 100;
};

/// A new, time-ordered, unique quarantine id: 13-digit zero-padded `ms` + "-" + 16 random hex.
[[nodiscard]] std::string makeQuarantineId(std::int64_t ms);

/// Stores one payload (headers and errors as JSON text) and returns its id.
[[nodiscard]] boost::asio::awaitable<Result<std::string>> quarantine(RedisClient& client,
                                                                     const Keys& keys,
                                                                     QuarantineEntry entry);

/// Entries matching `filter`, newest first, then offset/limit.
[[nodiscard]] boost::asio::awaitable<Result<std::vector<QuarantineRecord>>> listQuarantine(
    RedisClient& client, const Keys& keys, QuarantineFilter filter);

/// One entry; kNotFound if there is none.
[[nodiscard]] boost::asio::awaitable<Result<QuarantineRecord>> getQuarantine(RedisClient& client,
                                                                             const Keys& keys,
                                                                             std::string id);

/// Deletes one entry; kNotFound if there is none.
[[nodiscard]] boost::asio::awaitable<Result<void>> deleteQuarantine(RedisClient& client,
                                                                    const Keys& keys,
                                                                    std::string id);

/// Entries in quarantine.
[[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> quarantineCount(RedisClient& client,
                                                                           const Keys& keys);

}  // namespace ordergate::gateway::store
