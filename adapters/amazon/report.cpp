#include "adapters/amazon/report.hpp"

#include <algorithm>

namespace ordergate::adapters::amazon {
namespace {

struct ColumnSpec {
  Column column;
  std::string_view all_orders;  ///< name in the all-orders reports ("" = not there)
  std::string_view shipping;    ///< name in the shipping order report
  bool required_all_orders;
  bool required_shipping;
};

constexpr ColumnSpec kSpecs[] = {
    {Column::kOrderId, "amazon-order-id", "order-id", true, true},
    {Column::kMerchantOrderId, "merchant-order-id", "", false, false},
    {Column::kOrderItemId, "", "order-item-id", false, true},
    {Column::kPurchaseDate, "purchase-date", "purchase-date", true, true},
    {Column::kLastUpdatedDate, "last-updated-date", "", true, false},
    {Column::kPaymentsDate, "", "payments-date", false, false},
    {Column::kOrderStatus, "order-status", "", true, false},
    {Column::kFulfillmentChannel, "fulfillment-channel", "", false, false},
    {Column::kSalesChannel, "sales-channel", "sales-channel", false, false},
    {Column::kShipServiceLevel, "ship-service-level", "ship-service-level", false, false},
    {Column::kProductName, "product-name", "product-name", false, false},
    {Column::kSku, "sku", "sku", true, true},
    {Column::kAsin, "asin", "", false, false},
    {Column::kItemStatus, "item-status", "", false, false},
    {Column::kQuantity, "quantity", "quantity-purchased", true, true},
    {Column::kCurrency, "currency", "currency", true, true},
    {Column::kItemPrice, "item-price", "item-price", true, true},
    {Column::kItemTax, "item-tax", "item-tax", false, false},
    {Column::kShippingPrice, "shipping-price", "shipping-price", false, false},
    {Column::kShippingTax, "shipping-tax", "shipping-tax", false, false},
    {Column::kGiftWrapPrice, "gift-wrap-price", "", false, false},
    {Column::kGiftWrapTax, "gift-wrap-tax", "", false, false},
    {Column::kItemPromotionDiscount, "item-promotion-discount", "item-promotion-discount", false,
     false},
    {Column::kShipPromotionDiscount, "ship-promotion-discount", "ship-promotion-discount", false,
     false},
    {Column::kShipCity, "ship-city", "ship-city", false, false},
    {Column::kShipState, "ship-state", "ship-state", false, false},
    {Column::kShipPostalCode, "ship-postal-code", "ship-postal-code", false, false},
    {Column::kShipCountry, "ship-country", "ship-country", false, false},
    {Column::kBuyerEmail, "", "buyer-email", false, false},
    {Column::kBuyerName, "", "buyer-name", false, false},
    {Column::kBuyerPhone, "", "buyer-phone-number", false, false},
    {Column::kRecipientName, "", "recipient-name", false, false},
    {Column::kShipAddress1, "", "ship-address-1", false, false},
    {Column::kShipAddress2, "", "ship-address-2", false, false},
    {Column::kShipAddress3, "", "ship-address-3", false, false},
    {Column::kShipPhone, "", "ship-phone-number", false, false},
    {Column::kLatestShipDate, "", "latest-ship-date", false, false},
    {Column::kLatestDeliveryDate, "", "latest-delivery-date", false, false},
};
static_assert(std::size(kSpecs) == kColumnCount);

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) {
    s.remove_suffix(1);
  }
  return s;
}

std::size_t find(const std::vector<std::string_view>& header, std::string_view name) {
  if (name.empty()) {
    return ReportLayout::kAbsent;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (trimmed(header[i]) == name) {
      return i;
    }
  }
  return ReportLayout::kAbsent;
}

}  // namespace

std::string_view columnName(ReportKind kind, Column column) {
  const ColumnSpec& spec = kSpecs[static_cast<std::size_t>(column)];
  return kind == ReportKind::kAllOrders ? spec.all_orders : spec.shipping;
}

tl::expected<ReportLayout, std::vector<FileProblem>> recognizeReport(
    const std::vector<std::string_view>& header, std::string_view file_name) {
  ReportLayout layout;
  layout.header_fields = header.size();
  if (find(header, "amazon-order-id") != ReportLayout::kAbsent) {
    layout.kind = ReportKind::kAllOrders;
    if (file_name.find(kAllOrdersByOrderDate) != std::string_view::npos) {
      layout.report_type = kAllOrdersByOrderDate;
    } else if (file_name.find(kAllOrdersByLastUpdate) != std::string_view::npos) {
      layout.report_type = kAllOrdersByLastUpdate;
    } else {
      layout.report_type = find(header, "cpf") != ReportLayout::kAbsent ? kAllOrdersByOrderDate
                                                                        : kAllOrdersByLastUpdate;
    }
  } else if (find(header, "order-id") != ReportLayout::kAbsent &&
             find(header, "order-item-id") != ReportLayout::kAbsent) {
    if (find(header, "currency") == ReportLayout::kAbsent &&
        find(header, "quantity-to-ship") != ReportLayout::kAbsent) {
      return tl::unexpected(std::vector<FileProblem>{
          {1, "", "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING (unshipped orders) is not "
                  "supported: it has no prices; use GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING"}});
    }
    layout.kind = ReportKind::kShipping;
    layout.report_type = kOrderReportShipping;
  } else {
    return tl::unexpected(std::vector<FileProblem>{
        {1, "", "not an Amazon order report: the header has neither amazon-order-id nor "
                "order-id/order-item-id (localised headers are not supported)"}});
  }
  std::vector<FileProblem> missing;
  for (const ColumnSpec& spec : kSpecs) {
    const std::string_view name =
        layout.kind == ReportKind::kAllOrders ? spec.all_orders : spec.shipping;
    const bool required = layout.kind == ReportKind::kAllOrders ? spec.required_all_orders
                                                                : spec.required_shipping;
    const std::size_t at = find(header, name);
    layout.index[static_cast<std::size_t>(spec.column)] = at;
    if (required && at == ReportLayout::kAbsent) {
      missing.push_back(FileProblem{1, std::string(name),
                                    "missing required column \"" + std::string(name) + "\" in " +
                                        layout.report_type});
    }
  }
  if (!missing.empty()) {
    return tl::unexpected(std::move(missing));
  }
  return layout;
}

}  // namespace ordergate::adapters::amazon
