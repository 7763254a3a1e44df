// Pins the exact error list (field paths, messages, order) of parseOrderInto() on malformed
// orders, so that changes to how fields are read cannot change what a sender is told.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "adapters/shopify/shopify_order.hpp"

namespace ordergate::adapters::shopify {
namespace {

// One "field: message" line per error: a mismatch shows as a line diff.
std::string errorsOf(std::string_view body) {
  const OrderContext ctx{"shop1", "s.myshopify.com", "orders/updated", "ev-1", {}, nullptr};
  canonical::Order order;
  auto parsed = parseOrderInto(body, ctx, order);
  std::string out;
  if (parsed) {
    return out;
  }
  for (const FieldError& e : parsed.error()) {
    out.append(e.field).append(": ").append(e.message).append("\n");
  }
  return out;
}

// Nearly every field read by the parser, each wrong in its own way.
constexpr std::string_view kBroken = R"({
  "id": 1001, "name": 42, "currency": "USD",
  "financial_status": "paid", "fulfillment_status": "shipped",
  "cancelled_at": "yesterday", "created_at": 12, "updated_at": "2026-03-01T10:00:05Z",
  "taxes_included": "yes",
  "email": 3, "contact_email": "a@example.com", "phone": null,
  "current_subtotal_price_set": {"shop_money": {"amount": "1.001", "currency_code": "USD"}},
  "current_total_discounts_set": {"shop_money": {"amount": "1.00", "currency_code": "EUR"}},
  "current_total_tax_set": [], "current_total_tax": 5,
  "current_total_price_set": {"shop_money": "x"}, "current_total_price": "10.00",
  "shipping_lines": [
    5,
    {"is_removed": "no", "price": "abc", "title": 7,
     "discount_allocations": [{"amount_set": {"shop_money": {"amount": "x"}}}, 3]},
    {"is_removed": true, "price": "zzz"}
  ],
  "line_items": [
    "not an object",
    {"id": 1, "quantity": 0, "price": "1.00"},
    {"id": "x", "quantity": 2, "current_quantity": 3, "variant_id": 1.5, "sku": true,
     "name": null, "title": 3, "fulfillment_status": [],
     "price_set": {"shop_money": {"amount": "5.00", "currency_code": "USD"}},
     "discount_allocations": {}, "total_discount": "bad",
     "tax_lines": [{"price": "1.00"},
                   {"price_set": {"shop_money": {"currency_code": "EUR", "amount": "1"}}}]},
    {"quantity": "1"},
    {},
    {"id": -7, "quantity": 2, "price": "92233720368547758.07"},
    {"id": 18446744073709551615, "quantity": 1, "current_quantity": -1, "price": "1.00",
     "discount_allocations": [{"amount": "92233720368547758.07"}, {"amount": "1.00"}]}
  ],
  "customer": {"id": -5, "email": "c@example.com", "first_name": 1, "last_name": "Doe"},
  "shipping_address": {"country": "Atlantis", "zip": 123, "city": "X"},
  "billing_address": "nowhere",
  "test": 1
})";

TEST(ShopifyErrors, EveryReaderReportsPathAndMessageInOrder) {
  // The line_items[i] of the second pass (id, sku, amounts …) count only the entries that are
  // objects: after the string at [0], the payload's [2] is reported as [1]. Pinned as it is.
  const std::string expected = R"(name: expected a string, got an integer
cancelled_at: not a timestamp: "yesterday"
fulfillment_status: unknown value "shipped"
created_at: expected a string, got an integer
taxes_included: expected a boolean, got a string
current_subtotal_price_set.shop_money.amount: invalid amount "1.001" USD: more decimals than the currency's 2
current_total_discounts_set.shop_money.currency_code: "EUR" is not the shop currency "USD"
current_total_tax_set: expected an object, got an array
current_total_tax: expected a decimal string, got an integer
current_total_price_set.shop_money: expected an object, got a string
shipping_lines[0]: expected an object
shipping_lines[1].is_removed: expected a boolean, got a string
shipping_lines[1].price: not a decimal amount "abc"
shipping_lines[1].discount_allocations[0].amount_set.shop_money.amount: not a decimal amount "x"
shipping_lines[1].discount_allocations[1]: expected an object, got an integer
shipping_lines[1].title: expected a string, got an integer
line_items[0]: expected an object
line_items[1].quantity: must be > 0, got 0
line_items[2].current_quantity: must be between 0 and quantity, got 3
line_items[3].quantity: expected an integer, got a string
line_items[3].quantity: required
line_items[4].quantity: required
line_items[6].current_quantity: must be between 0 and quantity, got -1
line_items[1].id: not a valid id: "x"
line_items[1].sku: expected a string, got a boolean
line_items[1].variant_id: expected an integer id, got a number
line_items[1].title: expected a string, got an integer
line_items[1].fulfillment_status: expected a string, got an array
line_items[1].discount_allocations: expected an array, got an object
line_items[1].total_discount: not a decimal amount "bad"
line_items[1].tax_lines[1].price_set.shop_money.currency_code: "EUR" is not the shop currency "USD"
line_items[4].id: not a valid id: -7
line_items[4].price: amount out of range
line_items[5].discount_allocations[1].amount: amount out of range
email: expected a string, got an integer
customer.id: not a valid id: -5
customer.first_name: expected a string, got an integer
shipping_address.zip: expected a string, got an integer
shipping_address.country: unknown country "Atlantis"
billing_address: expected an object, got a string
test: expected a boolean, got an integer
)";
  EXPECT_EQ(errorsOf(kBroken), expected);
}

// While the currency is unknown, amounts are checked for shape only.
TEST(ShopifyErrors, UnknownCurrencySkipsAmountsButNotTheirShape) {
  constexpr std::string_view kBody = R"({
    "id": "12x", "currency": "XYZ", "updated_at": null,
    "subtotal_price": "1.001", "total_price": "abc",
    "current_total_tax_set": {"shop_money": {"amount": "1.00", "currency_code": "EUR"}},
    "line_items": {}
  })";
  EXPECT_EQ(errorsOf(kBody), R"(id: not a valid id: "12x"
updated_at: required (it orders the updates of an order)
currency: unknown ISO 4217 code "XYZ"
total_price: not a decimal amount "abc"
line_items: expected an array, got an object
line_items: required
)");
}

TEST(ShopifyErrors, MissingIdAndDocumentLevelErrors) {
  EXPECT_EQ(errorsOf(R"({"id": null, "currency": "USD", "updated_at": "2026-03-01T10:00:00Z",
                         "line_items": []})"),
            "id: required\n");
  EXPECT_EQ(errorsOf(R"({"id": 1.5})"),
            "id: expected an integer id, got a number\n"
            "updated_at: required (it orders the updates of an order)\n"
            "currency: required\n"
            "line_items: required\n");
  EXPECT_EQ(errorsOf("[1,2]"), ": expected a JSON object (the REST Order resource)\n");
  EXPECT_EQ(
      errorsOf(R"({"id": 1,)"),
      ": not valid JSON: " + std::string(simdjson::error_message(simdjson::TAPE_ERROR)) + "\n");
}

// When both name parts are wrong, last_name is reported first (it always was).
TEST(ShopifyErrors, NamePartsReportLastNameFirst) {
  EXPECT_EQ(errorsOf(R"({"id": 1, "currency": "USD", "updated_at": "2026-03-01T10:00:00Z",
                         "line_items": [], "customer": {"first_name": 1, "last_name": 2},
                         "shipping_address": {"first_name": 1, "last_name": 2}})"),
            "customer.last_name: expected a string, got an integer\n"
            "customer.first_name: expected a string, got an integer\n"
            "shipping_address.last_name: expected a string, got an integer\n"
            "shipping_address.first_name: expected a string, got an integer\n");
}

// A repeated key keeps its first value, in small objects and in the indexed big ones alike.
TEST(ShopifyErrors, RepeatedKeysKeepTheFirstValue) {
  constexpr std::string_view kBody = R"({
    "id": 7, "name": "#1", "name": 5, "currency": "USD",
    "updated_at": "2026-03-01T10:00:00Z", "created_at": "2026-03-01T09:00:00Z",
    "financial_status": "paid", "fulfillment_status": null, "taxes_included": false,
    "a1": 1, "a2": 2, "a3": 3, "a4": 4, "a5": 5, "a6": 6, "a7": 7, "a8": 8,
    "customer": {"first_name": "Ann", "first_name": 3, "last_name": "Lee"},
    "line_items": [{"id": 1, "quantity": 1, "price": "2.00", "sku": "A", "sku": 9}]
  })";
  const OrderContext ctx{"shop1", "s.myshopify.com", "orders/updated", "ev-1", {}, nullptr};
  canonical::Order order;
  auto parsed = parseOrderInto(kBody, ctx, order);
  ASSERT_TRUE(parsed) << parsed.error()[0].field << ": " << parsed.error()[0].message;
  EXPECT_EQ(order.channel.order_number, "#1");
  ASSERT_TRUE(order.customer);
  EXPECT_EQ(order.customer->name, "Ann Lee");
  ASSERT_EQ(order.lines.size(), 1u);
  EXPECT_EQ(order.lines[0].sku, "A");
}
}  // namespace
}  // namespace ordergate::adapters::shopify
