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

/// Appends a JSON string literal (quoted, escaped) of `text` to `out`. Control characters are
/// escaped, UTF-8 passes through, bytes that are not valid UTF-8 become U+FFFD.
void appendJsonString(std::string& out, std::string_view text);

/// Reads canonical JSON back (round trip of writeOrderJson). Unknown keys are ignored; wrong
/// types, bad enums, bad times are collected, every one with its field path. Times must be strict
/// RFC 3339; money must be JSON integers (minor units); string fields also accept JSON integers
/// (ids from storefronts) as their decimal text; `null` means absent; missing `test` is false.
/// An order needs `status` (payment_status defaults to unknown); a tracking event needs
/// `occurred_at`. Only the top-level problem is reported for text that is not a JSON object.
/// Thread-safe (one parser per thread).
[[nodiscard]] tl::expected<Order, FieldErrors> readOrderJson(std::string_view json);
[[nodiscard]] tl::expected<TrackingUpdate, FieldErrors> readTrackingJson(std::string_view json);

}  // namespace ordergate::canonical
