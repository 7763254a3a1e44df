#include "gateway/store/event_store.hpp"

#include <algorithm>
#include <charconv>

#include "gateway/store/scripts.hpp"
#include "gateway/store/strings.hpp"

namespace ordergate::gateway::store {
namespace {

using boost::asio::awaitable;

tl::unexpected<Error> unexpectedReply(std::string_view what, const RedisReply& reply) {
  return fail(ErrorCode::kInternal,
              "redis: unexpected reply to " + std::string(what) + " (type " +
                  std::to_string(static_cast<int>(reply.type)) + ")");
}

/// Parses XREADGROUP / XRANGE style entries: [[id, [f, v, …]], …]. Entries whose fields are
/// nil (deleted while pending) are skipped.
std::vector<OutboxEntry> parseEntries(const RedisReply& list) {
  std::vector<OutboxEntry> out;
  for (const auto& item : list.elements) {
    if (item.elements.size() != 2 || !item.elements[1].isArray()) {
      continue;
    }
    OutboxEntry entry;
    entry.stream_id = item.elements[0].str;
    entry.event = eventFromFields(item.elements[1].elements);
    out.push_back(std::move(entry));
  }
  return out;
}

std::string toMs(std::chrono::milliseconds d) { return std::to_string(d.count()); }

}  // namespace

std::vector<std::string> eventFields(const OutboxEvent& e) {
  std::vector<std::string> out;
  out.reserve(32);
  const auto add = [&out](std::string_view name, std::string_view value) {
    if (!value.empty()) {
      out.emplace_back(name);
      out.emplace_back(value);
    }
  };
  add("type", e.type);
  add("original_type", e.original_type);
  add("id", e.id);
  add("source", e.source);
  add("subject", e.subject);
  add("channel", e.channel);
  add("destination", e.destination);
  add("version", e.version);
  add("version_key", e.version_key);
  add("time", e.time);
  add("received_at", e.received_at);
  add("received_at_ms", std::to_string(e.received_at_ms));
  add("dataschema", e.dataschema);
  add("data", e.data);
  add("replayed_from", e.replayed_from);
  return out;
}

namespace {

// The packed fields, in order. received_at_ms travels as decimal text.
template <class Event, class Visit>
void forEachPackedField(Event& e, Visit&& visit) {
  visit(e.id);
  visit(e.source);
  visit(e.subject);
  visit(e.channel);
  visit(e.destination);
  visit(e.version);
  visit(e.version_key);
  visit(e.time);
  visit(e.received_at);
  visit(e.dataschema);
  visit(e.data);
  visit(e.replayed_from);
}

constexpr std::string_view kPackedV1 = "1;";

}  // namespace

std::string packEvent(const OutboxEvent& e) {
  std::size_t size = kPackedV1.size() + 24;
  forEachPackedField(e, [&size](const std::string& f) { size += f.size() + 8; });
  std::string out;
  out.reserve(size);
  out += kPackedV1;
  const auto put = [&out](std::string_view f) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, f.size());
    (void)ec;
    out.append(digits, end);
    out += ':';
    out += f;
  };
  forEachPackedField(e, [&put](const std::string& f) { put(f); });
  char ms[24];
  const auto [end, ec] = std::to_chars(ms, ms + sizeof ms, e.received_at_ms);
  (void)ec;
  put(std::string_view(ms, static_cast<std::size_t>(end - ms)));
  return out;
}

bool unpackEvent(std::string_view packed, OutboxEvent& event) {
  if (packed.substr(0, kPackedV1.size()) != kPackedV1) {
    return false;
  }
  packed.remove_prefix(kPackedV1.size());
  bool ok = true;
  const auto take = [&packed, &ok](std::string_view& out) {
    std::size_t n = 0;
    const auto [ptr, ec] = std::from_chars(packed.data(), packed.data() + packed.size(), n);
    const std::size_t digits = static_cast<std::size_t>(ptr - packed.data());
    if (ec != std::errc() || digits == 0 || digits >= packed.size() || packed[digits] != ':' ||
        packed.size() - digits - 1 < n) {
      ok = false;
      return;
    }
    out = packed.substr(digits + 1, n);
    packed.remove_prefix(digits + 1 + n);
  };
  std::string_view parts[13];
  for (std::string_view& part : parts) {
    if (ok) {
      take(part);
    }
  }
  std::int64_t ms = 0;
  if (ok) {
    const std::string_view text = parts[12];
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    ok = ec == std::errc() && ptr == text.data() + text.size() && packed.empty();
  }
  if (!ok) {
    return false;
  }
  std::size_t i = 0;
  forEachPackedField(event, [&parts, &i](std::string& f) { f.assign(parts[i++]); });
  event.received_at_ms = ms;
  return true;
}

OutboxEvent eventFromFields(std::span<const RedisReply> flat) {
  OutboxEvent e;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
    const std::string_view name = flat[i].str;
    const std::string& value = flat[i + 1].str;
    if (name == "e") {
      (void)unpackEvent(value, e);
    } else if (name == "type") {
      e.type = value;
    } else if (name == "original_type") {
      e.original_type = value;
    } else if (name == "id") {
      e.id = value;
    } else if (name == "source") {
      e.source = value;
    } else if (name == "subject") {
      e.subject = value;
    } else if (name == "channel") {
      e.channel = value;
    } else if (name == "destination") {
      e.destination = value;
    } else if (name == "version") {
      e.version = value;
    } else if (name == "version_key") {
      e.version_key = value;
    } else if (name == "time") {
      e.time = value;
    } else if (name == "received_at") {
      e.received_at = value;
    } else if (name == "received_at_ms") {
      std::from_chars(value.data(), value.data() + value.size(), e.received_at_ms);
    } else if (name == "dataschema") {
      e.dataschema = value;
    } else if (name == "data") {
      e.data = value;
    } else if (name == "replayed_from") {
      e.replayed_from = value;
    }
  }
  return e;
}

std::int64_t streamIdMs(std::string_view stream_id) {
  std::int64_t ms = 0;
  const auto dash = stream_id.find('-');
  const auto digits = stream_id.substr(0, dash);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  return ec == std::errc() && ptr == digits.data() + digits.size() ? ms : 0;
}

awaitable<Result<DecideResult>> decide(RedisClient& client, const Keys& keys,
                                       const OutboxEvent& event, std::chrono::seconds dedup_ttl,
                                       std::chrono::seconds version_ttl) {
  if (event.id.empty() || event.subject.empty() || event.type.empty() ||
      event.version_key.empty() || dedup_ttl.count() <= 0 || version_ttl.count() < 0) {
    co_return fail(ErrorCode::kInvalidInput,
                   "decide needs id, subject, type, version_key and a positive dedup ttl");
  }
  const int shard = keys.shardOf(event.subject);
  auto script_keys =
      strings(keys.seen(shard, event.id), keys.version(event.subject), keys.outbox(shard));
  auto args = strings(event.version_key, std::to_string(dedup_ttl.count()),
                      std::to_string(version_ttl.count()), event.type, packEvent(event));
  auto reply = asResult(co_await scripts::decide().exec(client, std::move(script_keys),
                                                        std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  const auto& r = *reply;
  if (!r.isArray() || r.elements.empty()) {
    co_return unexpectedReply("decide", r);
  }
  const std::string& verdict = r.elements[0].str;
  if (verdict == "duplicate") {
    co_return DecideResult{Decision::kDuplicate, {}, {}};
  }
  if (verdict == "stale") {
    co_return DecideResult{Decision::kStale, {}, {}};
  }
  if (verdict == "accepted" && r.elements.size() == 3) {
    co_return DecideResult{Decision::kAccepted, r.elements[1].str, r.elements[2].str};
  }
  co_return unexpectedReply("decide", r);
}

awaitable<Result<bool>> deliverySeen(RedisClient& client, const Keys& keys, int shard,
                                     std::string channel, std::string delivery_id) {
  auto reply =
      asResult(co_await client.exec("EXISTS", keys.delivery(shard, channel, delivery_id)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

awaitable<Result<void>> markDelivery(RedisClient& client, const Keys& keys, int shard,
                                     std::string channel, std::string delivery_id,
                                     std::chrono::seconds ttl) {
  if (ttl.count() <= 0) {
    co_return fail(ErrorCode::kInvalidInput, "delivery ttl must be positive");
  }
  auto reply = asResult(co_await client.exec("SET", keys.delivery(shard, channel, delivery_id), "1",
                                             "EX", std::to_string(ttl.count())));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return Result<void>{};
}

awaitable<Result<void>> ensureGroups(RedisClient& client, const Keys& keys) {
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < keys.shards(); ++shard) {
    commands.push_back(
        strings("XGROUP", "CREATE", keys.outbox(shard), kForwarderGroup, "0", "MKSTREAM"));
  }
  for (auto& result : co_await client.execPipeline(std::move(commands))) {
    if (!result) {
      co_return tl::unexpected(result.error());
    }
    if (result->isError() && result->str.rfind("BUSYGROUP", 0) != 0) {
      co_return tl::unexpected(asResult(*result).error());
    }
  }
  co_return Result<void>{};
}

awaitable<Result<bool>> acquireLease(RedisClient& client, const Keys& keys, int shard,
                                     std::string instance, std::chrono::milliseconds ttl) {
  if (instance.empty() || ttl.count() <= 0) {
    co_return fail(ErrorCode::kInvalidInput, "lease needs an instance id and a positive ttl");
  }
  auto reply = asResult(co_await scripts::acquireLease().exec(
      client, strings(keys.lease(shard)),
      strings(std::move(instance), toMs(ttl))));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

awaitable<Result<bool>> releaseLease(RedisClient& client, const Keys& keys, int shard,
                                     std::string instance) {
  auto reply = asResult(co_await scripts::releaseLease().exec(
      client, strings(keys.lease(shard)),
      strings(std::move(instance))));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

awaitable<Result<std::optional<std::string>>> leaseHolder(RedisClient& client, const Keys& keys,
                                                          int shard) {
  auto reply = asResult(co_await client.exec("GET", keys.lease(shard)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->isNil()) {
    co_return std::optional<std::string>{};
  }
  co_return std::optional<std::string>{reply->str};
}

awaitable<Result<std::vector<OutboxEntry>>> readNew(RedisClient& client, const Keys& keys,
                                                    int shard, std::string consumer, int count,
                                                    std::chrono::milliseconds block) {
  const int one[] = {shard};
  auto read = co_await readNew(client, keys, std::span<const int>(one), std::move(consumer),
                               count, block);
  if (!read) {
    co_return tl::unexpected(read.error());
  }
  std::vector<OutboxEntry> out;
  for (auto& from_shard : *read) {
    std::move(from_shard.entries.begin(), from_shard.entries.end(), std::back_inserter(out));
  }
  co_return out;
}

awaitable<Result<std::vector<ShardEntries>>> readNew(RedisClient& client, const Keys& keys,
                                                     std::span<const int> shards,
                                                     std::string consumer, int count,
                                                     std::chrono::milliseconds block) {
  std::vector<ShardEntries> out;
  if (shards.empty()) {
    co_return out;
  }
  auto command = strings("XREADGROUP", "GROUP", kForwarderGroup, std::move(consumer), "COUNT",
                         std::to_string(std::max(1, count)));
  if (block.count() > 0) {
    command.emplace_back("BLOCK");
    command.push_back(toMs(block));
  }
  command.emplace_back("STREAMS");
  const std::size_t first_key = command.size();
  for (int shard : shards) {
    command.push_back(keys.outbox(shard));
  }
  command.insert(command.end(), shards.size(), ">");
  // The reply names streams by key: kept to map them back to shards (the command is moved).
  const std::vector<std::string> stream_keys(command.begin() + static_cast<std::ptrdiff_t>(first_key),
                                             command.begin() + static_cast<std::ptrdiff_t>(first_key + shards.size()));
  auto reply = asResult(co_await client.exec(std::move(command)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->isNil()) {
    co_return out;
  }
  // [[stream key, [entries…]], …] for the streams that had entries
  for (const auto& stream : reply->elements) {
    if (stream.elements.size() != 2) {
      continue;
    }
    const auto key = std::find(stream_keys.begin(), stream_keys.end(), stream.elements[0].str);
    if (key != stream_keys.end()) {
      const int shard = shards[static_cast<std::size_t>(key - stream_keys.begin())];
      out.push_back(ShardEntries{shard, parseEntries(stream.elements[1])});
    }
  }
  co_return out;
}

awaitable<Result<std::vector<OutboxEntry>>> claimPending(RedisClient& client, const Keys& keys,
                                                         int shard, std::string consumer,
                                                         std::chrono::milliseconds min_idle,
                                                         int count) {
  constexpr int kMaxRounds = 16;
  std::vector<OutboxEntry> out;
  std::string cursor = "0-0";
  const std::string key = keys.outbox(shard);
  for (int round = 0; round < kMaxRounds && static_cast<int>(out.size()) < count; ++round) {
    auto reply = asResult(co_await client.exec(
        "XAUTOCLAIM", key, kForwarderGroup, consumer, toMs(min_idle), cursor, "COUNT",
        std::to_string(count - static_cast<int>(out.size()))));
    if (!reply) {
      co_return tl::unexpected(reply.error());
    }
    // [next cursor, [entries…], [deleted ids…]]; deleted ids leave the PEL by themselves.
    if (!reply->isArray() || reply->elements.size() < 2) {
      co_return unexpectedReply("XAUTOCLAIM", *reply);
    }
    auto entries = parseEntries(reply->elements[1]);
    std::move(entries.begin(), entries.end(), std::back_inserter(out));
    cursor = reply->elements[0].str;
    if (cursor == "0-0") {
      break;
    }
  }
  co_return out;
}

awaitable<Result<std::int64_t>> ack(RedisClient& client, const Keys& keys, int shard,
                                    std::vector<std::string> stream_ids) {
  std::vector<ShardIds> batches;
  batches.push_back(ShardIds{shard, std::move(stream_ids)});
  co_return co_await ack(client, keys, std::move(batches));
}

awaitable<Result<std::int64_t>> ack(RedisClient& client, const Keys& keys,
                                    std::vector<ShardIds> batches) {
  constexpr std::size_t kMaxIdsPerCall = 256;  // keeps the script's unpack() well in bounds
  const Script& script = scripts::ack();
  std::vector<std::vector<std::string>> commands;
  for (auto& batch : batches) {
    for (std::size_t from = 0; from < batch.ids.size(); from += kMaxIdsPerCall) {
      const std::size_t to = std::min(batch.ids.size(), from + kMaxIdsPerCall);
      auto command = strings("EVALSHA", script.sha1(), "1", keys.outbox(batch.shard),
                             kForwarderGroup);
      command.insert(command.end(), std::make_move_iterator(batch.ids.begin() + static_cast<std::ptrdiff_t>(from)),
                     std::make_move_iterator(batch.ids.begin() + static_cast<std::ptrdiff_t>(to)));
      commands.push_back(std::move(command));
    }
  }
  std::vector<std::vector<std::string>> pipeline = commands;  // kept for the EVAL fallback
  auto replies = co_await client.execPipeline(std::move(pipeline));
  std::int64_t acked = 0;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    auto& reply = replies[i];
    // A restarted server has lost its script cache: this call once more through exec(), which
    // falls back to EVAL.
    if (reply && reply->isError() && reply->str.starts_with("NOSCRIPT")) {
      std::vector<std::string>& command = commands[i];
      std::vector<std::string> script_keys = strings(std::move(command[3]));
      std::vector<std::string> script_args(std::make_move_iterator(command.begin() + 4),
                                           std::make_move_iterator(command.end()));
      reply = co_await script.exec(client, std::move(script_keys), std::move(script_args));
    }
    auto checked = asResult(std::move(reply));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
    acked += checked->integer;
  }
  co_return acked;
}

awaitable<Result<void>> recordAttempt(RedisClient& client, const Keys& keys, int shard,
                                      std::string event_id, std::string attempt_json,
                                      std::chrono::seconds ttl) {
  const std::string key = keys.attempts(shard, event_id);
  std::vector<std::vector<std::string>> commands;
  commands.push_back(strings("RPUSH", key, std::move(attempt_json)));
  commands.push_back(
      strings("EXPIRE", key, std::to_string(std::max<std::int64_t>(1, ttl.count()))));
  for (auto& result : co_await client.execPipeline(std::move(commands))) {
    auto checked = asResult(std::move(result));
    if (!checked) {
      co_return tl::unexpected(checked.error());
    }
  }
  co_return Result<void>{};
}

awaitable<Result<std::vector<std::string>>> attempts(RedisClient& client, const Keys& keys,
                                                     int shard, std::string event_id) {
  auto reply = asResult(co_await client.exec("LRANGE", keys.attempts(shard, event_id), "0", "-1"));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  std::vector<std::string> out;
  out.reserve(reply->elements.size());
  for (auto& element : reply->elements) {
    out.push_back(std::move(element.str));
  }
  co_return out;
}

awaitable<Result<std::chrono::milliseconds>> outboxLag(RedisClient& client, const Keys& keys,
                                                       int shard, std::int64_t now_ms) {
  auto reply = asResult(co_await client.exec("XRANGE", keys.outbox(shard), "-", "+", "COUNT", "1"));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->elements.empty() || reply->elements[0].elements.empty()) {
    co_return std::chrono::milliseconds(0);
  }
  // The stream id's time, not received_at_ms: a replayed dead letter keeps its original
  // received_at, which would report days of lag for an entry queued a moment ago.
  const std::int64_t appended = streamIdMs(reply->elements[0].elements[0].str);
  co_return std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms - appended));
}

awaitable<Result<std::int64_t>> outboxLength(RedisClient& client, const Keys& keys, int shard) {
  auto reply = asResult(co_await client.exec("XLEN", keys.outbox(shard)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer;
}

}  // namespace ordergate::gateway::store
