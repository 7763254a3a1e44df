#include "adapters/amazon/report.hpp"

#include <gtest/gtest.h>

#include "adapters/amazon/tsv_reader.hpp"

namespace ordergate::adapters::amazon {
namespace {

constexpr std::string_view kAllOrdersHeader =
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
    "fulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\t"
    "asin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\t"
    "gift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\t"
    "ship-state\tship-postal-code\tship-country\tpromotion-ids\tis-business-order\t"
    "purchase-order-number\tprice-designation";

auto recognize(std::string_view header, std::string_view file_name = "report.txt") {
  std::vector<std::string_view> fields;
  splitTabs(header, fields);
  return recognizeReport(fields, file_name);
}

TEST(RecognizeReport, AllOrdersByLastUpdateWithoutCpf) {
  auto layout = recognize(kAllOrdersHeader);
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->kind, ReportKind::kAllOrders);
  EXPECT_EQ(layout->report_type, kAllOrdersByLastUpdate);
  EXPECT_EQ(layout->at(Column::kOrderId), 0u);
  EXPECT_EQ(layout->at(Column::kItemPrice), 15u);
  EXPECT_FALSE(layout->has(Column::kOrderItemId));
}

TEST(RecognizeReport, CpfOrFileNameMeansByOrderDate) {
  const std::string with_cpf = std::string(kAllOrdersHeader) + "\tcpf";
  EXPECT_EQ(recognize(with_cpf)->report_type, kAllOrdersByOrderDate);
  EXPECT_EQ(recognize(kAllOrdersHeader, "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL-1.tsv")
                ->report_type,
            kAllOrdersByOrderDate);
}

TEST(RecognizeReport, ColumnsByNameInAnyOrderWithUnknownExtras) {
  auto layout = recognize(
      "url\tis-iba\tsku\tquantity\titem-price\tcurrency\torder-status\tlast-updated-date\t"
      "purchase-date\tamazon-order-id");
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->at(Column::kOrderId), 9u);
  EXPECT_EQ(layout->at(Column::kSku), 2u);
  EXPECT_FALSE(layout->has(Column::kAsin));
}

TEST(RecognizeReport, MissingRequiredColumnsAreNamed) {
  auto layout = recognize("amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku");
  ASSERT_FALSE(layout.has_value());
  ASSERT_EQ(layout.error().size(), 3u);
  EXPECT_EQ(layout.error()[0].column, "quantity");
  EXPECT_EQ(layout.error()[1].column, "currency");
  EXPECT_EQ(layout.error()[2].column, "item-price");
  EXPECT_EQ(layout.error()[0].line, 1u);
  EXPECT_NE(layout.error()[2].message.find("missing required column \"item-price\""),
            std::string::npos);
}

TEST(RecognizeReport, ShippingOrderReport) {
  auto layout = recognize(
      "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tsku\tproduct-name\t"
      "quantity-purchased\tcurrency\titem-price\trecipient-name\tship-address-1\t"
      "latest-ship-date");
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->kind, ReportKind::kShipping);
  EXPECT_EQ(layout->report_type, kOrderReportShipping);
  EXPECT_EQ(layout->at(Column::kQuantity), 7u);
  EXPECT_EQ(layout->at(Column::kLatestShipDate), 12u);
}

TEST(RecognizeReport, UnknownAndUnsupportedHeaders) {
  auto other = recognize("sku\tprice\tquantity");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error()[0].message.find("not an Amazon order report"), std::string::npos);
  auto actionable = recognize("order-id\torder-item-id\tpurchase-date\tsku\tquantity-to-ship");
  ASSERT_FALSE(actionable.has_value());
  EXPECT_NE(actionable.error()[0].message.find("ACTIONABLE"), std::string::npos);
}

}  // namespace
}  // namespace ordergate::adapters::amazon
