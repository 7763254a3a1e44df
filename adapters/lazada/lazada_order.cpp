#include "adapters/lazada/lazada_order.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "adapters/lazada/lazada_fields.hpp"
#include "canonical/country.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace std::string_view_literals;
using canonical::Money;
using canonical::OrderStatus;
using Object = FieldReader::Object;

struct StatusEntry {
  std::string_view text;
  ItemState state;
};

// Lazada item statuses (GetOrderItems `status`, push `order_status`) and the spellings seen in
// SDKs and seller-center exports.
constexpr StatusEntry kStatusTable[] = {
    {"unpaid", ItemState::kUnpaid},
    {"pending_payment", ItemState::kUnpaid},
    {"pending", ItemState::kOpen},
    {"packed", ItemState::kOpen},
    {"repacked", ItemState::kOpen},
    {"topack", ItemState::kOpen},
    {"to_pack", ItemState::kOpen},
    {"toship", ItemState::kOpen},
    {"to_ship", ItemState::kOpen},
    {"ready_to_ship", ItemState::kOpen},
    {"ready_to_ship_pending", ItemState::kOpen},
    {"shipped", ItemState::kShipped},
    {"shipping", ItemState::kShipped},
    {"in_transit", ItemState::kShipped},
    {"delivered", ItemState::kDelivered},
    {"confirmed", ItemState::kDelivered},
    {"failed", ItemState::kFailed},
    {"failed_delivery", ItemState::kFailed},
    {"lost_by_3pl", ItemState::kFailed},
    {"damaged_by_3pl", ItemState::kFailed},
    {"package_scrapped", ItemState::kFailed},
    {"returned", ItemState::kReturned},
    {"shipped_back", ItemState::kReturned},
    {"shipped_back_success", ItemState::kReturned},
    {"shipped_back_failed", ItemState::kReturned},
    {"canceled", ItemState::kCancelled},
    {"cancelled", ItemState::kCancelled},
};

std::string joinName(std::string first, std::string_view last) {
  if (!first.empty() && !last.empty()) {
    first += ' ';
  }
  first += last;
  return first;
}

// Adds `value` to a comma-separated list of distinct values.
void addDistinct(std::string& list, std::string_view value) {
  if (value.empty()) {
    return;
  }
  std::string_view rest = list;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (rest.substr(0, comma) == value) {
      return;
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (!list.empty()) {
    list += ',';
  }
  list += value;
}

std::optional<canonical::Address> readAddress(FieldReader& r, Object order, std::string_view key,
                                              const OrderContext& ctx) {
  const std::string path = "order." + std::string(key);
  auto value = r.get(order, key);
  Object obj;
  if (!value || value->get_object().get(obj) != simdjson::SUCCESS) {
    if (value) {
      r.add(path, "expected an object");
    }
    return std::nullopt;
  }
  auto f = [&](std::string_view name) { return r.text(obj, name, path + "." + std::string(name)); };
  canonical::Address a;
  a.name = joinName(f("first_name"), f("last_name"));
  a.line1 = f("address1");
  a.line2 = f("address2");
  a.region = f("address3");
  a.city = f("city");
  if (a.city.empty()) {
    a.city = f("address4");
  }
  a.postal_code = f("post_code");
  a.phone = f("phone");
  const std::string country = f("country");
  if (auto code = canonical::normalizeCountry(country)) {
    a.country_code = std::string(*code);
  } else if (!country.empty()) {
    r.add(path + ".country", "unknown country \"" + country + "\"");
  } else if (ctx.site) {
    a.country_code = std::string(ctx.site->country);
  }
  return a;
}

struct Unit {
  std::string item_id;
  std::string group_key;
  std::string status;
};

}  // namespace

ItemState classifyItemStatus(std::string_view status) {
  const std::string norm = normalizeSiteText(status);
  for (const StatusEntry& e : kStatusTable) {
    if (e.text == norm) {
      return e.state;
    }
  }
  return ItemState::kOpen;
}

OrderStatus deriveStatus(std::span<const std::string> item_statuses) {
  if (item_statuses.empty()) {
    return OrderStatus::kOpen;
  }
  std::map<ItemState, std::size_t> count;
  std::size_t active = 0;
  for (const std::string& s : item_statuses) {
    const ItemState state = classifyItemStatus(s);
    ++count[state];
    active += state == ItemState::kCancelled ? 0 : 1;
  }
  if (active == 0) {
    return OrderStatus::kCancelled;
  }
  auto n = [&](ItemState s) { return count.count(s) ? count[s] : std::size_t{0}; };
  if (n(ItemState::kUnpaid) == active) {
    return OrderStatus::kPendingPayment;
  }
  if (n(ItemState::kDelivered) == active) {
    return OrderStatus::kDelivered;
  }
  if (n(ItemState::kReturned) == active) {
    return OrderStatus::kReturned;
  }
  if (n(ItemState::kFailed) == active) {
    return OrderStatus::kFailed;
  }
  const std::size_t past = n(ItemState::kShipped) + n(ItemState::kDelivered) +
                           n(ItemState::kReturned) + n(ItemState::kFailed);
  if (past == active) {
    if (n(ItemState::kShipped) > 0) {
      return OrderStatus::kShipped;
    }
    if (n(ItemState::kDelivered) > 0) {
      return OrderStatus::kDelivered;
    }
    return n(ItemState::kReturned) > 0 ? OrderStatus::kReturned : OrderStatus::kFailed;
  }
  return past > 0 ? OrderStatus::kPartiallyShipped : OrderStatus::kOpen;
}

tl::expected<canonical::Order, FieldErrors> normalizeOrder(simdjson::dom::object order,
                                                           simdjson::dom::array items,
                                                           const OrderContext& ctx) {
  FieldReader r;
  canonical::Order o;
  o.channel.type = "lazada";
  o.channel.id = std::string(ctx.channel_id);
  o.channel.store = std::string(ctx.seller_id);
  o.channel.order_id = r.id(order, "order_id"sv, "order.order_id");
  o.channel.order_number = r.id(order, "order_number"sv, "order.order_number");

  // Currency: the items carry it (GetOrder has none); all must agree. Else the site's.
  std::size_t index = 0;
  for (simdjson::dom::element e : items) {
    Object item;
    const std::string path = "items[" + std::to_string(index++) + "]";
    if (e.get_object().get(item) != simdjson::SUCCESS) {
      r.add(path, "expected an object");
      continue;
    }
    const std::string c = r.text(item, "currency"sv, path + ".currency");
    if (c.empty()) {
      continue;
    }
    if (o.currency.empty()) {
      o.currency = c;
    } else if (o.currency != c) {
      r.add(path + ".currency", "\"" + c + "\" differs from the order's \"" + o.currency + "\"");
    }
    if (o.channel.order_id.empty()) {
      o.channel.order_id = r.id(item, "order_id"sv, path + ".order_id");
    }
  }
  if (o.currency.empty() && ctx.site) {
    o.currency = std::string(ctx.site->currency);
  }
  if (o.currency.empty()) {
    r.add("items[].currency", "missing, and the push names no known site");
  } else if (!canonical::currencyExponent(o.currency)) {
    r.add("currency", "unknown ISO 4217 code \"" + o.currency + "\"");
    o.currency.clear();
  }
  const std::string& cur = o.currency;

  o.placed_at = r.time(order, "created_at"sv, "order.created_at", ctx.zone);
  o.updated_at = r.time(order, "updated_at"sv, "order.updated_at", ctx.zone);
  if (!o.updated_at) {
    r.add("order.updated_at", "required (the order's version)");
  } else {
    o.version = canonical::formatRfc3339(*o.updated_at);
  }

  // Units → lines.
  std::vector<std::string> statuses;
  std::map<std::string, std::size_t> line_of_key;
  std::optional<canonical::Timestamp> ship_by;
  std::optional<canonical::Timestamp> promised;
  std::string buyer_id;
  std::string method;
  std::string service_level;
  index = 0;
  for (simdjson::dom::element e : items) {
    Object item;
    const std::string path = "items[" + std::to_string(index++) + "]";
    if (e.get_object().get(item) != simdjson::SUCCESS) {
      continue;
    }
    auto p = [&](std::string_view name) { return path + "." + std::string(name); };
    const std::string item_id = r.id(item, "order_item_id"sv, p("order_item_id"));
    if (item_id.empty()) {
      r.add(p("order_item_id"), "required");
    }
    const std::string status = r.text(item, "status"sv, p("status"));
    statuses.push_back(status);
    std::string sku_id = r.id(item, "sku_id"sv, p("sku_id"));
    const std::string sku = r.text(item, "sku"sv, p("sku"));
    const Money price = r.money(item, "item_price"sv, p("item_price"), cur);
    const std::string key = (sku_id.empty() ? "s:" + sku : "i:" + sku_id) + "\x1f" +
                            (price ? std::to_string(*price) : std::string("-"));
    auto [it, fresh] = line_of_key.try_emplace(key, o.lines.size());
    if (fresh) {
      canonical::OrderLine line;
      line.line_id = item_id;
      line.sku = sku;
      line.channel_sku = r.text(item, "shop_sku"sv, p("shop_sku"));
      line.title = r.text(item, "name"sv, p("name"));
      line.unit_price = price;
      o.lines.push_back(std::move(line));
    }
    canonical::OrderLine& line = o.lines[it->second];
    line.quantity += 1;
    line.item_ids.push_back(item_id);
    addDistinct(line.status, status);
    addDistinct(line.tracking_number, r.text(item, "tracking_code"sv, p("tracking_code")));
    const std::string provider = r.text(item, "shipment_provider"sv, p("shipment_provider"));
    addDistinct(line.shipping_provider, provider);
    Money voucher = r.money(item, "voucher_amount"sv, p("voucher_amount"), cur);
    if (!voucher) {
      voucher = r.plus(r.money(item, "voucher_seller"sv, p("voucher_seller"), cur),
                       r.money(item, "voucher_platform"sv, p("voucher_platform"), cur),
                       p("voucher_amount"));
    }
    line.discount = r.plus(line.discount, voucher, p("voucher_amount"));
    line.tax = r.plus(line.tax, r.money(item, "tax_amount"sv, p("tax_amount"), cur), p("tax_amount"));
    line.total = r.plus(line.total, r.money(item, "paid_price"sv, p("paid_price"), cur), p("paid_price"));

    if (buyer_id.empty()) {
      buyer_id = r.id(item, "buyer_id"sv, p("buyer_id"));
    }
    if (method.empty()) {
      method = provider;
    }
    if (service_level.empty()) {
      service_level = r.text(item, "shipping_provider_type"sv, p("shipping_provider_type"));
    }
    if (classifyItemStatus(status) != ItemState::kCancelled) {
      auto sla = r.time(item, "sla_time_stamp"sv, p("sla_time_stamp"), ctx.zone);
      if (sla && (!ship_by || *sla < *ship_by)) {
        ship_by = sla;
      }
      auto pst = r.time(item, "promised_shipping_time"sv, p("promised_shipping_time"), ctx.zone);
      if (pst && (!promised || *pst < *promised)) {
        promised = pst;
      }
    }
  }

  // Status: the units' statuses; GetOrder's `statuses` (distinct) is kept as the channel text.
  o.status = deriveStatus(statuses);
  simdjson::dom::array order_statuses;
  if (auto list = r.get(order, "statuses"sv);
      list && list->get_array().get(order_statuses) == simdjson::SUCCESS) {
    for (simdjson::dom::element s : order_statuses) {
      std::string_view text;
      if (s.get_string().get(text) == simdjson::SUCCESS) {
        addDistinct(o.channel.status, text);
      }
    }
  }
  if (o.channel.status.empty()) {
    for (const std::string& s : statuses) {
      addDistinct(o.channel.status, s);
    }
  }

  const std::string payment_method = r.text(order, "payment_method"sv, "order.payment_method");
  const bool cod = normalizeSiteText(payment_method).find("cod") != std::string::npos;
  switch (o.status) {
    case OrderStatus::kPendingPayment:
      o.payment_status = canonical::PaymentStatus::kPending;
      break;
    case OrderStatus::kCancelled:
      o.payment_status = canonical::PaymentStatus::kUnknown;
      break;
    case OrderStatus::kReturned:
      o.payment_status = canonical::PaymentStatus::kRefunded;
      break;
    case OrderStatus::kDelivered:
      o.payment_status = canonical::PaymentStatus::kPaid;
      break;
    default:
      o.payment_status = cod ? canonical::PaymentStatus::kPending : canonical::PaymentStatus::kPaid;
      break;
  }

  // Totals, Lazada's formula: paid = price − voucher + shipping_fee (prices include tax).
  o.taxes_included = true;
  o.totals.subtotal = r.money(order, "price"sv, "order.price", cur);
  if (!o.totals.subtotal) {
    for (const canonical::OrderLine& line : o.lines) {
      if (line.unit_price) {
        canonical::MinorUnits amount = 0;
        if (__builtin_mul_overflow(*line.unit_price, line.quantity, &amount)) {
          r.add("order.price", "amount overflows");
        }
        o.totals.subtotal = r.plus(o.totals.subtotal, amount, "order.price");
      }
    }
  }
  o.totals.discount = r.money(order, "voucher"sv, "order.voucher", cur);
  o.totals.shipping = r.money(order, "shipping_fee"sv, "order.shipping_fee", cur);
  const bool order_voucher = o.totals.discount.has_value();
  for (const canonical::OrderLine& line : o.lines) {
    if (!order_voucher) {
      o.totals.discount = r.plus(o.totals.discount, line.discount, "totals.discount");
    }
    o.totals.tax = r.plus(o.totals.tax, line.tax, "totals.tax");
  }
  o.totals.total = r.plus(r.minus(o.totals.subtotal, o.totals.discount, "totals.total"),
                          o.totals.shipping, "totals.total");

  canonical::Customer customer;
  customer.id = buyer_id;
  customer.name = joinName(r.text(order, "customer_first_name"sv, "order.customer_first_name"),
                           r.text(order, "customer_last_name"sv, "order.customer_last_name"));
  if (!customer.empty()) {
    o.customer = customer;
  }
  o.ship_to = readAddress(r, order, "address_shipping"sv, ctx);
  o.bill_to = readAddress(r, order, "address_billing"sv, ctx);

  canonical::Shipping shipping;
  shipping.method = method;
  shipping.service_level = service_level;
  shipping.ship_by = ship_by ? ship_by : promised;
  if (!shipping.ship_by) {
    shipping.ship_by = r.time(order, "promised_shipping_times"sv, "order.promised_shipping_times",
                              ctx.zone);
  }
  if (!shipping.method.empty() || !shipping.service_level.empty() || shipping.ship_by) {
    o.shipping = shipping;
  }

  if (o.channel.order_id.empty()) {
    r.add("order.order_id", "required");
  }
  o.order_key = canonical::makeOrderKey(ctx.channel_id, o.channel.order_id);
  o.source.received_at = ctx.received_at;
  o.source.delivery_id = std::string(ctx.delivery_id);
  o.source.topic = "trade_order";
  if (!r.errors.empty()) {
    return tl::unexpected(std::move(r.errors));
  }
  return o;
}

}  // namespace ordergate::adapters::lazada
