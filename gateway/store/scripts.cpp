#include "gateway/store/scripts.hpp"

namespace ordergate::gateway::store::scripts {

// KEYS: seen:<event id>, ver:<subject>, outbox (one shard, one hash tag)
// ARGV: version_key, dedup ttl s, version ttl s (0 = keep forever), type, packed event
//       (packEvent: every field but type / original_type)
// Returns {"duplicate"} | {"stale", stored version key} | {"accepted", final type, stream id}
const Script& decide() {
  static const Script script(R"lua(
-- Byte-wise "a <= b". Redis calls setlocale(LC_COLLATE, "") at start-up, so Lua's own '<'
-- on strings goes through strcoll() and may disagree with the byte order version keys are
-- built for.
local function lessOrEqual(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a <= #b
end

-- Three calls on the way to "accepted", because each redis.call costs on top of its command:
-- every check is also its write (5 → 3 calls: ≈ 26 → 22 µs Redis CPU per decide,
-- docs/PERFORMANCE.md). Only the first write of a script can be refused for lack of memory
-- (Redis lets a script that has written once finish its writes), and a refused write leaves
-- nothing behind; a later failure takes the writes back before it returns the error, so a
-- retry of the same event is decided afresh and nothing acknowledged is lost.
--
-- 1. Same event id seen recently: the change was already queued (retry, redelivery or second
--    path). Marked from here on, also when it turns out stale: a stale event's redelivery
--    then answers duplicate, which is equally a no-op.
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[2], 'NX') then
  return {'duplicate'}
end
-- 2. The subject's version is swapped in and the one it replaces comes back (SET … GET); an
--    event not newer than that one puts it back: a stale update never regresses the OMS.
--    With a version TTL, a stale event refreshes the key's TTL.
local keep = tonumber(ARGV[3]) > 0
local stored
if keep then
  stored = redis.pcall('SET', KEYS[2], ARGV[1], 'EX', ARGV[3], 'GET')
else
  stored = redis.pcall('SET', KEYS[2], ARGV[1], 'GET')
end
if type(stored) == 'table' and stored.err then
  redis.call('DEL', KEYS[1])
  return stored
end
local function restoreVersion()
  if not stored then
    redis.call('DEL', KEYS[2])
  elseif keep then
    redis.call('SET', KEYS[2], stored, 'KEEPTTL')
  else
    redis.call('SET', KEYS[2], stored)
  end
end
if stored and lessOrEqual(ARGV[1], stored) then
  restoreVersion()
  return {'stale', stored}
end
-- 3. The first event accepted for an order is always order.created (CANONICAL.md), even
--    when the channel's first message was an update or a cancellation; the data carries the
--    status. Tracking events keep their type.
local original = ARGV[4]
local final = original
if not stored and string.sub(original, 1, 6) == 'order.' then
  final = 'order.created'
end
local id = redis.pcall('XADD', KEYS[3], '*', 'type', final, 'original_type', original,
                       'e', ARGV[5])
if type(id) == 'table' and id.err then
  restoreVersion()
  redis.call('DEL', KEYS[1])
  return id
end
return {'accepted', final, id}
)lua");
  return script;
}

// KEYS: lease   ARGV: instance id, ttl ms   Returns 1 if the lease is (now) ours, else 0.
const Script& acquireLease() {
  static const Script script(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  -- Ours already: renew. A compare-and-set, so we never extend someone else's lease.
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
)lua");
  return script;
}

// KEYS: lease   ARGV: instance id   Returns 1 if released, 0 if it was not ours.
const Script& releaseLease() {
  static const Script script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua");
  return script;
}

// KEYS: outbox   ARGV: group, stream id…   Returns the number acknowledged.
const Script& ack() {
  static const Script script(R"lua(
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
-- Delete as well, so the stream holds only unacknowledged entries: XLEN is the backlog and
-- the first entry's age is the lag.
redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
return acked
)lua");
  return script;
}

// KEYS: outbox, dlq index, dlq:<event id>, att:<event id>
// ARGV: group, stream id, event id, dead_at ms, n extra attempts, extra attempt JSON × n,
//       then hash fields as name, value, …
const Script& deadLetter() {
  static const Script script(R"lua(
local attempts = redis.call('LRANGE', KEYS[4], 0, -1)
local n = tonumber(ARGV[5])
for i = 1, n do attempts[#attempts + 1] = ARGV[5 + i] end
-- Attempts are JSON objects already; join them into one JSON array.
local json = '[' .. table.concat(attempts, ',') .. ']'
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[3], 'attempts', json, 'dead_at_ms', ARGV[4], 'stream_id', ARGV[2],
           unpack(ARGV, 6 + n))
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('DEL', KEYS[4])
-- Off the outbox in the same step: the event is never both dead and pending.
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
)lua");
  return script;
}

// KEYS: dlq:<event id>, dlq index, outbox   ARGV: event id
// Returns the new stream id, or nil when there is no such dead letter.
const Script& replayDeadLetter() {
  static const Script script(R"lua(
local flat = redis.call('HGETALL', KEYS[1])
if #flat == 0 then return false end
local h = {}
for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
-- Only the event's own fields go back; reason, attempts and dead_at stay behind. The type is
-- the one forwarded originally (order.created stays order.created).
local names = {'type', 'original_type', 'id', 'source', 'subject', 'channel', 'destination',
               'version', 'version_key', 'time', 'received_at', 'received_at_ms',
               'dataschema', 'data'}
local fields = {}
for _, name in ipairs(names) do
  if h[name] then
    fields[#fields + 1] = name
    fields[#fields + 1] = h[name]
  end
end
fields[#fields + 1] = 'replayed_from'
fields[#fields + 1] = h['stream_id'] or ''
local id = redis.call('XADD', KEYS[3], '*', unpack(fields))
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return id
)lua");
  return script;
}

// KEYS: dlq:<event id>, dlq index   ARGV: event id   Returns 1 if it existed.
const Script& purgeDeadLetter() {
  static const Script script(R"lua(
local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return existed
)lua");
  return script;
}

// KEYS: q:<id>, quarantine index   ARGV: id, score (received_at ms), fields as name, value, …
const Script& putQuarantine() {
  static const Script script(R"lua(
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
)lua");
  return script;
}

// KEYS: q:<id>, quarantine index   ARGV: id   Returns 1 if it existed.
const Script& deleteQuarantine() {
  static const Script script(R"lua(
local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return existed
)lua");
  return script;
}

}  // namespace ordergate::gateway::store::scripts
