#include "adapters/shopify/shopify_order.hpp"

#include <vector>

#include "adapters/shopify/shopify_fields.hpp"
#include "canonical/country.hpp"
#include "canonical/money.hpp"

namespace ordergate::adapters::shopify {
namespace {

using namespace std::string_view_literals;
using canonical::Money;
using Object = FieldReader::Object;

// Shopify restates totals after edits and refunds in current_* fields; the originals are
// as placed. Prefer the current value when the payload has it.
Money currentAmount(FieldReader& r, Object root, std::string_view name) {
  const std::string current = "current_" + std::string(name);
  if (r.get(root, current) || r.get(root, current + "_set")) {
    return r.shopAmount(root, current, current);
  }
  return r.shopAmount(root, name, name);
}

std::string joinName(std::string first, std::string_view last) {
  if (!first.empty() && !last.empty()) {
    first.append(" ");
  }
  first.append(last);
  return first;
}

std::optional<canonical::Address> readAddress(FieldReader& r, Object root, std::string_view key) {
  const std::string path(key);
  auto obj = r.object(root, key, path);
  if (!obj) {
    return std::nullopt;
  }
  canonical::Address a;
  a.name = r.text(*obj, "name"sv, joinPath(path, "name"));
  if (a.name.empty()) {
    a.name = joinName(r.text(*obj, "first_name"sv, joinPath(path, "first_name")),
                      r.text(*obj, "last_name"sv, joinPath(path, "last_name")));
  }
  a.company = r.text(*obj, "company"sv, joinPath(path, "company"));
  a.line1 = r.text(*obj, "address1"sv, joinPath(path, "address1"));
  a.line2 = r.text(*obj, "address2"sv, joinPath(path, "address2"));
  a.city = r.text(*obj, "city"sv, joinPath(path, "city"));
  a.region = r.text(*obj, "province_code"sv, joinPath(path, "province_code"));
  if (a.region.empty()) {
    a.region = r.text(*obj, "province"sv, joinPath(path, "province"));
  }
  a.postal_code = r.text(*obj, "zip"sv, joinPath(path, "zip"));
  a.country_code = r.text(*obj, "country_code"sv, joinPath(path, "country_code"));
  if (a.country_code.empty()) {
    const std::string country = r.text(*obj, "country"sv, joinPath(path, "country"));
    if (auto code = canonical::normalizeCountry(country)) {
      a.country_code = std::string(*code);
    } else if (!country.empty()) {
      r.add(joinPath(path, "country"), "unknown country \"" + country + "\"");
    }
  }
  a.phone = r.text(*obj, "phone"sv, joinPath(path, "phone"));
  if (a.name.empty() && a.company.empty() && a.line1.empty() && a.line2.empty() && a.city.empty() &&
      a.region.empty() && a.postal_code.empty() && a.country_code.empty() && a.phone.empty()) {
    return std::nullopt;
  }
  return a;
}

// The order's own contact (email, phone) first: it is what the buyer gave for this order; the
// customer account's values fill the gaps.
std::optional<canonical::Customer> readCustomer(FieldReader& r, Object root) {
  canonical::Customer c;
  c.email = r.text(root, "email"sv, "email");
  if (c.email.empty()) {
    c.email = r.text(root, "contact_email"sv, "contact_email");
  }
  c.phone = r.text(root, "phone"sv, "phone");
  if (auto obj = r.object(root, "customer"sv, "customer")) {
    c.id = r.id(*obj, "id"sv, "customer.id");
    if (c.email.empty()) {
      c.email = r.text(*obj, "email"sv, "customer.email");
    }
    c.name = joinName(r.text(*obj, "first_name"sv, "customer.first_name"),
                      r.text(*obj, "last_name"sv, "customer.last_name"));
    if (c.phone.empty()) {
      c.phone = r.text(*obj, "phone"sv, "customer.phone");
    }
  }
  if (c.empty()) {
    return std::nullopt;
  }
  return c;
}

// Shipping: current_shipping_price_set (after discounts, edits and refunds) when the payload
// has it, else Σ (price − discount allocations) over the shipping lines not removed by an
// edit. The method is the first such line's title.
void readShipping(FieldReader& r, Object root, canonical::Order& order) {
  if (r.get(root, "current_shipping_price_set"sv)) {
    order.totals.shipping =
        r.shopAmount(root, "current_shipping_price"sv, "current_shipping_price");
  }
  auto lines = r.array(root, "shipping_lines"sv, "shipping_lines");
  if (!lines) {
    return;
  }
  Money shipping = 0;
  std::size_t index = 0;
  for (FieldReader::Element item : *lines) {
    const std::string path = indexPath("shipping_lines", index++);
    Object line;
    if (item.get_object().get(line) != simdjson::SUCCESS) {
      r.add(path, "expected an object");
      continue;
    }
    if (r.boolean(line, "is_removed"sv, joinPath(path, "is_removed")).value_or(false)) {
      continue;
    }
    const Money price = r.shopAmount(line, "price"sv, joinPath(path, "price"));
    const Money discount = r.sumOf(line, "discount_allocations"sv, "amount"sv, path);
    shipping = r.plus(shipping, r.minus(price, discount.value_or(0), path), path);
    const std::string title = r.text(line, "title"sv, joinPath(path, "title"));
    if (!order.shipping && !title.empty()) {
      order.shipping = canonical::Shipping{};
      order.shipping->method = title;
    }
  }
  if (!r.get(root, "current_shipping_price_set"sv)) {
    order.totals.shipping = shipping;
  }
}

// value * part / whole, rounded half away from zero (whole > 0, 0 <= part <= whole).
Money prorate(Money value, std::int64_t part, std::int64_t whole) {
  if (!value || part == whole) {
    return value;
  }
  const __int128 scaled = static_cast<__int128>(*value) * part;
  const __int128 half = whole / 2;
  const __int128 rounded = scaled >= 0 ? (scaled + half) / whole : (scaled - half) / whole;
  return static_cast<canonical::MinorUnits>(rounded);
}

struct LineQuantity {
  std::int64_t ordered = 0;
  std::int64_t current = 0;
};

LineQuantity readQuantity(FieldReader& r, Object line, const std::string& path) {
  LineQuantity q;
  const auto ordered = r.integer(line, "quantity"sv, joinPath(path, "quantity"));
  const auto current = r.integer(line, "current_quantity"sv, joinPath(path, "current_quantity"));
  if (!ordered) {
    r.add(joinPath(path, "quantity"), "required");
  } else if (*ordered <= 0) {
    r.add(joinPath(path, "quantity"), "must be > 0, got " + std::to_string(*ordered));
  } else {
    q.ordered = *ordered;
  }
  q.current = current.value_or(q.ordered);
  if (q.current < 0 || q.current > q.ordered) {
    r.add(joinPath(path, "current_quantity"),
          "must be between 0 and quantity, got " + std::to_string(q.current));
    q.current = q.ordered;
  }
  return q;
}

canonical::OrderLine readLine(FieldReader& r, Object line, const std::string& path,
                              std::int64_t quantity, std::int64_t ordered, bool taxes_included) {
  canonical::OrderLine out;
  out.line_id = r.id(line, "id"sv, joinPath(path, "id"));
  out.sku = r.text(line, "sku"sv, joinPath(path, "sku"));
  out.channel_sku = r.id(line, "variant_id"sv, joinPath(path, "variant_id"));
  out.title = r.text(line, "name"sv, joinPath(path, "name"));
  if (out.title.empty()) {
    out.title = r.text(line, "title"sv, joinPath(path, "title"));
  }
  out.status = r.text(line, "fulfillment_status"sv, joinPath(path, "fulfillment_status"));
  out.quantity = quantity;
  out.unit_price = r.shopAmount(line, "price"sv, joinPath(path, "price"));
  // Shopify leaves total_discount at "0.00" when discount_allocations carry the amounts; it is
  // only read from payloads of the older shape without allocations.
  out.discount = r.sumOf(line, "discount_allocations"sv, "amount"sv, path);
  if (!out.discount) {
    out.discount = r.shopAmount(line, "total_discount"sv, joinPath(path, "total_discount"));
  }
  out.tax = r.sumOf(line, "tax_lines"sv, "price"sv, path);
  // Allocations and tax lines describe the quantity as ordered; a line reduced by an edit or a
  // refund keeps its share.
  out.discount = prorate(out.discount, quantity, ordered);
  out.tax = prorate(out.tax, quantity, ordered);
  const std::string total_path = joinPath(path, "price");
  out.total =
      r.minus(r.times(out.unit_price, quantity, total_path), out.discount.value_or(0), total_path);
  if (!taxes_included) {
    out.total = r.plus(out.total, out.tax.value_or(0), total_path);
  }
  return out;
}

// Lines in their current state: quantity = current_quantity, lines removed by edits or
// refunds (current_quantity 0) left out. When nothing remains (fully refunded or cancelled
// orders) the lines are listed as ordered so the OMS can still match them.
void readLines(FieldReader& r, Object root, canonical::Order& order) {
  auto items = r.array(root, "line_items"sv, "line_items");
  if (!items) {
    r.add("line_items", "required");
    return;
  }
  std::vector<Object> objects;
  std::vector<LineQuantity> quantities;
  std::size_t index = 0;
  bool any_current = false;
  for (FieldReader::Element item : *items) {
    const std::string path = indexPath("line_items", index++);
    Object line;
    if (item.get_object().get(line) != simdjson::SUCCESS) {
      r.add(path, "expected an object");
      continue;
    }
    objects.push_back(line);
    quantities.push_back(readQuantity(r, line, path));
    any_current = any_current || quantities.back().current > 0;
  }
  const bool taxes_included = order.taxes_included.value_or(false);
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const LineQuantity q = quantities[i];
    const std::int64_t quantity = any_current ? q.current : q.ordered;
    if (quantity <= 0) {
      continue;
    }
    order.lines.push_back(
        readLine(r, objects[i], indexPath("line_items", i), quantity, q.ordered, taxes_included));
  }
}

}  // namespace

std::optional<canonical::OrderStatus> mapOrderStatus(bool cancelled, std::string_view financial,
                                                     std::string_view fulfillment) {
  using canonical::OrderStatus;
  if (cancelled) {
    return OrderStatus::kCancelled;
  }
  if (fulfillment.empty() || fulfillment == "unfulfilled"sv || fulfillment == "null"sv) {
    return financial == "pending"sv ? OrderStatus::kPendingPayment : OrderStatus::kOpen;
  }
  if (fulfillment == "partial"sv) {
    return OrderStatus::kPartiallyShipped;
  }
  if (fulfillment == "fulfilled"sv) {
    return OrderStatus::kShipped;
  }
  if (fulfillment == "restocked"sv) {
    return OrderStatus::kCancelled;
  }
  return std::nullopt;
}

canonical::PaymentStatus mapPaymentStatus(std::string_view financial) {
  using canonical::PaymentStatus;
  if (financial == "pending"sv || financial == "partially_paid"sv) {
    return PaymentStatus::kPending;
  }
  if (financial == "authorized"sv) {
    return PaymentStatus::kAuthorized;
  }
  if (financial == "paid"sv) {
    return PaymentStatus::kPaid;
  }
  if (financial == "partially_refunded"sv) {
    return PaymentStatus::kPartiallyRefunded;
  }
  if (financial == "refunded"sv) {
    return PaymentStatus::kRefunded;
  }
  if (financial == "voided"sv || financial == "expired"sv) {
    return PaymentStatus::kVoided;
  }
  return PaymentStatus::kUnknown;
}

tl::expected<ParsedOrder, FieldErrors> parseOrder(std::string_view body, const OrderContext& ctx) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(body.data(), body.size()).get(doc); error) {
    return tl::unexpected(
        FieldErrors{{"", std::string("not valid JSON: ") + simdjson::error_message(error)}});
  }
  Object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    return tl::unexpected(FieldErrors{{"", "expected a JSON object (the REST Order resource)"}});
  }

  FieldReader r;
  r.zone = ctx.zone;
  ParsedOrder parsed;
  canonical::Order& o = parsed.order;
  o.channel.type = "shopify";
  o.channel.id = std::string(ctx.channel_id);
  o.channel.order_id = r.id(root, "id"sv, "id");
  if (o.channel.order_id.empty() && r.errors.empty()) {
    r.add("id", "required");
  }
  o.order_key = canonical::makeOrderKey(o.channel.id, o.channel.order_id);
  o.channel.order_number = r.text(root, "name"sv, "name");
  o.channel.store = std::string(ctx.shop_domain);

  const std::string financial = r.text(root, "financial_status"sv, "financial_status");
  const std::string fulfillment = r.text(root, "fulfillment_status"sv, "fulfillment_status");
  parsed.cancelled = r.time(root, "cancelled_at"sv, "cancelled_at").has_value();
  o.channel.status = (financial.empty() ? std::string("unknown") : financial) + "/" +
                     (fulfillment.empty() ? std::string("unfulfilled") : fulfillment);
  if (auto status = mapOrderStatus(parsed.cancelled, financial, fulfillment)) {
    o.status = *status;
  } else {
    r.add("fulfillment_status", "unknown value \"" + fulfillment + "\"");
  }
  o.payment_status = mapPaymentStatus(financial);

  o.placed_at = r.time(root, "created_at"sv, "created_at");
  o.updated_at = r.time(root, "updated_at"sv, "updated_at");
  if (o.updated_at) {
    o.version = canonical::formatRfc3339(*o.updated_at);
  } else if (!r.get(root, "updated_at"sv)) {
    r.add("updated_at", "required (it orders the updates of an order)");
  }

  o.currency = r.text(root, "currency"sv, "currency");
  if (o.currency.empty()) {
    r.add("currency", "required");
  } else if (!canonical::currencyExponent(o.currency)) {
    r.add("currency", "unknown ISO 4217 code \"" + o.currency + "\"");
  } else {
    r.currency = o.currency;
  }
  o.taxes_included = r.boolean(root, "taxes_included"sv, "taxes_included");
  o.totals.subtotal = currentAmount(r, root, "subtotal_price"sv);
  o.totals.discount = currentAmount(r, root, "total_discounts"sv);
  o.totals.tax = currentAmount(r, root, "total_tax"sv);
  o.totals.total = currentAmount(r, root, "total_price"sv);
  readShipping(r, root, o);
  readLines(r, root, o);

  o.customer = readCustomer(r, root);
  o.ship_to = readAddress(r, root, "shipping_address"sv);
  o.bill_to = readAddress(r, root, "billing_address"sv);
  o.test = r.boolean(root, "test"sv, "test").value_or(false);
  o.source.received_at = ctx.received_at;
  o.source.delivery_id = std::string(ctx.delivery_id);
  o.source.topic = std::string(ctx.topic);

  if (!r.errors.empty()) {
    return tl::unexpected(std::move(r.errors));
  }
  return parsed;
}

}  // namespace ordergate::adapters::shopify
