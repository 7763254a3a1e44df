#include "gateway/store/keys.hpp"

#include <algorithm>

namespace ordergate::gateway::store {

std::uint64_t fnv1a64(std::string_view data) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string_view hashTagOf(std::string_view key) {
  const std::size_t open = key.find('{');
  if (open == std::string_view::npos) {
    return key;
  }
  const std::size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) {
    return key;
  }
  return key.substr(open + 1, close - open - 1);
}

Keys::Keys(std::string prefix, int shards) : prefix_(std::move(prefix)), shards_(std::max(1, shards)) {
  std::erase_if(prefix_, [](char c) { return c == '{' || c == '}'; });
}

Result<Keys> Keys::create(std::string prefix, int shards) {
  if (prefix.find_first_of("{}") != std::string::npos) {
    return fail(ErrorCode::kConfig, "must not contain '{' or '}'", "redis.key_prefix");
  }
  if (shards < 1 || shards > 1024) {
    return fail(ErrorCode::kConfig, "must be in 1..1024, got " + std::to_string(shards),
                "redis.outbox_shards");
  }
  return Keys(std::move(prefix), shards);
}

int Keys::shardOf(std::string_view subject) const {
  return static_cast<int>(fnv1a64(subject) % static_cast<std::uint64_t>(shards_));
}

std::string Keys::tag(int shard) const { return "{s" + std::to_string(shard) + "}"; }

std::string Keys::shardKey(int shard, std::string_view suffix) const {
  std::string key;
  key.reserve(prefix_.size() + suffix.size() + 12);
  key.append(prefix_).append(":{s").append(std::to_string(shard)).append("}:").append(suffix);
  return key;
}

std::string Keys::outbox(int shard) const { return shardKey(shard, "outbox"); }

std::string Keys::version(std::string_view subject) const {
  return shardKey(shardOf(subject), std::string("ver:").append(subject));
}

std::string Keys::seen(int shard, std::string_view event_id) const {
  return shardKey(shard, std::string("seen:").append(event_id));
}

std::string Keys::lease(int shard) const { return shardKey(shard, "lease"); }

std::string Keys::dlqIndex(int shard) const { return shardKey(shard, "dlq"); }

std::string Keys::dlqEntry(int shard, std::string_view event_id) const {
  return shardKey(shard, std::string("dlq:").append(event_id));
}

std::string Keys::attempts(int shard, std::string_view event_id) const {
  return shardKey(shard, std::string("att:").append(event_id));
}

std::string Keys::quarantineIndex() const { return prefix_ + ":{q}:quarantine"; }

std::string Keys::quarantineEntry(std::string_view id) const {
  return prefix_ + ":{q}:q:" + std::string(id);
}

std::string Keys::delivery(int shard, std::string_view channel,
                           std::string_view delivery_id) const {
  std::string suffix = "dlv:";
  suffix += channel;
  suffix += ':';
  suffix += delivery_id;
  return shardKey(shard, suffix);
}

}  // namespace ordergate::gateway::store
