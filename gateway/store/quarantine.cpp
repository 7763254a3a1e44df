#include "gateway/store/quarantine.hpp"

#include <charconv>
#include <cstdio>
#include <random>

#include "gateway/store/json_text.hpp"
#include "gateway/store/paged_fetch.hpp"
#include "gateway/store/scripts.hpp"
#include "gateway/store/strings.hpp"

namespace ordergate::gateway::store {
namespace {

using boost::asio::awaitable;

constexpr std::size_t kMaxScan = 10000;

std::int64_t toInt(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string headersJson(const QuarantineEntry& entry) {
  std::vector<JsonFlatObject> objects;
  for (const auto& [name, value] : entry.headers) {
    objects.push_back(JsonFlatObject{{"name", name}, {"value", value}});
  }
  return writeFlatObjectArray(objects);
}

std::string errorsJson(const QuarantineEntry& entry) {
  std::vector<JsonFlatObject> objects;
  for (const auto& error : entry.errors) {
    objects.push_back(JsonFlatObject{{"field", error.field}, {"message", error.message}});
  }
  return writeFlatObjectArray(objects);
}

std::string valueOf(const JsonFlatObject& object, std::string_view name) {
  for (const auto& [key, value] : object) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

QuarantineRecord fromHash(std::string id, const RedisReply& flat) {
  QuarantineRecord out;
  out.id = std::move(id);
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    const std::string_view name = flat.elements[i].str;
    const std::string& value = flat.elements[i + 1].str;
    if (name == "channel") {
      out.entry.channel = value;
    } else if (name == "kind") {
      out.entry.kind = value;
    } else if (name == "received_at_ms") {
      out.entry.received_at_ms = toInt(value);
    } else if (name == "body") {
      out.entry.body = value;
    } else if (name == "headers") {
      for (const auto& object : readFlatObjectArray(value).value_or(std::vector<JsonFlatObject>{})) {
        out.entry.headers.emplace_back(valueOf(object, "name"), valueOf(object, "value"));
      }
    } else if (name == "errors") {
      for (const auto& object : readFlatObjectArray(value).value_or(std::vector<JsonFlatObject>{})) {
        out.entry.errors.push_back(FieldError{valueOf(object, "field"), valueOf(object, "message")});
      }
    }
  }
  return out;
}

}  // namespace

std::string makeQuarantineId(std::int64_t ms) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%013lld-%016llx", static_cast<long long>(ms),
                static_cast<unsigned long long>(random()));
  return buffer;
}

awaitable<Result<std::string>> quarantine(RedisClient& client, const Keys& keys,
                                          QuarantineEntry entry) {
  std::string id = makeQuarantineId(entry.received_at_ms);
  auto args = strings(id, std::to_string(entry.received_at_ms), "channel", entry.channel, "kind",
                      entry.kind, "received_at_ms", std::to_string(entry.received_at_ms),
                      "headers", headersJson(entry), "errors", errorsJson(entry), "body",
                      std::move(entry.body));
  auto reply = asResult(co_await scripts::putQuarantine().exec(
      client, strings(keys.quarantineEntry(id), keys.quarantineIndex()), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return id;
}

awaitable<Result<std::vector<QuarantineRecord>>> listQuarantine(RedisClient& client,
                                                                const Keys& keys,
                                                                QuarantineFilter filter) {
  const std::string max = filter.until_ms > 0 ? std::to_string(filter.until_ms) : "+inf";
  const std::string min = filter.since_ms > 0 ? std::to_string(filter.since_ms) : "-inf";
  auto index = asResult(co_await client.exec("ZREVRANGEBYSCORE", keys.quarantineIndex(), max, min,
                                             "LIMIT", "0", std::to_string(kMaxScan)));
  if (!index) {
    co_return tl::unexpected(index.error());
  }
  const auto& ids = index->elements;
  const bool filtered = !filter.channel.empty() || !filter.kind.empty();
  co_return co_await fetchPage<QuarantineRecord>(
      client, ids.size(), [&](std::size_t i) { return keys.quarantineEntry(ids[i].str); },
      [&](std::size_t i, const RedisReply& hash) -> std::optional<QuarantineRecord> {
        QuarantineRecord record = fromHash(ids[i].str, hash);
        if ((!filter.channel.empty() && record.entry.channel != filter.channel) ||
            (!filter.kind.empty() && record.entry.kind != filter.kind)) {
          return std::nullopt;
        }
        return record;
      },
      filtered, filter.offset, filter.limit);
}

awaitable<Result<QuarantineRecord>> getQuarantine(RedisClient& client, const Keys& keys,
                                                  std::string id) {
  auto reply = asResult(co_await client.exec("HGETALL", keys.quarantineEntry(id)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->elements.empty()) {
    co_return fail(ErrorCode::kNotFound, "no quarantined payload with id " + id, "id");
  }
  co_return fromHash(std::move(id), *reply);
}

awaitable<Result<void>> deleteQuarantine(RedisClient& client, const Keys& keys, std::string id) {
  auto reply = asResult(co_await scripts::deleteQuarantine().exec(
      client, strings(keys.quarantineEntry(id), keys.quarantineIndex()), strings(id)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->integer == 0) {
    co_return fail(ErrorCode::kNotFound, "no quarantined payload with id " + id, "id");
  }
  co_return Result<void>{};
}

awaitable<Result<std::int64_t>> quarantineCount(RedisClient& client, const Keys& keys) {
  auto reply = asResult(co_await client.exec("ZCARD", keys.quarantineIndex()));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer;
}

}  // namespace ordergate::gateway::store
