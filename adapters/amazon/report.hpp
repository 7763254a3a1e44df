#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/file_adapter.hpp"

namespace ordergate::adapters::amazon {

/// The report families this adapter reads.
enum class ReportKind {
  kAllOrders,  ///< GET_FLAT_FILE_ALL_ORDERS_DATA_BY_{ORDER_DATE,LAST_UPDATE}_GENERAL
  kShipping,   ///< GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING (addresses, ship-by dates)
};

inline constexpr std::string_view kAllOrdersByOrderDate =
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL";
inline constexpr std::string_view kAllOrdersByLastUpdate =
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
inline constexpr std::string_view kOrderReportShipping = "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING";

/// Every column the normaliser reads. Header names are in kColumnNames.
enum class Column : std::size_t {
  kOrderId,  ///< amazon-order-id (all orders) / order-id (shipping)
  kMerchantOrderId,
  kOrderItemId,
  kPurchaseDate,
  kLastUpdatedDate,
  kPaymentsDate,
  kOrderStatus,
  kFulfillmentChannel,
  kSalesChannel,
  kShipServiceLevel,
  kProductName,
  kSku,
  kAsin,
  kItemStatus,
  kQuantity,  ///< quantity (all orders) / quantity-purchased (shipping)
  kCurrency,
  kItemPrice,
  kItemTax,
  kShippingPrice,
  kShippingTax,
  kGiftWrapPrice,
  kGiftWrapTax,
  kItemPromotionDiscount,
  kShipPromotionDiscount,
  kShipCity,
  kShipState,
  kShipPostalCode,
  kShipCountry,
  kBuyerEmail,
  kBuyerName,
  kBuyerPhone,
  kRecipientName,
  kShipAddress1,
  kShipAddress2,
  kShipAddress3,
  kShipPhone,
  kLatestShipDate,
  kLatestDeliveryDate,
  kCount,
};

inline constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::kCount);

/// The header name of a column in a report of `kind`.
[[nodiscard]] std::string_view columnName(ReportKind kind, Column column);

/// A recognised header: which report, and where each column sits (kAbsent when it does not).
struct ReportLayout {
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  ReportKind kind = ReportKind::kAllOrders;
  std::string report_type;
  std::array<std::size_t, kColumnCount> index{};
  std::size_t header_fields = 0;

  [[nodiscard]] std::size_t at(Column c) const { return index[static_cast<std::size_t>(c)]; }
  [[nodiscard]] bool has(Column c) const { return at(c) != kAbsent; }
};

/// Recognises the report by its header row (names, not positions; unknown columns ignored).
/// The all-orders variants share their columns: a report type named in `file_name` wins, else
/// `cpf` (only in the by-order-date variant) decides. Errors (file-level, line 1): an
/// unrecognised header, or one problem per missing required column, naming it.
[[nodiscard]] tl::expected<ReportLayout, std::vector<FileProblem>> recognizeReport(
    const std::vector<std::string_view>& header, std::string_view file_name);

}  // namespace ordergate::adapters::amazon
