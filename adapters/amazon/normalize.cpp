#include "adapters/amazon/normalize.hpp"

#include "adapters/amazon/fast_parse.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

#include "canonical/country.hpp"
#include "canonical/event.hpp"
#include "canonical/validate.hpp"

namespace ordergate::adapters::amazon {
namespace {

using canonical::MinorUnits;
using canonical::Money;
using canonical::OrderStatus;
using canonical::PaymentStatus;
using canonical::Timestamp;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

void add(Money& sum, const Money& value) {
  if (value) {
    sum = sum.value_or(0) + *value;
  }
}

// What a line needs besides its OrderLine while rows are added. Lines are built in place in
// the order's own vector; this side data stays on the stack for the usual few lines.
struct LineExtra {
  Money price;  // item-price: the row total for the quantity
  std::size_t first_row_line = 0;
};

class LineExtras {
 public:
  LineExtra& operator[](std::size_t i) { return i < kInline ? inline_[i] : overflow_[i - kInline]; }
  LineExtra& add() {
    if (size_ < kInline) {
      return inline_[size_++];
    }
    ++size_;
    return overflow_.emplace_back();
  }

 private:
  static constexpr std::size_t kInline = 8;
  std::array<LineExtra, kInline> inline_{};
  std::vector<LineExtra> overflow_;
  std::size_t size_ = 0;
};

// The Order to fill: the one `out` already holds, cleared (its strings keep their buffers, see
// AmazonFileReader::nextInto), or a new one.
canonical::Order& freshOrder(FileOrder& out) {
  if (out.event && std::holds_alternative<canonical::Order>(out.event->data)) {
    canonical::Order& order = std::get<canonical::Order>(out.event->data);
    canonical::clearForReuse(order);
    return order;
  }
  return out.event.emplace().data.emplace<canonical::Order>();
}

class OrderBuilder {
 public:
  // The order is built in place inside out.event (no moves of the large Order afterwards);
  // out.event is reset when the order has problems.
  OrderBuilder(const ReportLayout& layout, const NormalizeConfig& config, FileOrder& out)
      : layout_(layout), config_(config), out_(out), order_(freshOrder(out)) {}

  void build(std::span<const RowView> rows);

 private:
  std::string_view cell(const RowView& row, Column c) const {
    const std::size_t i = layout_.at(c);
    return i < row.cells.size() ? row.cells[i] : std::string_view{};
  }

  void problem(std::size_t line, Column c, std::string message) {
    out_.problems.push_back(
        FileProblem{line, std::string(columnName(layout_.kind, c)), std::move(message)});
  }

  Money amount(const RowView& row, Column c, bool absolute) {
    const std::string_view text = trim(cell(row, c));
    if (text.empty() || !currency_ok_) {
      return std::nullopt;
    }
    std::optional<MinorUnits> fast = fastMoney(text, exponent_);
    if (!fast) {
      auto value = canonical::parseMoney(text, currency_);
      if (!value) {
        problem(row.line, c, value.error().message);
        return std::nullopt;
      }
      fast = *value;
    }
    return absolute ? std::llabs(*fast) : *fast;
  }

  std::optional<Timestamp> time(const RowView& row, Column c) {
    const std::string_view text = trim(cell(row, c));
    if (text.empty()) {
      return std::nullopt;
    }
    auto t = parseReportTime(text, config_.zone);
    if (!t) {
      problem(row.line, c, t.error().message);
      return std::nullopt;
    }
    return *t;
  }

  void resolveCurrency(std::span<const RowView> rows);
  void resolveStatus(const RowView& first);
  void addRow(const RowView& row);
  void finishLines();
  void fillOrderFields(const RowView& first);

  const ReportLayout& layout_;
  const NormalizeConfig& config_;
  FileOrder& out_;
  canonical::Order& order_;
  std::string currency_;
  bool currency_ok_ = false;
  int exponent_ = 2;
  bool priced_ = true;  // false for pending orders: Amazon has no final prices yet
  LineExtras extras_;
  std::optional<Timestamp> updated_;
  Money subtotal_, discount_, shipping_, tax_, gift_wrap_;
  std::size_t shipped_items_ = 0;
  std::size_t unshipped_items_ = 0;
};

void OrderBuilder::resolveCurrency(std::span<const RowView> rows) {
  for (const RowView& row : rows) {
    const std::string_view c = trim(cell(row, Column::kCurrency));
    if (c.empty()) {
      continue;
    }
    if (currency_.empty()) {
      currency_ = c;
    } else if (c != currency_) {
      problem(row.line, Column::kCurrency,
              "currency \"" + std::string(c) + "\" differs from \"" + currency_ +
                  "\" on another row of the order");
    }
  }
  if (currency_.empty()) {
    currency_ = marketplaceCurrency(trim(cell(rows.front(), Column::kSalesChannel)));
  }
  const auto exponent = canonical::currencyExponent(currency_);
  currency_ok_ = !currency_.empty() && exponent.has_value();
  exponent_ = exponent.value_or(2);
  if (!currency_.empty() && !currency_ok_) {
    problem(rows.front().line, Column::kCurrency,
            "unknown ISO 4217 currency \"" + currency_ + "\"");
  }
}

void OrderBuilder::resolveStatus(const RowView& first) {
  if (layout_.kind == ReportKind::kShipping) {
    // The shipping order report lists orders to ship: no status column; paid once a payment
    // date is set.
    const bool paid = !trim(cell(first, Column::kPaymentsDate)).empty();
    order_.status = paid ? OrderStatus::kOpen : OrderStatus::kPendingPayment;
    order_.payment_status = paid ? PaymentStatus::kPaid : PaymentStatus::kPending;
    return;
  }
  const std::string_view text = trim(cell(first, Column::kOrderStatus));
  order_.channel.status = text;
  if (auto mapped = mapOrderStatus(text)) {
    order_.status = mapped->first;
    order_.payment_status = mapped->second;
  } else {
    problem(first.line, Column::kOrderStatus, "unknown order-status \"" + std::string(text) + "\"");
  }
  priced_ = order_.status != OrderStatus::kPendingPayment;
}

void OrderBuilder::addRow(const RowView& row) {
  const std::string_view qty_text = trim(cell(row, Column::kQuantity));
  std::int64_t qty = 0;
  if (!qty_text.empty()) {
    const auto [end, ec] = std::from_chars(qty_text.data(), qty_text.data() + qty_text.size(), qty);
    if (ec != std::errc() || end != qty_text.data() + qty_text.size() || qty < 0) {
      problem(row.line, Column::kQuantity,
              "not a whole number of units: \"" + std::string(qty_text) + "\"");
      qty = 0;
    }
  }
  Money price, item_tax, item_discount;
  if (priced_) {
    price = amount(row, Column::kItemPrice, false);
    item_tax = amount(row, Column::kItemTax, false);
    item_discount = amount(row, Column::kItemPromotionDiscount, true);
    add(subtotal_, price);
    add(tax_, item_tax);
    add(discount_, item_discount);
    add(discount_, amount(row, Column::kShipPromotionDiscount, true));
    add(shipping_, amount(row, Column::kShippingPrice, false));
    add(tax_, amount(row, Column::kShippingTax, false));
    add(gift_wrap_, amount(row, Column::kGiftWrapPrice, false));
    add(tax_, amount(row, Column::kGiftWrapTax, false));
    if (price && qty > 0 && *price % qty != 0) {
      problem(row.line, Column::kItemPrice,
              "item-price " + std::string(trim(cell(row, Column::kItemPrice))) +
                  " is not divisible by quantity " + std::to_string(qty) +
                  " into a whole unit price in " + currency_);
    }
  }
  if (layout_.kind == ReportKind::kAllOrders) {
    if (auto t = time(row, Column::kLastUpdatedDate); t && (!updated_ || *t > *updated_)) {
      updated_ = t;
    }
  } else if (auto t = time(row, Column::kPaymentsDate); t && (!updated_ || *t > *updated_)) {
    updated_ = t;
  }
  const std::string_view sku = trim(cell(row, Column::kSku));
  const std::string_view asin = trim(cell(row, Column::kAsin));
  std::string_view key = layout_.kind == ReportKind::kShipping
                             ? trim(cell(row, Column::kOrderItemId))
                             : (sku.empty() ? asin : sku);
  if (key.empty()) {
    problem(row.line, layout_.kind == ReportKind::kShipping ? Column::kOrderItemId : Column::kSku,
            "row has no item identifier (sku or asin)");
    return;
  }
  const std::string_view item_status = trim(cell(row, Column::kItemStatus));
  if (qty > 0 && item_status == "Shipped") {
    ++shipped_items_;
  } else if (qty > 0 && item_status == "Unshipped") {
    ++unshipped_items_;
  }
  std::vector<canonical::OrderLine>& lines = order_.lines;
  std::size_t at = 0;
  while (at < lines.size() && lines[at].line_id != key) {
    ++at;
  }
  if (at == lines.size()) {
    canonical::OrderLine& line = lines.emplace_back();
    extras_.add().first_row_line = row.line;
    line.line_id = key;
    line.sku = sku;
    line.channel_sku = asin;
    line.title = cell(row, Column::kProductName);
    line.status = item_status;
  }
  canonical::OrderLine& line = lines[at];
  line.quantity += qty;
  add(extras_[at].price, price);
  add(line.tax, item_tax);
  add(line.discount, item_discount);
}

void OrderBuilder::finishLines() {
  std::vector<canonical::OrderLine>& lines = order_.lines;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    canonical::OrderLine& line = lines[i];
    if (line.quantity == 0) {
      continue;  // Amazon writes quantity 0 for cancelled items: nothing to ship or charge
    }
    const LineExtra& extra = extras_[i];
    if (extra.price) {
      if (*extra.price % line.quantity == 0) {
        line.unit_price = *extra.price / line.quantity;
      } else if (out_.problems.empty()) {
        problem(extra.first_row_line, Column::kItemPrice,
                "item-price total " + canonical::formatMoney(*extra.price, currency_) +
                    " of the rows of item " + line.line_id + " is not divisible by quantity " +
                    std::to_string(line.quantity));
      }
      if (order_.taxes_included) {
        line.total = *extra.price - line.discount.value_or(0) +
                     (*order_.taxes_included ? 0 : line.tax.value_or(0));
      }
    }
    if (kept != i) {
      lines[kept] = std::move(line);
    }
    ++kept;
  }
  lines.resize(kept);
}

void OrderBuilder::fillOrderFields(const RowView& first) {
  canonical::Order& o = order_;
  const std::string_view order_id = trim(cell(first, Column::kOrderId));
  o.order_key = canonical::makeOrderKey(config_.channel_id, order_id);
  o.channel.type = "amazon";
  o.channel.id = config_.channel_id;
  o.channel.order_id = order_id;
  o.channel.order_number = trim(cell(first, Column::kMerchantOrderId));
  const std::string_view sales_channel = trim(cell(first, Column::kSalesChannel));
  o.channel.store = !config_.marketplace.empty() ? std::string_view(config_.marketplace)
                    : !config_.seller_id.empty() ? std::string_view(config_.seller_id)
                                                 : sales_channel;
  o.placed_at = time(first, Column::kPurchaseDate);
  o.currency = currency_;
  o.taxes_included = marketplaceTaxesIncluded(sales_channel);

  canonical::Address& to = o.ship_to.emplace();
  to.city = trim(cell(first, Column::kShipCity));
  to.region = trim(cell(first, Column::kShipState));
  to.postal_code = trim(cell(first, Column::kShipPostalCode));
  const std::string_view country = trim(cell(first, Column::kShipCountry));
  if (!country.empty()) {
    if (auto code = canonical::normalizeCountry(country)) {
      to.country_code = *code;
    } else {
      problem(first.line, Column::kShipCountry, "unknown country \"" + std::string(country) + "\"");
    }
  }
  if (layout_.kind == ReportKind::kShipping) {
    to.name = trim(cell(first, Column::kRecipientName));
    to.line1 = trim(cell(first, Column::kShipAddress1));
    to.line2 = trim(cell(first, Column::kShipAddress2));
    if (const auto line3 = trim(cell(first, Column::kShipAddress3)); !line3.empty()) {
      to.line2.append(to.line2.empty() ? "" : ", ").append(line3);
    }
    to.phone = trim(cell(first, Column::kShipPhone));
    canonical::Customer customer;
    customer.email = trim(cell(first, Column::kBuyerEmail));
    customer.name = trim(cell(first, Column::kBuyerName));
    customer.phone = trim(cell(first, Column::kBuyerPhone));
    if (!customer.empty()) {
      o.customer = std::move(customer);
    }
  }
  if (to.city.empty() && to.region.empty() && to.postal_code.empty() &&
      to.country_code.empty() && to.name.empty() && to.line1.empty()) {
    o.ship_to.reset();
  }
  canonical::Shipping& shipping = o.shipping.emplace();
  shipping.method = trim(cell(first, Column::kShipServiceLevel));
  shipping.service_level = shipping.method;
  shipping.ship_by = time(first, Column::kLatestShipDate);
  shipping.deliver_by = time(first, Column::kLatestDeliveryDate);
  if (shipping.method.empty() && !shipping.ship_by && !shipping.deliver_by) {
    o.shipping.reset();
  }
}

void OrderBuilder::build(std::span<const RowView> rows) {
  const RowView& first = rows.front();
  order_.lines.reserve(rows.size());  // at most one line per row: one allocation
  resolveStatus(first);
  resolveCurrency(rows);
  for (const RowView& row : rows) {
    addRow(row);
  }
  fillOrderFields(first);
  if (!updated_) {
    updated_ = order_.placed_at;  // the newest date the rows carry
  }
  finishLines();
  if (!out_.problems.empty()) {
    return;
  }
  canonical::Order& o = order_;
  if ((o.status == OrderStatus::kOpen || o.status == OrderStatus::kShipped) && shipped_items_ > 0 &&
      unshipped_items_ > 0) {
    o.status = OrderStatus::kPartiallyShipped;
  }
  o.totals.subtotal = subtotal_;
  o.totals.discount = discount_;
  o.totals.shipping = shipping_;
  o.totals.tax = tax_;
  if (subtotal_ && o.taxes_included) {
    o.totals.total = *subtotal_ + shipping_.value_or(0) + gift_wrap_.value_or(0) -
                     discount_.value_or(0) + (*o.taxes_included ? 0 : tax_.value_or(0));
  }
  o.updated_at = updated_;
  if (updated_) {
    o.version = canonical::formatRfc3339(*updated_);
  }
  o.source.received_at = config_.received_at;
  o.source.delivery_id = config_.file_name;
  o.source.topic = layout_.report_type;
  o.source.line.clear();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    o.source.line.append(i == 0 ? "" : ",").append(std::to_string(rows[i].line));
  }
  for (const FieldError& e : canonical::validate(o)) {
    out_.problems.push_back(FileProblem{first.line, e.field, e.message});
  }
  if (!out_.problems.empty()) {
    return;
  }
  canonical::CanonicalEvent& event = *out_.event;
  event.type = o.status == OrderStatus::kCancelled ? canonical::EventType::kOrderCancelled
                                                   : canonical::EventType::kOrderUpdated;
  event.source = "/channels/" + config_.channel_id;
  event.subject = o.order_key;
  event.version = o.version;
  event.time = *updated_;
  event.received_at = config_.received_at;
}

struct MarketplaceInfo {
  std::string_view sales_channel;
  std::string_view currency;
  bool taxes_included;
};

constexpr MarketplaceInfo kMarketplaces[] = {
    {"Amazon.com", "USD", false},   {"Amazon.ca", "CAD", false},   {"Amazon.com.mx", "MXN", true},
    {"Amazon.com.br", "BRL", true}, {"Amazon.co.uk", "GBP", true}, {"Amazon.de", "EUR", true},
    {"Amazon.fr", "EUR", true},     {"Amazon.it", "EUR", true},    {"Amazon.es", "EUR", true},
    {"Amazon.nl", "EUR", true},     {"Amazon.com.be", "EUR", true}, {"Amazon.ie", "EUR", true},
    {"Amazon.se", "SEK", true},     {"Amazon.pl", "PLN", true},    {"Amazon.com.tr", "TRY", true},
    {"Amazon.ae", "AED", true},     {"Amazon.sa", "SAR", true},    {"Amazon.eg", "EGP", true},
    {"Amazon.in", "INR", true},     {"Amazon.co.jp", "JPY", true}, {"Amazon.com.au", "AUD", true},
    {"Amazon.sg", "SGD", true},
};

const MarketplaceInfo* findMarketplace(std::string_view sales_channel) {
  for (const MarketplaceInfo& m : kMarketplaces) {
    if (m.sales_channel.size() == sales_channel.size() &&
        std::equal(m.sales_channel.begin(), m.sales_channel.end(), sales_channel.begin(),
                   [](char a, char b) { return (a | 0x20) == (b | 0x20); })) {
      return &m;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::pair<OrderStatus, PaymentStatus>> mapOrderStatus(std::string_view text) {
  using P = std::pair<OrderStatus, PaymentStatus>;
  if (text == "Pending" || text == "PendingAvailability") {
    return P{OrderStatus::kPendingPayment, PaymentStatus::kPending};
  }
  if (text == "Unshipped" || text == "Shipping") {
    return P{OrderStatus::kOpen, PaymentStatus::kPaid};
  }
  if (text == "PartiallyShipped" || text == "Partially Shipped") {
    return P{OrderStatus::kPartiallyShipped, PaymentStatus::kPaid};
  }
  if (text == "Shipped" || text == "Complete" || text == "InvoiceUnconfirmed") {
    return P{OrderStatus::kShipped, PaymentStatus::kPaid};
  }
  if (text == "Cancelled" || text == "Canceled") {
    return P{OrderStatus::kCancelled, PaymentStatus::kUnknown};
  }
  if (text == "Unfulfillable") {
    return P{OrderStatus::kFailed, PaymentStatus::kUnknown};
  }
  return std::nullopt;
}

std::string_view marketplaceCurrency(std::string_view sales_channel) {
  const MarketplaceInfo* m = findMarketplace(sales_channel);
  return m == nullptr ? std::string_view{} : m->currency;
}

std::optional<bool> marketplaceTaxesIncluded(std::string_view sales_channel) {
  const MarketplaceInfo* m = findMarketplace(sales_channel);
  return m == nullptr ? std::nullopt : std::optional<bool>(m->taxes_included);
}

void normalizeOrder(const ReportLayout& layout, const NormalizeConfig& config,
                    std::span<const RowView> rows, FileOrder& out) {
  if (rows.empty()) {
    return;
  }
  OrderBuilder(layout, config, out).build(rows);
  if (!out.problems.empty()) {
    out.event.reset();
  }
}

}  // namespace ordergate::adapters::amazon
