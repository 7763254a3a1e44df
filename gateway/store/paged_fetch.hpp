#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "gateway/store/redis_client.hpp"
#include "gateway/store/strings.hpp"

namespace ordergate::gateway::store {

/// One page of hash records named by an index read before (newest first): `HGETALL` of
/// `key_of(i)` for i in [0, count), pipelined. A record deleted between the two reads is
/// skipped; `decode(i, reply)` returns nullopt for one the caller's filter rejects. Without a
/// filter (`filtered` false) the offset applies to the index directly and exactly `limit`
/// hashes are read; with one, hashes are read in batches until the page is full and the
/// offset counts records that passed. Shared by the dead-letter and quarantine listings.
template <class T, class KeyOf, class Decode>
boost::asio::awaitable<Result<std::vector<T>>> fetchPage(RedisClient& client, std::size_t count,
                                                         KeyOf key_of, Decode decode,
                                                         bool filtered, std::size_t offset,
                                                         std::size_t limit) {
  constexpr std::size_t kFetchBatch = 200;
  std::vector<T> out;
  std::size_t skipped = filtered ? 0 : offset;
  std::size_t next = filtered ? 0 : std::min(offset, count);
  while (next < count && out.size() < limit) {
    const std::size_t end = std::min(count, next + (filtered ? kFetchBatch : limit - out.size()));
    std::vector<std::vector<std::string>> fetch;
    fetch.reserve(end - next);
    for (std::size_t i = next; i < end; ++i) {
      fetch.push_back(strings("HGETALL", key_of(i)));
    }
    auto hashes = co_await client.execPipeline(std::move(fetch));
    for (std::size_t i = next; i < end && out.size() < limit; ++i) {
      auto checked = asResult(std::move(hashes[i - next]));
      if (!checked) {
        co_return tl::unexpected(checked.error());
      }
      if (checked->elements.empty()) {
        continue;  // deleted between the two reads
      }
      std::optional<T> record = decode(i, *checked);
      if (!record) {
        continue;
      }
      if (skipped < offset) {
        ++skipped;
        continue;
      }
      out.push_back(std::move(*record));
    }
    next = end;
  }
  co_return out;
}

}  // namespace ordergate::gateway::store
