#pragma once

// The carrier abstraction: callbacks come in through the mapping engine (adapters/mapping,
// `kind: carrier`); polling is described by the carrier block's `poll:` (carriers/poll.hpp)
// and run by gateway/trackings/.
#include "carriers/poll.hpp"
