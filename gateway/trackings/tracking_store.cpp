#include "gateway/trackings/tracking_store.hpp"

#include <charconv>

#include "gateway/store/strings.hpp"

namespace ordergate::gateway::trackings {

namespace asio = boost::asio;
using store::Script;
using store::strings;

namespace {

// KEYS: due, shipment. ARGV: tracking number, now ms, order key. Returns 1 new, 0 known.
const Script& followScript() {
  static const Script script(R"lua(
local created = redis.call('HSETNX', KEYS[2], 'created_ms', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], 'order_key', ARGV[3])
end
local state = redis.call('HGET', KEYS[2], 'state')
if created == 1 or state == 'stopped' then
  redis.call('HSET', KEYS[2], 'tracking_number', ARGV[1], 'state', 'following', 'attempts', '0',
             'next_ms', ARGV[2])
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return created
)lua");
  return script;
}

// KEYS: due, shipment. ARGV: tracking number. Returns 1 stopped, 0 unknown.
const Script& unfollowScript() {
  static const Script script(R"lua(
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
if redis.call('HGET', KEYS[2], 'state') == 'following' then
  redis.call('HSET', KEYS[2], 'state', 'stopped')
end
return 1
)lua");
  return script;
}

// KEYS: due. ARGV: now ms, lease until ms, count, shipment key prefix.
const Script& claimScript() {
  static const Script script(R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', ARGV[4] .. id, 'state', 'order_key', 'attempts')
  if f[1] ~= 'following' then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(out, id)
    table.insert(out, f[2] or '')
    table.insert(out, f[3] or '0')
  end
end
return out
)lua");
  return script;
}

// KEYS: due, shipment. ARGV: tracking number, next ms ('' = done), attempts, last error,
// status, occurred_at, polled ms.
const Script& recordScript() {
  static const Script script(R"lua(
if redis.call('HGET', KEYS[2], 'state') ~= 'following' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], 'attempts', ARGV[3], 'last_error', ARGV[4], 'last_poll_ms', ARGV[7])
redis.call('HINCRBY', KEYS[2], 'polls', 1)
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[2], 'status', ARGV[5], 'occurred_at', ARGV[6])
end
if ARGV[2] == '' then
  redis.call('HSET', KEYS[2], 'state', 'done')
  redis.call('HDEL', KEYS[2], 'next_ms')
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[2], 'next_ms', ARGV[2])
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
)lua");
  return script;
}

tl::unexpected<Error> unexpectedReply(std::string_view what) {
  return tl::unexpected(Error{ErrorCode::kInternal, "unexpected Redis reply to " + std::string(what), ""});
}

int toInt(std::string_view text) {
  int v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

}  // namespace

TrackingKeys::TrackingKeys(std::string_view prefix, std::string_view carrier) {
  base_.append(prefix).append(":{t:").append(carrier).append("}:");
}

asio::awaitable<Result<bool>> follow(store::RedisClient& redis, const TrackingKeys& keys,
                                     std::string tracking_number, std::string order_key,
                                     std::int64_t now_ms) {
  auto script_keys = strings(keys.due(), keys.shipment(tracking_number));
  auto args = strings(std::move(tracking_number), std::to_string(now_ms), std::move(order_key));
  auto reply = store::asResult(co_await followScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

asio::awaitable<Result<bool>> unfollow(store::RedisClient& redis, const TrackingKeys& keys,
                                       std::string tracking_number) {
  auto script_keys = strings(keys.due(), keys.shipment(tracking_number));
  auto args = strings(std::move(tracking_number));
  auto reply = store::asResult(co_await unfollowScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

asio::awaitable<Result<std::map<std::string, std::string>>> get(store::RedisClient& redis,
                                                                const TrackingKeys& keys,
                                                                std::string tracking_number) {
  auto reply = store::asResult(co_await redis.exec("HGETALL", keys.shipment(tracking_number)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (!reply->isArray() || reply->elements.size() % 2 != 0) {
    co_return unexpectedReply("tracking get");
  }
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < reply->elements.size(); i += 2) {
    out.emplace(reply->elements[i].str, reply->elements[i + 1].str);
  }
  co_return out;
}

asio::awaitable<Result<std::vector<Shipment>>> claim(store::RedisClient& redis,
                                                     const TrackingKeys& keys, std::int64_t now_ms,
                                                     std::int64_t lease_until_ms, int limit) {
  auto script_keys = strings(keys.due());
  auto args = strings(std::to_string(now_ms), std::to_string(lease_until_ms), std::to_string(limit),
                      keys.shipmentPrefix());
  auto reply = store::asResult(co_await claimScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (!reply->isArray() || reply->elements.size() % 3 != 0) {
    co_return unexpectedReply("tracking claim");
  }
  std::vector<Shipment> out;
  for (std::size_t i = 0; i < reply->elements.size(); i += 3) {
    const auto& e = reply->elements;
    out.push_back(Shipment{e[i].str, e[i + 1].str, toInt(e[i + 2].str)});
  }
  co_return out;
}

asio::awaitable<Result<void>> record(store::RedisClient& redis, const TrackingKeys& keys,
                                     std::string tracking_number, const PollRecord& rec) {
  auto script_keys = strings(keys.due(), keys.shipment(tracking_number));
  auto args = strings(std::move(tracking_number),
                      rec.next_ms ? std::to_string(*rec.next_ms) : std::string(),
                      std::to_string(rec.attempts), rec.last_error, rec.status, rec.occurred_at,
                      std::to_string(rec.polled_ms));
  auto reply = store::asResult(co_await recordScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return Result<void>{};
}

asio::awaitable<Result<std::int64_t>> followedCount(store::RedisClient& redis,
                                                    const TrackingKeys& keys) {
  auto reply = store::asResult(co_await redis.exec("ZCARD", keys.due()));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer;
}

}  // namespace ordergate::gateway::trackings
