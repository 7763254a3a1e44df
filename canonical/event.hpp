#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "canonical/order.hpp"
#include "canonical/tracking.hpp"

namespace ordergate::canonical {

enum class EventType {
  kOrderCreated,
  kOrderUpdated,
  kOrderCancelled,
  kTrackingUpdated,
};

[[nodiscard]] std::string_view toString(EventType t);  ///< "order.created", …
[[nodiscard]] std::optional<EventType> parseEventType(std::string_view text);

/// One change, normalised, before the pipeline decides on it.
struct CanonicalEvent {
  EventType type = EventType::kOrderUpdated;
  std::string source;   ///< "/channels/<id>" or "/carriers/<id>"
  std::string subject;  ///< order_key, or "<carrier>:<tracking_number>"
  std::string version;  ///< ordering stamp as the channel gives it; strictly newer versions pass,
                        ///< compared through versionSortKey()
  Timestamp time{};     ///< when the change happened, per the channel
  Timestamp received_at{};
  std::variant<Order, TrackingUpdate> data;
};

/// Deterministic event id: 32 lowercase hex chars of SHA-256(key "\n" type "\n" version).
/// The same change arriving twice or through two paths gets the same id.
[[nodiscard]] std::string eventId(std::string_view key, EventType type, std::string_view version);

/// A key whose byte-wise order is the version's order, for the atomic decision in Redis:
/// a time (anything parseTimestamp reads with an offset) → "T" + fixed-width
/// "YYYY-MM-DDTHH:MM:SS.mmmZ"; a non-negative integer → "N" + 20 zero-padded digits.
/// Error kInvalidInput for anything else (a version must be orderable).
[[nodiscard]] Result<std::string> versionSortKey(std::string_view version);

/// versionSortKey(version).has_value(), without building the key (no allocation when true).
[[nodiscard]] bool isOrderableVersion(std::string_view version);

/// SHA-256 of `data` as 32 raw bytes (canonical has no OpenSSL dependency).
[[nodiscard]] std::string sha256(std::string_view data);

/// Lowercase hex of bytes.
[[nodiscard]] std::string toHex(std::string_view bytes);

inline constexpr std::string_view kOrderSchema = "urn:ordergate:canonical:order:v1";
inline constexpr std::string_view kTrackingSchema = "urn:ordergate:canonical:tracking:v1";

/// Attributes of a CloudEvents 1.0 envelope (structured JSON mode).
struct CloudEventAttributes {
  std::string_view id;
  std::string_view source;
  std::string_view type;
  std::string_view subject;
  std::string_view time;         ///< RFC 3339
  std::string_view received_at;  ///< RFC 3339, the `receivedat` extension
  std::string_view dataschema;
};

/// Writes `{"specversion":"1.0","id":…,…,"datacontenttype":"application/json","data":<data_json>}`
/// with `data_json` (already canonical JSON) embedded verbatim. Strings are JSON-escaped.
[[nodiscard]] std::string writeCloudEvent(const CloudEventAttributes& attrs,
                                          std::string_view data_json);

}  // namespace ordergate::canonical
