#pragma once

#include <string>
#include <string_view>

#include "canonical/error.hpp"
#include "canonical/order.hpp"
#include "canonical/tracking.hpp"

namespace ordergate::canonical {

/// Canonical JSON of an order: snake_case keys in a fixed order, absent values omitted, money as
/// integers, times as RFC 3339 UTC. Deterministic: the same Order gives the same bytes.
[[nodiscard]] std::string writeOrderJson(const Order& order);
[[nodiscard]] std::string writeTrackingJson(const TrackingUpdate& update);

/// Appends a JSON string literal (quoted, escaped) of `text` to `out`.
void appendJsonString(std::string& out, std::string_view text);

/// Reads canonical JSON back (round trip of writeOrderJson). Unknown keys are ignored; wrong
/// types, bad enums, bad times are collected, every one with its field path.
[[nodiscard]] tl::expected<Order, FieldErrors> readOrderJson(std::string_view json);
[[nodiscard]] tl::expected<TrackingUpdate, FieldErrors> readTrackingJson(std::string_view json);

}  // namespace ordergate::canonical
