#include "canonical/tracking.hpp"

#include <array>

namespace ordergate::canonical {
namespace {

// Indexed by the enum's value; the strings are the contract of CANONICAL.md.
constexpr std::array<std::string_view, 10> kTrackingStatusNames = {
    "label_created", "in_transit",     "out_for_delivery", "available_for_pickup",
    "delivered",     "attempt_failed", "exception",        "returned_to_sender",
    "cancelled",     "unknown",
};

}  // namespace

std::string_view toString(TrackingStatus s) {
  return kTrackingStatusNames.at(static_cast<std::size_t>(s));
}

std::optional<TrackingStatus> parseTrackingStatus(std::string_view text) {
  for (std::size_t i = 0; i < kTrackingStatusNames.size(); ++i) {
    if (kTrackingStatusNames[i] == text) {
      return static_cast<TrackingStatus>(i);
    }
  }
  return std::nullopt;
}

bool isTerminal(TrackingStatus s) {
  return s == TrackingStatus::kDelivered || s == TrackingStatus::kReturnedToSender ||
         s == TrackingStatus::kCancelled;
}

}  // namespace ordergate::canonical
