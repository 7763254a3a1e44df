#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "adapters/common/crypto.hpp"
#include "canonical/error.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::lazada {

/// One Lazada venture: the push's `site`, its country, currency and local time zone.
struct Site {
  std::string_view code;      ///< "lazada_sg"
  std::string_view country;   ///< ISO 3166-1 alpha-2, "SG"
  std::string_view currency;  ///< ISO 4217, "SGD"
  std::string_view zone;      ///< IANA, "Asia/Singapore"
};

/// Lower case with '-' and ' ' as '_': "LAZADA-SG" → "lazada_sg".
[[nodiscard]] std::string normalizeSiteText(std::string_view text);

/// The venture of a `site` value however spelled ("lazada_sg", "lazada-sg", "LAZADA_SG", "sg");
/// nullopt when unknown.
[[nodiscard]] std::optional<Site> findSite(std::string_view text);

/// The venture of an alpha-2 country code ("SG" → lazada_sg); nullopt when Lazada has none.
[[nodiscard]] std::optional<Site> siteOfCountry(std::string_view country);

/// An epoch value in seconds or milliseconds (Lazada uses both: values >= 10^11 are ms).
[[nodiscard]] canonical::Timestamp epochTime(std::int64_t seconds_or_millis);

/// `message_type` 0: trade / reverse order status change.
inline constexpr std::int64_t kTradeOrderMessage = 0;

/// The fields of a push that matter to the gateway.
struct PushMessage {
  std::string seller_id;
  std::int64_t message_type = -1;
  std::string site;          ///< normalizeSiteText() of `site`
  std::string order_id;      ///< data.trade_order_id (= order_id in the API)
  std::string line_id;       ///< data.trade_order_line_id
  std::string status;        ///< data.order_status, lower case
  std::string reverse_order_id;
  std::optional<canonical::Timestamp> status_time;  ///< data.status_update_time
  std::optional<canonical::Timestamp> pushed_at;    ///< top-level timestamp
};

/// Reads a push body. Ids may be strings or numbers. Only the envelope is required for
/// message types other than 0; a trade-order push also needs data.trade_order_id.
/// Errors carry field paths ("data.trade_order_id: required"). Thread-safe.
[[nodiscard]] tl::expected<PushMessage, FieldErrors> parsePush(std::string_view body);

/// The push's identity for deduplication: seller, order, line, status and status time (ms),
/// joined with '|'. A retried push that carries a newer status is a new identity; never a hash
/// of the body (Lazada re-reads the latest status before each retry).
[[nodiscard]] std::string dedupKey(const PushMessage& push);

/// The `Authorization` value Lazada sends: lowercase hex HMAC-SHA256(app_secret,
/// app_key + body). `secret` is keyed with the app secret.
[[nodiscard]] std::string pushSignature(const HmacSha256& secret, std::string_view app_key,
                                        std::string_view body);

/// Compares `header` (trimmed, any hex case) with pushSignature() in constant time.
[[nodiscard]] bool verifyPushSignature(const HmacSha256& secret, std::string_view app_key,
                                       std::string_view body, std::string_view header);

}  // namespace ordergate::adapters::lazada
