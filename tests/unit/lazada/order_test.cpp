#include <gtest/gtest.h>

#include "adapters/lazada/lazada_order.hpp"
#include "lazada_test_util.hpp"

namespace ordergate::adapters::lazada {
namespace {

using canonical::OrderStatus;

OrderStatus derive(std::vector<std::string> statuses) { return deriveStatus(statuses); }

TEST(LazadaStatus, ItemClassification) {
  EXPECT_EQ(classifyItemStatus("unpaid"), ItemState::kUnpaid);
  EXPECT_EQ(classifyItemStatus("ready_to_ship"), ItemState::kOpen);
  EXPECT_EQ(classifyItemStatus("Ready-To-Ship"), ItemState::kOpen);
  EXPECT_EQ(classifyItemStatus("shipped"), ItemState::kShipped);
  EXPECT_EQ(classifyItemStatus("delivered"), ItemState::kDelivered);
  EXPECT_EQ(classifyItemStatus("failed_delivery"), ItemState::kFailed);
  EXPECT_EQ(classifyItemStatus("returned"), ItemState::kReturned);
  EXPECT_EQ(classifyItemStatus("canceled"), ItemState::kCancelled);
  EXPECT_EQ(classifyItemStatus("CANCELLED"), ItemState::kCancelled);
  EXPECT_EQ(classifyItemStatus("something_new"), ItemState::kOpen);
}

TEST(LazadaStatus, DerivationTable) {
  EXPECT_EQ(derive({}), OrderStatus::kOpen);
  EXPECT_EQ(derive({"unpaid", "unpaid"}), OrderStatus::kPendingPayment);
  EXPECT_EQ(derive({"pending"}), OrderStatus::kOpen);
  EXPECT_EQ(derive({"pending", "ready_to_ship"}), OrderStatus::kOpen);
  EXPECT_EQ(derive({"canceled", "canceled"}), OrderStatus::kCancelled);
  EXPECT_EQ(derive({"canceled", "pending"}), OrderStatus::kOpen);
  EXPECT_EQ(derive({"shipped", "ready_to_ship"}), OrderStatus::kPartiallyShipped);
  EXPECT_EQ(derive({"delivered", "pending"}), OrderStatus::kPartiallyShipped);
  EXPECT_EQ(derive({"shipped", "shipped"}), OrderStatus::kShipped);
  EXPECT_EQ(derive({"shipped", "delivered"}), OrderStatus::kShipped);
  EXPECT_EQ(derive({"shipped", "canceled"}), OrderStatus::kShipped);
  EXPECT_EQ(derive({"delivered", "delivered"}), OrderStatus::kDelivered);
  EXPECT_EQ(derive({"delivered", "canceled"}), OrderStatus::kDelivered);
  EXPECT_EQ(derive({"delivered", "returned"}), OrderStatus::kDelivered);
  EXPECT_EQ(derive({"returned", "returned"}), OrderStatus::kReturned);
  EXPECT_EQ(derive({"returned", "failed"}), OrderStatus::kReturned);
  EXPECT_EQ(derive({"failed_delivery"}), OrderStatus::kFailed);
  EXPECT_EQ(derive({"unpaid", "canceled"}), OrderStatus::kPendingPayment);
}

// A small order through interpret(), to pin single rules without a golden file.
PullOutcome run(std::string order_data, std::string items_data) {
  static const LazadaAdapter adapter(testing::config());
  const std::string push =
      R"({"seller_id":"9","message_type":0,"data":{"order_status":"pending","trade_order_id":"100","trade_order_line_id":"1","status_update_time":1730794500},"timestamp":1730794600000,"site":"lazada_sg"})";
  return adapter.puller()->interpret(
      PullRequest{"100", push},
      {ApiResponse{200, R"({"code":"0","data":)" + order_data + "}", "", ""},
       ApiResponse{200, R"({"code":"0","data":)" + items_data + "}", "", ""}},
      canonical::Timestamp{});
}

const canonical::Order& order(const PullOutcome& o) {
  static const canonical::Order empty;
  if (o.events.empty()) {
    return empty;
  }
  return std::get<canonical::Order>(o.events.front().data);
}

constexpr std::string_view kOrder =
    R"({"order_id":100,"order_number":"100","created_at":"2024-11-05 16:15:31 +0800","updated_at":"2024-11-05 17:00:00 +0800","price":"30.00","voucher":"0.00","shipping_fee":"2.00","statuses":["pending"],"address_shipping":{"first_name":"A","last_name":"B","country":"Singapore","city":"Singapore","post_code":"123456","address1":"1 Road"}})";

TEST(LazadaOrder, GroupsUnitsBySkuAndPrice) {
  auto o = run(std::string(kOrder), R"([
    {"order_item_id":11,"sku_id":"5","sku":"A","item_price":"10.00","paid_price":"10.00","currency":"SGD","status":"pending"},
    {"order_item_id":12,"sku_id":"5","sku":"A","item_price":"10.00","paid_price":"9.50","currency":"SGD","status":"pending","voucher_amount":"0.50"},
    {"order_item_id":"13","sku_id":5,"sku":"A","item_price":10,"paid_price":10,"currency":"SGD","status":"pending"}])");
  ASSERT_EQ(o.kind, PullOutcome::kEvents);
  ASSERT_TRUE(o.errors.empty()) << describe(o.errors.front());
  const auto& lines = order(o).lines;
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].quantity, 3);
  EXPECT_EQ(lines[0].line_id, "11");
  EXPECT_EQ(lines[0].item_ids, (std::vector<std::string>{"11", "12", "13"}));
  EXPECT_EQ(lines[0].unit_price, 1000);
  EXPECT_EQ(lines[0].total, 2950);  // 10.00 + 9.50 + 10
  EXPECT_EQ(lines[0].discount, 50);
  // 30.00 - 0.00 + 2.00
  EXPECT_EQ(order(o).totals.total, 3200);
  EXPECT_EQ(order(o).ship_to->country_code, "SG");
  EXPECT_EQ(order(o).version, "2024-11-05T09:00:00Z");
  EXPECT_EQ(order(o).placed_at, *canonical::parseRfc3339("2024-11-05T08:15:31Z"));
}

TEST(LazadaOrder, DifferentPriceIsAnotherLine) {
  auto o = run(std::string(kOrder), R"([
    {"order_item_id":11,"sku":"A","item_price":"10.00","paid_price":"10.00","currency":"SGD","status":"pending"},
    {"order_item_id":12,"sku":"A","item_price":"20.00","paid_price":"20.00","currency":"SGD","status":"pending"}])");
  ASSERT_TRUE(o.errors.empty()) << describe(o.errors.front());
  EXPECT_EQ(order(o).lines.size(), 2u);
}

TEST(LazadaOrder, CountryNamesAndErrors) {
  std::string vn(kOrder);
  vn.replace(vn.find("Singapore\",\"city"), 9, "Viet Nam");
  auto ok = run(vn, R"([{"order_item_id":11,"sku":"A","item_price":"10","paid_price":"10","currency":"SGD","status":"pending"}])");
  ASSERT_TRUE(ok.errors.empty()) << describe(ok.errors.front());
  EXPECT_EQ(order(ok).ship_to->country_code, "VN");

  std::string bad(kOrder);
  bad.replace(bad.find("Singapore\",\"city"), 9, "Atlantis");
  auto err = run(bad, R"([{"order_item_id":11,"sku":"A","item_price":"10","paid_price":"10","currency":"SGD","status":"pending"}])");
  ASSERT_EQ(err.errors.size(), 1u);
  EXPECT_EQ(err.errors[0].field, "order.address_shipping.country");

  auto money = run(std::string(kOrder), R"([{"order_item_id":11,"sku":"A","item_price":"10.005","paid_price":"10","currency":"SGD","status":"pending"}])");
  ASSERT_FALSE(money.errors.empty());
  EXPECT_EQ(money.errors[0].field, "items[0].item_price");

  auto mixed = run(std::string(kOrder), R"([{"order_item_id":11,"sku":"A","item_price":"10","paid_price":"10","currency":"SGD","status":"pending"},{"order_item_id":12,"sku":"B","item_price":"10","paid_price":"10","currency":"MYR","status":"pending"}])");
  ASSERT_FALSE(mixed.errors.empty());
  EXPECT_EQ(mixed.errors[0].field, "items[1].currency");
}

TEST(LazadaOrder, CurrencyFromSiteWhenItemsHaveNone) {
  auto o = run(std::string(kOrder), R"([{"order_item_id":11,"sku":"A","item_price":"10","paid_price":"10","status":"pending"}])");
  ASSERT_TRUE(o.errors.empty()) << describe(o.errors.front());
  EXPECT_EQ(order(o).currency, "SGD");
}

TEST(LazadaOrder, WrongOrderIsAnError) {
  std::string other(kOrder);
  other.replace(other.find("\"order_id\":100"), 14, "\"order_id\":101");
  auto o = run(other, R"([{"order_item_id":11,"sku":"A","item_price":"10","paid_price":"10","currency":"SGD","status":"pending"}])");
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].field, "order.order_id");
}

}  // namespace
}  // namespace ordergate::adapters::lazada
