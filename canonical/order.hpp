#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/money.hpp"
#include "canonical/time.hpp"

namespace ordergate::canonical {

// The canonical order of CANONICAL.md (v1). Field names are a contract with the OMS.
// Strings: empty means absent (the JSON writer omits them). Money: nullopt means absent.

enum class OrderStatus {
  kPendingPayment,
  kOpen,
  kPartiallyShipped,
  kShipped,
  kDelivered,
  kCancelled,
  kReturned,
  kFailed,
};

enum class PaymentStatus {
  kPending,
  kAuthorized,
  kPaid,
  kPartiallyRefunded,
  kRefunded,
  kVoided,
  kUnknown,
};

using Money = std::optional<MinorUnits>;

/// Where an event came from, for tracing it back (`source` object in the JSON).
struct SourceInfo {
  Timestamp received_at{};
  std::string delivery_id;  ///< the channel's delivery / webhook / file id, when it has one
  std::string topic;        ///< the channel's topic / message type / report type
  std::string line;         ///< for flat files: the file's line numbers, e.g. "12,57"
};

struct ChannelRef {
  std::string type;  ///< "shopify", "amazon", "lazada", "canonical" or a mapping's name
  std::string id;    ///< configured channel id
  std::string order_id;
  std::string order_number;
  std::string store;   ///< shop domain / marketplace id / seller id
  std::string status;  ///< the channel's own status text
};

struct Totals {
  Money subtotal;
  Money discount;
  Money shipping;
  Money tax;
  Money total;
};

struct Customer {
  std::string id;
  std::string email;
  std::string name;
  std::string phone;
  [[nodiscard]] bool empty() const { return id.empty() && email.empty() && name.empty() && phone.empty(); }
};

struct Address {
  std::string name;
  std::string company;
  std::string line1;
  std::string line2;
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country_code;  ///< ISO 3166-1 alpha-2
  std::string phone;
};

struct Shipping {
  std::string method;         ///< the channel's text
  std::string service_level;  ///< e.g. "Standard", "Expedited", "NextDay"
  std::optional<Timestamp> ship_by;
  std::optional<Timestamp> deliver_by;
};

struct OrderLine {
  std::string line_id;      ///< channel's line / order-item id
  std::string sku;          ///< merchant SKU
  std::string channel_sku;  ///< ASIN, shop SKU, variant id
  std::string title;
  std::int64_t quantity = 0;
  Money unit_price;
  Money discount;  ///< whole line
  Money tax;       ///< whole line
  Money total;     ///< what the customer pays for the line
  // Extensions (CANONICAL.md allows adding fields):
  std::vector<std::string> item_ids;  ///< per-unit item ids the line groups (Lazada)
  std::string status;                 ///< the channel's own line status, when it has one
  std::string tracking_number;
  std::string shipping_provider;
};

struct Order {
  std::string order_key;  ///< "<channel id>:<channel order id>"
  ChannelRef channel;
  OrderStatus status = OrderStatus::kOpen;
  PaymentStatus payment_status = PaymentStatus::kUnknown;
  std::optional<Timestamp> placed_at;
  std::optional<Timestamp> updated_at;
  std::string version;   ///< the channel stamp used for ordering (usually updated_at, RFC 3339)
  std::string currency;  ///< ISO 4217
  std::optional<bool> taxes_included;
  Totals totals;
  std::vector<OrderLine> lines;
  std::optional<Customer> customer;
  std::optional<Address> ship_to;
  std::optional<Address> bill_to;
  std::optional<Shipping> shipping;
  bool test = false;
  SourceInfo source;
};

[[nodiscard]] std::string_view toString(OrderStatus s);
[[nodiscard]] std::string_view toString(PaymentStatus s);
[[nodiscard]] std::optional<OrderStatus> parseOrderStatus(std::string_view text);
[[nodiscard]] std::optional<PaymentStatus> parsePaymentStatus(std::string_view text);

/// Resets `order` to the state of a default-constructed Order but keeps the storage of its
/// strings and of `lines`, for readers that fill one Order after another (an Amazon report has
/// millions). Not for sharing: the order must not be in use elsewhere.
void clearForReuse(Order& order);

/// `<channel id>:<channel order id>`.
[[nodiscard]] std::string makeOrderKey(std::string_view channel_id, std::string_view order_id);

}  // namespace ordergate::canonical
