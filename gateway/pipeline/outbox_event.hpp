#pragma once

#include <string_view>

#include "canonical/event.hpp"
#include "gateway/store/event_store.hpp"

namespace ordergate::gateway::pipeline {

/// The outbox form of a normalised event: event id, sortable version key, canonical JSON data.
/// Error kInvalidInput when the version cannot be ordered.
[[nodiscard]] Result<store::OutboxEvent> toOutboxEvent(const canonical::CanonicalEvent& ev,
                                                       std::string_view channel_id);

/// The CloudEvents 1.0 structured-mode JSON the OMS receives for an outbox event.
[[nodiscard]] std::string cloudEventJson(const store::OutboxEvent& ev);

}  // namespace ordergate::gateway::pipeline
