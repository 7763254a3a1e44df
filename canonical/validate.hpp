#pragma once

#include "canonical/error.hpp"
#include "canonical/order.hpp"
#include "canonical/tracking.hpp"

namespace ordergate::canonical {

/// Every rule of CANONICAL.md an order breaks, each with its field path, e.g.
/// {"lines[1].quantity", "must be > 0"}, {"currency", "unknown ISO 4217 code \"XXY\""},
/// {"ship_to.country_code", "not an ISO 3166-1 alpha-2 code: \"UK\""}. Empty when valid.
/// Checks: order_key = channel.id ":" channel.order_id, channel.type/id/order_id present,
/// version present, currency known, lines non-empty with line_id and quantity > 0, country
/// codes alpha-2, no empty-string placeholders in required fields.
[[nodiscard]] FieldErrors validate(const Order& order);

/// Same for a tracking update: carrier, tracking_number (no spaces), events oldest first,
/// status equal to the latest event's, country codes alpha-2.
[[nodiscard]] FieldErrors validate(const TrackingUpdate& update);

}  // namespace ordergate::canonical
