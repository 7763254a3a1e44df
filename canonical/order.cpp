#include "canonical/order.hpp"

#include <array>
#include <utility>

namespace ordergate::canonical {
namespace {

// Indexed by the enum's value; the strings are the contract of CANONICAL.md.
constexpr std::array<std::string_view, 8> kOrderStatusNames = {
    "pending_payment", "open",      "partially_shipped", "shipped",
    "delivered",       "cancelled", "returned",          "failed",
};

constexpr std::array<std::string_view, 7> kPaymentStatusNames = {
    "pending", "authorized", "paid", "partially_refunded", "refunded", "voided", "unknown",
};

template <class Enum, std::size_t N>
std::optional<Enum> parseByName(const std::array<std::string_view, N>& names,
                                std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) {
      return static_cast<Enum>(i);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(OrderStatus s) {
  return kOrderStatusNames.at(static_cast<std::size_t>(s));
}

std::string_view toString(PaymentStatus s) {
  return kPaymentStatusNames.at(static_cast<std::size_t>(s));
}

std::optional<OrderStatus> parseOrderStatus(std::string_view text) {
  return parseByName<OrderStatus>(kOrderStatusNames, text);
}

std::optional<PaymentStatus> parsePaymentStatus(std::string_view text) {
  return parseByName<PaymentStatus>(kPaymentStatusNames, text);
}

void clearForReuse(Order& order) {
#if defined(__x86_64__) && defined(__GLIBCXX__)
  static_assert(sizeof(Order) == 1384, "Order changed: reset the new field here");
#endif
  order.order_key.clear();
  for (std::string* text : {&order.channel.type, &order.channel.id, &order.channel.order_id,
                            &order.channel.order_number, &order.channel.store,
                            &order.channel.status, &order.version, &order.currency,
                            &order.source.delivery_id, &order.source.topic, &order.source.line}) {
    text->clear();
  }
  order.status = OrderStatus::kOpen;
  order.payment_status = PaymentStatus::kUnknown;
  order.placed_at.reset();
  order.updated_at.reset();
  order.taxes_included.reset();
  order.totals = Totals{};
  order.lines.clear();
  order.customer.reset();
  order.ship_to.reset();
  order.bill_to.reset();
  order.shipping.reset();
  order.test = false;
  order.source.received_at = Timestamp{};
}

std::string makeOrderKey(std::string_view channel_id, std::string_view order_id) {
  std::string key;
  key.reserve(channel_id.size() + 1 + order_id.size());
  key.append(channel_id).append(":").append(order_id);
  return key;
}

}  // namespace ordergate::canonical
