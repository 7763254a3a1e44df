#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/order.hpp"
#include "canonical/time.hpp"

namespace ordergate::canonical {

// The canonical tracking update of CANONICAL.md (v1). Strings: empty means absent.

enum class TrackingStatus {
  kLabelCreated,
  kInTransit,
  kOutForDelivery,
  kAvailableForPickup,
  kDelivered,
  kAttemptFailed,
  kException,
  kReturnedToSender,
  kCancelled,
  kUnknown,
};

struct Location {
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country_code;
  [[nodiscard]] bool empty() const {
    return city.empty() && region.empty() && postal_code.empty() && country_code.empty();
  }
};

struct CarrierStatus {
  std::string code;
  std::string text;
};

struct TrackingEvent {
  TrackingStatus status = TrackingStatus::kUnknown;
  std::string sub_status;  ///< detail: "customs", "refused", "weather_delay", …
  CarrierStatus carrier_status;
  Timestamp occurred_at{};
  Location location;
  std::string local_time;  ///< the carrier's own wall-clock text
  std::string zone_source;  ///< how the zone was decided: offset, gmt, location, default
  std::string description;
};

struct TrackingUpdate {
  std::string carrier;          ///< configured carrier id
  std::string tracking_number;  ///< as printed, spaces removed
  TrackingStatus status = TrackingStatus::kUnknown;  ///< of the latest event
  std::string sub_status;
  CarrierStatus carrier_status;
  std::optional<Timestamp> occurred_at;
  Location location;
  std::string estimated_delivery;  ///< RFC 3339 time or bare ISO date, already canonical text
  std::vector<TrackingEvent> events;  ///< oldest first
  std::string order_key;
  SourceInfo source;
};

[[nodiscard]] std::string_view toString(TrackingStatus s);
[[nodiscard]] std::optional<TrackingStatus> parseTrackingStatus(std::string_view text);

/// True for statuses after which a shipment is no longer polled (delivered, returned, cancelled).
[[nodiscard]] bool isTerminal(TrackingStatus s);

}  // namespace ordergate::canonical
