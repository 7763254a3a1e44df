#include "adapters/shopify/shopify_adapter.hpp"

#include <array>

#include "adapters/shopify/shopify_order.hpp"
#include "canonical/validate.hpp"

namespace ordergate::adapters::shopify {
namespace {

using namespace std::string_view_literals;

constexpr std::array kFullOrderTopics = {
    "orders/create"sv,    "orders/updated"sv,   "orders/paid"sv,
    "orders/cancelled"sv, "orders/fulfilled"sv, "orders/partially_fulfilled"sv,
};

// Header names. Shopify's "Events" delivery type sends the same headers without the `X-`
// prefix (and currently both sets); when the un-prefixed HMAC is present we read only the
// un-prefixed names, so a delivery is verified and identified with one consistent set.
struct HeaderNames {
  std::string_view hmac;
  std::string_view topic;
  std::string_view shop;
  std::string_view event_id;
  std::string_view webhook_id;
};

constexpr HeaderNames kPrefixed{"X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain",
                                "X-Shopify-Event-Id", "X-Shopify-Webhook-Id"};
constexpr HeaderNames kUnprefixed{"shopify-hmac-sha256", "shopify-topic", "shopify-shop-domain",
                                  "shopify-event-id", "shopify-webhook-id"};

const HeaderNames& headerNames(const HeaderView& headers) {
  return headers.has(kUnprefixed.hmac) ? kUnprefixed : kPrefixed;
}

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// The delivery's own id: X-Shopify-Event-Id, else X-Shopify-Webhook-Id.
std::string_view deliveryIdOf(const HeaderView& headers, const HeaderNames& names) {
  const std::string_view id = trim(headers.get(names.event_id));
  return id.empty() ? trim(headers.get(names.webhook_id)) : id;
}

tl::unexpected<Error> unauthenticated(std::string message) {
  return fail(ErrorCode::kUnauthenticated, std::move(message));
}

}  // namespace

TopicKind classifyTopic(std::string_view topic) {
  for (std::string_view t : kFullOrderTopics) {
    if (t == topic) {
      return TopicKind::kFullOrder;
    }
  }
  return TopicKind::kNoOrder;
}

std::string ignoreReason(std::string_view topic) {
  std::string reason = "topic ";
  reason.append(topic).append(" carries no full order");
  if (topic == "orders/delete"sv) {
    reason.append(" (only the id of a deleted order); deletion is not forwarded");
  } else if (topic == "orders/edited"sv) {
    reason.append(" (an order-edit summary); the edited order arrives as orders/updated");
  } else if (topic == "refunds/create"sv) {
    reason.append(" (a Refund resource); the refunded order arrives as orders/updated");
  } else {
    reason.append(" (not an order topic the shopify adapter handles)");
  }
  return reason;
}

Result<ShopifyConfig> parseConfig(const AdapterContext& ctx) {
  const Settings& s = ctx.settings;
  if (auto ok = s.allowOnly({"adapter", "secret", "shop", "timezone"}); !ok) {
    return tl::unexpected(ok.error());
  }
  ShopifyConfig config;
  config.channel_id = ctx.channel_id;
  auto secrets = s.list("secret");
  if (!secrets) {
    return tl::unexpected(secrets.error());
  }
  if (secrets->empty()) {
    return fail(ErrorCode::kConfig, "required (the app's client secret, or a list of two)",
                s.keyPath("secret"));
  }
  for (std::string& secret : *secrets) {
    if (trim(secret).empty()) {
      return fail(ErrorCode::kConfig, "must not be empty", s.keyPath("secret"));
    }
    config.secrets.emplace_back(std::move(secret));
  }
  auto shop = s.optional("shop");
  if (!shop) {
    return tl::unexpected(shop.error());
  }
  config.shop = std::move(*shop);
  auto zone_name = s.optional("timezone", "UTC");
  if (!zone_name) {
    return tl::unexpected(zone_name.error());
  }
  auto zone = canonical::findTimeZone(*zone_name);
  if (!zone) {
    return fail(ErrorCode::kConfig, zone.error().message, s.keyPath("timezone"));
  }
  config.zone = *zone;
  return config;
}

Result<void> ShopifyAdapter::verify(const InboundMessage& msg) const {
  const HeaderNames& names = headerNames(msg.headers);
  const std::string_view signature = trim(msg.headers.get(names.hmac));
  if (signature.empty()) {
    return unauthenticated("missing " + std::string(names.hmac));
  }
  if (msg.body.empty()) {
    return unauthenticated("empty body");
  }
  bool matched = false;
  for (const HmacSha256& secret : config_.secrets) {
    // Every secret is tried (no early exit), so timing does not tell which one matched.
    const std::string digest = secret.digest(msg.body);
    if (digest.size() == HmacSha256::kDigestSize &&
        constantTimeEquals(base64Encode(digest), signature)) {
      matched = true;
    }
  }
  if (!matched) {
    return unauthenticated("signature mismatch");
  }
  if (!config_.shop.empty() && !iequals(trim(msg.headers.get(names.shop)), config_.shop)) {
    return unauthenticated("shop not allowed");
  }
  return {};
}

std::string ShopifyAdapter::deliveryKey(const InboundMessage& msg) const {
  const HeaderNames& names = headerNames(msg.headers);
  const std::string_view id = deliveryIdOf(msg.headers, names);
  const std::string_view topic = trim(msg.headers.get(names.topic));
  if (id.empty() || topic.empty()) {
    return {};
  }
  const std::string_view shop = trim(msg.headers.get(names.shop));
  std::string key;
  key.reserve(topic.size() + shop.size() + id.size() + 2);
  key.append(topic).append(":").append(shop).append(":").append(id);
  return key;
}

Normalized ShopifyAdapter::normalize(const InboundMessage& msg) const {
  const HeaderNames& names = headerNames(msg.headers);
  Normalized out;
  out.delivery_id = std::string(deliveryIdOf(msg.headers, names));
  const std::string_view topic = trim(msg.headers.get(names.topic));
  if (topic.empty()) {
    out.errors.push_back({std::string(names.topic), "missing header: the topic is unknown"});
    return out;
  }
  if (classifyTopic(topic) == TopicKind::kNoOrder) {
    out.ignored = ignoreReason(topic);
    out.ignored_topic = std::string(topic);
    return out;
  }

  const OrderContext ctx{config_.channel_id,
                         trim(msg.headers.get(names.shop)),
                         topic,
                         out.delivery_id,
                         msg.received_at,
                         config_.zone};
  // The order is read into the event it will travel in: an Order is ~40 strings, each move
  // of it costs.
  canonical::CanonicalEvent& event = out.events.emplace_back();
  canonical::Order& order = std::get<canonical::Order>(event.data);
  auto cancelled = parseOrderInto(msg.body, ctx, order);
  if (!cancelled) {
    out.events.clear();
    out.errors = std::move(cancelled.error());
    return out;
  }
  FieldErrors invalid = canonical::validate(order);
  if (!invalid.empty()) {
    out.events.clear();
    out.errors = std::move(invalid);
    return out;
  }

  event.type = (topic == "orders/cancelled"sv || *cancelled) ? canonical::EventType::kOrderCancelled
                                                             : canonical::EventType::kOrderUpdated;
  event.source = "/channels/" + config_.channel_id;
  event.subject = order.order_key;
  event.version = order.version;
  event.time = order.updated_at.value_or(msg.received_at);
  event.received_at = msg.received_at;
  // Several topics can share one X-Shopify-Event-Id (orders/updated and orders/paid for one
  // change): the delivery-level dedup key includes the topic so neither hides the other.
  if (!out.delivery_id.empty()) {
    out.delivery_id = std::string(topic) + ":" + out.delivery_id;
  }
  return out;
}

Result<ChannelAdapterPtr> createShopifyAdapter(const AdapterContext& ctx) {
  auto config = parseConfig(ctx);
  if (!config) {
    return tl::unexpected(config.error());
  }
  return std::make_shared<const ShopifyAdapter>(std::move(*config));
}

}  // namespace ordergate::adapters::shopify
