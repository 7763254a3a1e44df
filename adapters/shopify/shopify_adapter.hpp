#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/common/crypto.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::shopify {

/// How a webhook topic is handled.
enum class TopicKind {
  kFullOrder,  ///< the body is the full REST Order resource → one canonical order event
  kNoOrder,    ///< acknowledged and counted, nothing forwarded (orders/delete, refunds/create …)
};

/// Classifies an `X-Shopify-Topic` value. Unknown topics are kNoOrder. Thread-safe.
[[nodiscard]] TopicKind classifyTopic(std::string_view topic);

/// The `Normalized::ignored` text for a topic without a full order payload, naming the topic
/// that carries the change instead, e.g. "topic refunds/create carries no full order (a Refund
/// resource); the refunded order arrives as orders/updated".
[[nodiscard]] std::string ignoreReason(std::string_view topic);

/// Validated channel configuration, immutable after create().
struct ShopifyConfig {
  std::string channel_id;
  std::vector<HmacSha256> secrets;     ///< one, or two during a secret rotation; any may match
  std::string shop;                    ///< expected X-Shopify-Shop-Domain; empty: any shop
  canonical::TimeZone zone = nullptr;  ///< for timestamps without an offset (UTC by default)
};

/// Reads the channel block: `secret` (a string or a list of strings, required, non-empty),
/// `shop` (optional `*.myshopify.com` domain), `timezone` (optional IANA name). Unknown keys
/// are kConfig errors naming their path.
[[nodiscard]] Result<ShopifyConfig> parseConfig(const AdapterContext& ctx);

/// Shopify order webhooks (HMAC-SHA256 over the raw body, base64) → canonical order events.
/// Immutable; verify() and normalize() are thread-safe.
class ShopifyAdapter final : public ChannelAdapter {
 public:
  explicit ShopifyAdapter(ShopifyConfig config) : config_(std::move(config)) {}

  [[nodiscard]] std::string_view type() const override { return "shopify"; }
  /// kUnauthenticated with the reason: "missing X-Shopify-Hmac-Sha256", "empty body",
  /// "signature mismatch", "shop not allowed". Constant-time comparison per secret.
  [[nodiscard]] Result<void> verify(const InboundMessage& msg) const override;
  /// Full-order topics → one event (order.cancelled when cancelled, else order.updated: the
  /// pipeline turns an order's first event into order.created); other topics → ignored.
  [[nodiscard]] Normalized normalize(const InboundMessage& msg) const override;
  /// "<topic>:<shop domain>:<X-Shopify-Event-Id, else X-Shopify-Webhook-Id>"; empty without
  /// topic or id. Shopify retries a webhook with the same headers; one event id can be shared
  /// by several topics (orders/updated and orders/paid), hence the topic.
  [[nodiscard]] std::string deliveryKey(const InboundMessage& msg) const override;

  [[nodiscard]] const ShopifyConfig& config() const { return config_; }

 private:
  ShopifyConfig config_;
};

/// The factory registered as "shopify" in registerBuiltinAdapters().
[[nodiscard]] Result<ChannelAdapterPtr> createShopifyAdapter(const AdapterContext& ctx);

}  // namespace ordergate::adapters::shopify
