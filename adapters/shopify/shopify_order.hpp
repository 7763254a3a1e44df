#pragma once

#include <optional>
#include <string_view>

#include "canonical/error.hpp"
#include "canonical/order.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::shopify {

/// What the order parser needs besides the body: where the delivery came from.
struct OrderContext {
  std::string_view channel_id;
  std::string_view shop_domain;  ///< X-Shopify-Shop-Domain, becomes channel.store
  std::string_view topic;
  std::string_view delivery_id;
  canonical::Timestamp received_at{};
  canonical::TimeZone zone = nullptr;  ///< for timestamps without an offset; null means UTC
};

/// Parses the REST Order resource (the body of orders/* webhooks) into `order`, which must be
/// default-constructed, in its current state (current_* totals, current_quantity):
/// normalize() fills the order inside its event, without moving it there. The value is true
/// when cancelled_at is set. Every problem is collected with its field path in the payload
/// ("line_items[2].price: not a decimal amount \"abc\""); after errors `order` holds what was
/// read and must not be used. Does not run canonical::validate(). Thread-safe (a thread_local
/// simdjson parser).
[[nodiscard]] tl::expected<bool, FieldErrors> parseOrderInto(std::string_view body,
                                                             const OrderContext& ctx,
                                                             canonical::Order& order);

/// Canonical status from Shopify's order state: cancelled_at set → cancelled; else by
/// fulfillment_status ("" / "unfulfilled" → open, or pending_payment while financial_status is
/// "pending"; "partial" → partially_shipped; "fulfilled" → shipped; "restocked" → cancelled).
/// nullopt for an unknown fulfillment_status.
[[nodiscard]] std::optional<canonical::OrderStatus> mapOrderStatus(bool cancelled,
                                                                   std::string_view financial,
                                                                   std::string_view fulfillment);

/// Canonical payment status from financial_status; unknown or absent values → kUnknown.
[[nodiscard]] canonical::PaymentStatus mapPaymentStatus(std::string_view financial);

}  // namespace ordergate::adapters::shopify
