#pragma once

#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::store::scripts {

/// The store's Lua scripts (EVALSHA with EVAL fallback). Each touches only keys passed in
/// KEYS, all of one hash tag (one hash slot each). Argument layouts are
/// documented beside each script in scripts.cpp; call them only through event_store.hpp,
/// dead_letters.hpp and quarantine.hpp. Immutable, shared by all threads.
const Script& decide();
const Script& acquireLease();
const Script& releaseLease();
const Script& ack();
const Script& deadLetter();
const Script& replayDeadLetter();
const Script& purgeDeadLetter();
const Script& putQuarantine();
const Script& deleteQuarantine();

}  // namespace ordergate::gateway::store::scripts
