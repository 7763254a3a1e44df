#pragma once

#include <hiredis/hiredis.h>

#include "gateway/store/redis_client.hpp"

// How RedisClient has hiredis' reader build RedisReply trees directly (redis_client.cpp only).
namespace ordergate::gateway::store {

/// What the reader hands to a reply callback. hiredis' async code reads type and str of a
/// reply that has no callback (a server error right after connecting), and the handshake
/// replies are inspected as redisReply: so a root starts with a redisReply header, filled for
/// the root only (its str points into reply.str while the root lives).
struct ReplyRoot {
  redisReply head{};
  RedisReply reply;
};

/// Functions for redisReader::fn: strings are copied once, from the read buffer into the
/// RedisReply that the callback then receives by move. hiredis frees roots only.
[[nodiscard]] redisReplyObjectFunctions* replyObjectFunctions();

}  // namespace ordergate::gateway::store
