#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/adapter.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/lazada/lazada_push.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::lazada {

/// Validated channel configuration, immutable after create().
struct LazadaConfig {
  std::string channel_id;
  std::string app_key;
  HmacSha256 app_secret{std::string()};
  std::string api_url;       ///< regional gateway, e.g. https://api.lazada.sg/rest
  std::string access_token;  ///< the seller's token (refresh is not implemented)
  std::string refresh_token;
  std::string seller_id;     ///< expected seller; empty: any
  std::optional<Site> site;  ///< configured venture: currency/country/zone fallback
  std::optional<canonical::TimeZone> zone;  ///< `timezone`; else the push site's zone
  std::chrono::seconds auth_retry{300};     ///< next try of a job while the token is refused
  /// Each venture's zone, resolved once: site code → zone.
  std::array<std::pair<std::string_view, canonical::TimeZone>, 6> site_zones{};
};

/// Reads the channel block: `app_key`, `app_secret`, `api_url` (http(s)://…), `access_token`
/// (required); `refresh_token`, `seller_id`, `site` (lazada_sg …), `timezone` (IANA),
/// `auth_retry_seconds` (optional). Unknown keys are kConfig errors naming their path.
[[nodiscard]] Result<LazadaConfig> parseConfig(const AdapterContext& ctx);

/// The REST side: GetOrder + GetOrderItems, signed; their answers → canonical events or a
/// retry / alert / dead-letter decision (the one error table is in lazada_puller.cpp).
class LazadaPuller final : public ChannelPuller {
 public:
  explicit LazadaPuller(const LazadaConfig& config) : config_(config) {}
  [[nodiscard]] std::vector<ApiCall> calls(const PullRequest& request,
                                           canonical::Timestamp now) const override;
  [[nodiscard]] PullOutcome interpret(const PullRequest& request,
                                      const std::vector<ApiResponse>& responses,
                                      canonical::Timestamp received_at) const override;

 private:
  const LazadaConfig& config_;
};

/// Lazada Open Platform pushes (LPM): verifies `Authorization`, turns trade-order messages into
/// pulls keyed by order id, acknowledges other message types as ignored. Immutable;
/// thread-safe.
class LazadaAdapter final : public ChannelAdapter {
 public:
  explicit LazadaAdapter(LazadaConfig config) : config_(std::move(config)), puller_(config_) {}
  LazadaAdapter(const LazadaAdapter&) = delete;
  LazadaAdapter& operator=(const LazadaAdapter&) = delete;

  [[nodiscard]] std::string_view type() const override { return "lazada"; }
  /// kUnauthenticated: "missing Authorization", "signature mismatch", "seller not allowed".
  [[nodiscard]] Result<void> verify(const InboundMessage& msg) const override;
  /// Trade-order pushes → one pull (delivery_id = dedupKey()); others → ignored; unreadable →
  /// errors (quarantine).
  [[nodiscard]] Normalized normalize(const InboundMessage& msg) const override;
  [[nodiscard]] const ChannelPuller* puller() const override { return &puller_; }

  [[nodiscard]] const LazadaConfig& config() const { return config_; }

 private:
  LazadaConfig config_;
  LazadaPuller puller_;
};

/// Header a quarantined fetch carries so that replaying it queues a fresh fetch instead of being
/// answered as a duplicate push.
inline constexpr std::string_view kRefetchHeader = "X-Ordergate-Refetch";

/// The factory registered as "lazada" in registerBuiltinAdapters().
[[nodiscard]] Result<ChannelAdapterPtr> createLazadaAdapter(const AdapterContext& ctx);

}  // namespace ordergate::adapters::lazada
