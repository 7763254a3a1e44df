#include "gateway/store/dead_letters.hpp"

#include <algorithm>
#include <charconv>

#include "gateway/store/paged_fetch.hpp"
#include "gateway/store/scripts.hpp"
#include "gateway/store/strings.hpp"

namespace ordergate::gateway::store {
namespace {

using boost::asio::awaitable;

constexpr std::size_t kMaxScanPerShard = 10000;  // bounds a filtered listing's work

std::int64_t toInt(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

DeadLetter fromHash(int shard, const RedisReply& flat) {
  DeadLetter out;
  out.shard = shard;
  out.event = eventFromFields(flat.elements);
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    const std::string_view name = flat.elements[i].str;
    const std::string& value = flat.elements[i + 1].str;
    if (name == "reason") {
      out.reason = value;
    } else if (name == "dead_at_ms") {
      out.dead_at_ms = toInt(value);
    } else if (name == "attempts") {
      out.attempts_json = value;
    } else if (name == "stream_id") {
      out.stream_id = value;
    }
  }
  return out;
}

/// The shard whose DLQ holds `event_id`, or kNotFound.
awaitable<Result<int>> findShard(RedisClient& client, const Keys& keys,
                                 const std::string& event_id) {
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < keys.shards(); ++shard) {
    commands.push_back(strings("ZSCORE", keys.dlqIndex(shard), event_id));
  }
  auto results = co_await client.execPipeline(std::move(commands));
  for (int shard = 0; shard < keys.shards(); ++shard) {
    auto checked = asResult(std::move(results[static_cast<std::size_t>(shard)]));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
    if (!checked->isNil()) {
      co_return shard;
    }
  }
  co_return fail(ErrorCode::kNotFound, "no dead letter with id " + event_id, "id");
}

}  // namespace

awaitable<Result<void>> deadLetter(RedisClient& client, const Keys& keys, int shard,
                                   std::string stream_id, OutboxEvent event, std::string reason,
                                   std::int64_t dead_at_ms, std::vector<std::string> final_attempts) {
  if (event.id.empty() || stream_id.empty()) {
    co_return fail(ErrorCode::kInvalidInput, "dead letter needs an event id and a stream id");
  }
  auto script_keys = strings(keys.outbox(shard), keys.dlqIndex(shard),
                             keys.dlqEntry(shard, event.id), keys.attempts(shard, event.id));
  auto args = strings(kForwarderGroup, stream_id, event.id, std::to_string(dead_at_ms),
                      std::to_string(final_attempts.size()));
  std::move(final_attempts.begin(), final_attempts.end(), std::back_inserter(args));
  for (auto& field : eventFields(event)) {
    args.push_back(std::move(field));
  }
  args.emplace_back("reason");
  args.push_back(std::move(reason));
  args.emplace_back("shard");
  args.push_back(std::to_string(shard));
  auto reply = asResult(
      co_await scripts::deadLetter().exec(client, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return Result<void>{};
}

awaitable<Result<std::vector<DeadLetter>>> listDeadLetters(RedisClient& client, const Keys& keys,
                                                           DlqFilter filter) {
  const std::string max = filter.until_ms > 0 ? std::to_string(filter.until_ms) : "+inf";
  const std::string min = filter.since_ms > 0 ? std::to_string(filter.since_ms) : "-inf";
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < keys.shards(); ++shard) {
    commands.push_back(strings("ZREVRANGEBYSCORE", keys.dlqIndex(shard), max, min, "WITHSCORES",
                               "LIMIT", "0", std::to_string(kMaxScanPerShard)));
  }
  struct Ref {
    std::int64_t dead_at_ms;
    int shard;
    std::string id;
  };
  std::vector<Ref> refs;
  auto indexes = co_await client.execPipeline(std::move(commands));
  for (int shard = 0; shard < keys.shards(); ++shard) {
    auto checked = asResult(std::move(indexes[static_cast<std::size_t>(shard)]));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
    for (std::size_t i = 0; i + 1 < checked->elements.size(); i += 2) {
      refs.push_back(
          Ref{toInt(checked->elements[i + 1].str), shard, std::move(checked->elements[i].str)});
    }
  }
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    return a.dead_at_ms != b.dead_at_ms ? a.dead_at_ms > b.dead_at_ms : a.id > b.id;
  });

  const bool filtered = !filter.channel.empty() || !filter.type.empty();
  co_return co_await fetchPage<DeadLetter>(
      client, refs.size(), [&](std::size_t i) { return keys.dlqEntry(refs[i].shard, refs[i].id); },
      [&](std::size_t i, const RedisReply& hash) -> std::optional<DeadLetter> {
        DeadLetter letter = fromHash(refs[i].shard, hash);
        if ((!filter.channel.empty() && letter.event.channel != filter.channel) ||
            (!filter.type.empty() && letter.event.type != filter.type)) {
          return std::nullopt;
        }
        return letter;
      },
      filtered, filter.offset, filter.limit);
}

awaitable<Result<DeadLetter>> getDeadLetter(RedisClient& client, const Keys& keys,
                                            std::string event_id) {
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < keys.shards(); ++shard) {
    commands.push_back(strings("HGETALL", keys.dlqEntry(shard, event_id)));
  }
  auto results = co_await client.execPipeline(std::move(commands));
  for (int shard = 0; shard < keys.shards(); ++shard) {
    auto checked = asResult(std::move(results[static_cast<std::size_t>(shard)]));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
    if (!checked->elements.empty()) {
      co_return fromHash(shard, *checked);
    }
  }
  co_return fail(ErrorCode::kNotFound, "no dead letter with id " + event_id, "id");
}

awaitable<Result<std::string>> replayDeadLetter(RedisClient& client, const Keys& keys,
                                                std::string event_id) {
  auto shard = co_await findShard(client, keys, event_id);
  if (!shard) {
    co_return tl::unexpected(shard.error());
  }
  auto reply = asResult(co_await scripts::replayDeadLetter().exec(
      client,
      strings(keys.dlqEntry(*shard, event_id), keys.dlqIndex(*shard), keys.outbox(*shard)),
      strings(event_id)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->isNil()) {
    co_return fail(ErrorCode::kNotFound, "no dead letter with id " + event_id, "id");
  }
  co_return std::move(reply->str);
}

awaitable<Result<void>> purgeDeadLetter(RedisClient& client, const Keys& keys,
                                        std::string event_id) {
  auto shard = co_await findShard(client, keys, event_id);
  if (!shard) {
    co_return tl::unexpected(shard.error());
  }
  auto reply = asResult(co_await scripts::purgeDeadLetter().exec(
      client, strings(keys.dlqEntry(*shard, event_id), keys.dlqIndex(*shard)),
      strings(event_id)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->integer == 0) {
    co_return fail(ErrorCode::kNotFound, "no dead letter with id " + event_id, "id");
  }
  co_return Result<void>{};
}

awaitable<Result<std::int64_t>> deadLetterCount(RedisClient& client, const Keys& keys) {
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < keys.shards(); ++shard) {
    commands.push_back(strings("ZCARD", keys.dlqIndex(shard)));
  }
  std::int64_t total = 0;
  for (auto& result : co_await client.execPipeline(std::move(commands))) {
    auto checked = asResult(std::move(result));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
    total += checked->integer;
  }
  co_return total;
}

}  // namespace ordergate::gateway::store
