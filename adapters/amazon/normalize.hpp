#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/amazon/report.hpp"
#include "adapters/file_adapter.hpp"
#include "canonical/order.hpp"

namespace ordergate::adapters::amazon {

/// What the normaliser needs besides the rows: the channel block and the file's context.
struct NormalizeConfig {
  std::string channel_id;
  canonical::TimeZone zone = nullptr;  ///< for date-times without an offset
  std::string marketplace;             ///< channel.store when set
  std::string seller_id;               ///< channel.store when no marketplace is set
  std::string file_name;               ///< source.delivery_id
  canonical::Timestamp received_at{};
};

/// One row of an order: its physical line number and its cells (views into UTF-8 text).
struct RowView {
  std::size_t line = 0;
  std::span<const std::string_view> cells;
};

/// Amazon order-status → canonical (status, payment_status); nullopt for an unknown text.
/// Pending/PendingAvailability → pending_payment/pending; Unshipped, Shipping → open/paid;
/// PartiallyShipped → partially_shipped/paid; Shipped, Complete, InvoiceUnconfirmed →
/// shipped/paid; Cancelled/Canceled → cancelled/unknown; Unfulfillable → failed/unknown.
[[nodiscard]] std::optional<std::pair<canonical::OrderStatus, canonical::PaymentStatus>>
mapOrderStatus(std::string_view text);

/// The currency of a marketplace's sales channel ("Amazon.de" → "EUR"), for rows that leave
/// `currency` empty (pending orders); empty when unknown.
[[nodiscard]] std::string_view marketplaceCurrency(std::string_view sales_channel);

/// Whether the marketplace's item prices include tax: false for Amazon.com and Amazon.ca (tax is
/// added), true for the other Amazon marketplaces (VAT/GST/consumption tax inclusive), nullopt
/// for anything else ("Non-Amazon").
[[nodiscard]] std::optional<bool> marketplaceTaxesIncluded(std::string_view sales_channel);

/// Normalises the rows of one order (any order, all of the same order id) into `out.event`, or
/// fills `out.problems` (row problems with line and column; canonical::validate() errors on the
/// order's first line). Leaves out.order_id, out.lines and out.raw to the caller.
void normalizeOrder(const ReportLayout& layout, const NormalizeConfig& config,
                    std::span<const RowView> rows, FileOrder& out);

}  // namespace ordergate::adapters::amazon
