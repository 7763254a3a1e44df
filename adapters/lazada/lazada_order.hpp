#pragma once

#include <simdjson.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "adapters/lazada/lazada_push.hpp"
#include "canonical/error.hpp"
#include "canonical/order.hpp"

namespace ordergate::adapters::lazada {

/// Where a Lazada order item (one unit) stands, coarsely.
enum class ItemState { kUnpaid, kOpen, kShipped, kDelivered, kFailed, kReturned, kCancelled };

/// Classifies an item status ("ready_to_ship", "Canceled", "failed_delivery", …; case, '-' and
/// ' ' are ignored). Unknown statuses are kOpen (the raw text stays in channel.status).
[[nodiscard]] ItemState classifyItemStatus(std::string_view status);

/// The canonical status of an order from its units' statuses (Lazada has no order status):
/// none → open; all cancelled → cancelled; of the others (cancelled units ignored): all unpaid →
/// pending_payment; all delivered → delivered; all returned → returned; all failed → failed;
/// all past shipping → shipped if any is still in transit, else delivered if any was, else
/// returned if any was, else failed; some past shipping → partially_shipped; else open.
[[nodiscard]] canonical::OrderStatus deriveStatus(std::span<const std::string> item_statuses);

/// What the normaliser needs besides the two API answers.
struct OrderContext {
  std::string_view channel_id;
  std::string_view seller_id;   ///< channel.store
  std::optional<Site> site;     ///< from the push, else from the configured country
  canonical::TimeZone zone = nullptr;  ///< for times without an offset (never null)
  canonical::Timestamp received_at{};
  std::string_view delivery_id;  ///< the newest push's dedup key, for source.delivery_id
};

/// GetOrder `data` (an object) + GetOrderItems `data` (an array of units) → a canonical order
/// (not yet validated). Units with the same sku_id (else sku) and item_price become one line
/// with their quantity and every order_item_id. Errors: every problem with its field path,
/// "order." / "items[3]." prefixed.
[[nodiscard]] tl::expected<canonical::Order, FieldErrors> normalizeOrder(
    simdjson::dom::object order, simdjson::dom::array items, const OrderContext& ctx);

}  // namespace ordergate::adapters::lazada
