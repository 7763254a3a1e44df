#include "gateway/pulls/pull_store.hpp"

#include <charconv>

#include "gateway/store/strings.hpp"

namespace ordergate::gateway::pulls {

namespace asio = boost::asio;
using store::RedisReply;
using store::Script;
using store::strings;

namespace {

// KEYS: seen, job, due. ARGV: ttl s, payload, job key, now ms, received ms.
// Returns 0 duplicate, 1 queued, 2 coalesced into a pending job.
const Script& enqueueScript() {
  static const Script script(R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[2], 'payload', ARGV[2], 'received_ms', ARGV[5])
redis.call('HSETNX', KEYS[2], 'first_ms', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'gen', 1)
if redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[3]) == 1 then
  return 1
end
return 2
)lua");
  return script;
}

// KEYS: due. ARGV: now ms, lease until ms, count, job key prefix.
// Returns key, payload, received_ms, gen, attempts, first_ms, … per claimed job.
const Script& claimScript() {
  static const Script script(R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', ARGV[4] .. id, 'payload', 'received_ms', 'gen', 'attempts', 'first_ms')
  if not f[1] then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(out, id)
    table.insert(out, f[1])
    table.insert(out, f[2] or '0')
    table.insert(out, f[3] or '0')
    table.insert(out, f[4] or '0')
    table.insert(out, f[5] or '0')
  end
end
return out
)lua");
  return script;
}

// KEYS: due, job. ARGV: job key, claimed gen, now ms. Returns 1 deleted, 2 due again.
const Script& completeScript() {
  static const Script script(R"lua(
local gen = redis.call('HGET', KEYS[2], 'gen')
if (not gen) or gen == ARGV[2] then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
redis.call('HSET', KEYS[2], 'attempts', '0')
redis.call('HDEL', KEYS[2], 'last_error')
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 2
)lua");
  return script;
}

// KEYS: due, job. ARGV: job key, due ms, attempts, last error.
const Script& rescheduleScript() {
  static const Script script(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], 'attempts', ARGV[3], 'last_error', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
)lua");
  return script;
}

// KEYS: due, job, dlq, dlq entry. ARGV: job key, dead ms, code, message, attempts.
const Script& deadLetterScript() {
  static const Script script(R"lua(
local f = redis.call('HMGET', KEYS[2], 'payload', 'received_ms')
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[4], 'key', ARGV[1], 'payload', f[1] or '', 'received_ms', f[2] or '0',
           'code', ARGV[3], 'message', ARGV[4], 'attempts', ARGV[5], 'dead_ms', ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
)lua");
  return script;
}

// KEYS: due, job, dlq, dlq entry. ARGV: job key, now ms. Returns 0 when there is no dead job.
const Script& replayScript() {
  static const Script script(R"lua(
local f = redis.call('HMGET', KEYS[4], 'payload', 'received_ms')
if not f[1] then
  return 0
end
redis.call('HSET', KEYS[2], 'payload', f[1], 'received_ms', f[2] or ARGV[2], 'attempts', '0',
           'first_ms', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'gen', 1)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('DEL', KEYS[4])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
)lua");
  return script;
}

std::int64_t toInt(std::string_view text) {
  std::int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

tl::unexpected<Error> unexpectedReply(std::string_view what) {
  return tl::unexpected(Error{ErrorCode::kInternal, "unexpected Redis reply to " + std::string(what), ""});
}

}  // namespace

PullKeys::PullKeys(std::string_view prefix, std::string_view channel) {
  base_.append(prefix).append(":{p:").append(channel).append("}:");
}

asio::awaitable<Result<EnqueueResult>> enqueue(store::RedisClient& redis, const PullKeys& keys,
                                               std::string identity, std::string key,
                                               std::string payload, std::int64_t received_ms,
                                               std::int64_t now_ms, std::chrono::seconds dedup_ttl) {
  auto script_keys = strings(keys.seen(identity), keys.job(key), keys.due());
  auto args = strings(std::to_string(dedup_ttl.count()), std::move(payload), key,
                      std::to_string(now_ms), std::to_string(received_ms));
  auto reply = store::asResult(co_await enqueueScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->type != RedisReply::Type::kInteger) {
    co_return unexpectedReply("pull enqueue");
  }
  switch (reply->integer) {
    case 0: co_return EnqueueResult::kDuplicate;
    case 1: co_return EnqueueResult::kQueued;
    default: co_return EnqueueResult::kCoalesced;
  }
}

asio::awaitable<Result<std::vector<Job>>> claim(store::RedisClient& redis, const PullKeys& keys,
                                                std::int64_t now_ms, std::int64_t lease_until_ms,
                                                int count) {
  auto script_keys = strings(keys.due());
  auto args = strings(std::to_string(now_ms), std::to_string(lease_until_ms), std::to_string(count),
                      keys.jobPrefix());
  auto reply = store::asResult(co_await claimScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (!reply->isArray() || reply->elements.size() % 6 != 0) {
    co_return unexpectedReply("pull claim");
  }
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < reply->elements.size(); i += 6) {
    const auto& e = reply->elements;
    Job job;
    job.key = e[i].str;
    job.payload = e[i + 1].str;
    job.received_ms = toInt(e[i + 2].str);
    job.gen = e[i + 3].str;
    job.attempts = static_cast<int>(toInt(e[i + 4].str));
    job.first_ms = toInt(e[i + 5].str);
    jobs.push_back(std::move(job));
  }
  co_return jobs;
}

asio::awaitable<Result<bool>> complete(store::RedisClient& redis, const PullKeys& keys,
                                       std::string key, std::string gen, std::int64_t now_ms) {
  auto script_keys = strings(keys.due(), keys.job(key));
  auto args = strings(std::move(key), std::move(gen), std::to_string(now_ms));
  auto reply = store::asResult(co_await completeScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer == 1;
}

asio::awaitable<Result<void>> reschedule(store::RedisClient& redis, const PullKeys& keys,
                                         std::string key, std::int64_t due_ms, int attempts,
                                         std::string last_error) {
  auto script_keys = strings(keys.due(), keys.job(key));
  auto args = strings(std::move(key), std::to_string(due_ms), std::to_string(attempts),
                      std::move(last_error));
  auto reply = store::asResult(co_await rescheduleScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return Result<void>{};
}

asio::awaitable<Result<void>> deadLetter(store::RedisClient& redis, const PullKeys& keys,
                                         std::string key, std::string code, std::string message,
                                         int attempts, std::int64_t dead_ms) {
  auto script_keys = strings(keys.due(), keys.job(key), keys.dlq(), keys.dlqEntry(key));
  auto args = strings(std::move(key), std::to_string(dead_ms), std::move(code), std::move(message),
                      std::to_string(attempts));
  auto reply = store::asResult(co_await deadLetterScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return Result<void>{};
}

asio::awaitable<Result<std::vector<DeadJob>>> listDead(store::RedisClient& redis,
                                                       const PullKeys& keys, int limit) {
  auto ids = store::asResult(co_await redis.exec("ZREVRANGE", keys.dlq(), "0", std::to_string(limit - 1)));
  if (!ids) {
    co_return tl::unexpected(ids.error());
  }
  std::vector<DeadJob> out;
  for (const RedisReply& id : ids->elements) {
    auto fields = store::asResult(co_await redis.exec("HGETALL", keys.dlqEntry(id.str)));
    if (!fields) {
      co_return tl::unexpected(fields.error());
    }
    DeadJob d;
    d.key = id.str;
    const auto& f = fields->elements;
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      const std::string& name = f[i].str;
      const std::string& value = f[i + 1].str;
      if (name == "code") {
        d.code = value;
      } else if (name == "message") {
        d.message = value;
      } else if (name == "payload") {
        d.payload = value;
      } else if (name == "attempts") {
        d.attempts = static_cast<int>(toInt(value));
      } else if (name == "dead_ms") {
        d.dead_ms = toInt(value);
      } else if (name == "received_ms") {
        d.received_ms = toInt(value);
      }
    }
    out.push_back(std::move(d));
  }
  co_return out;
}

asio::awaitable<Result<void>> replayDead(store::RedisClient& redis, const PullKeys& keys,
                                         std::string key, std::int64_t now_ms) {
  auto script_keys = strings(keys.due(), keys.job(key), keys.dlq(), keys.dlqEntry(key));
  auto args = strings(key, std::to_string(now_ms));
  auto reply = store::asResult(co_await replayScript().exec(redis, std::move(script_keys), std::move(args)));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  if (reply->integer == 0) {
    co_return tl::unexpected(Error{ErrorCode::kNotFound, "no dead fetch job \"" + key + "\"", ""});
  }
  co_return Result<void>{};
}

asio::awaitable<Result<std::int64_t>> pendingCount(store::RedisClient& redis, const PullKeys& keys) {
  auto reply = store::asResult(co_await redis.exec("ZCARD", keys.due()));
  if (!reply) {
    co_return tl::unexpected(reply.error());
  }
  co_return reply->integer;
}

}  // namespace ordergate::gateway::pulls
