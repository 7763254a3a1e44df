#include "gateway/pipeline/outbox_event.hpp"

#include "canonical/json.hpp"

namespace ordergate::gateway::pipeline {

Result<store::OutboxEvent> toOutboxEvent(const canonical::CanonicalEvent& ev,
                                         std::string_view channel_id) {
  auto version_key = canonical::versionSortKey(ev.version);
  if (!version_key) {
    return fail(ErrorCode::kInvalidInput, version_key.error().message, "version");
  }
  store::OutboxEvent out;
  out.id = canonical::eventId(ev.subject, ev.type, ev.version);
  out.type = std::string(canonical::toString(ev.type));
  out.source = ev.source;
  out.subject = ev.subject;
  out.channel = std::string(channel_id);
  out.version = ev.version;
  out.version_key = std::move(*version_key);
  out.time = canonical::formatRfc3339(ev.time);
  out.received_at = canonical::formatRfc3339(ev.received_at);
  out.received_at_ms = ev.received_at.time_since_epoch().count();
  if (const auto* order = std::get_if<canonical::Order>(&ev.data)) {
    out.destination = "orders";
    out.dataschema = std::string(canonical::kOrderSchema);
    out.data = canonical::writeOrderJson(*order);
  } else {
    out.destination = "tracking";
    out.dataschema = std::string(canonical::kTrackingSchema);
    out.data = canonical::writeTrackingJson(std::get<canonical::TrackingUpdate>(ev.data));
  }
  return out;
}

std::string cloudEventJson(const store::OutboxEvent& ev) {
  canonical::CloudEventAttributes attrs;
  attrs.id = ev.id;
  attrs.source = ev.source;
  attrs.type = ev.type;
  attrs.subject = ev.subject;
  attrs.time = ev.time;
  attrs.received_at = ev.received_at;
  attrs.dataschema = ev.dataschema;
  return canonical::writeCloudEvent(attrs, ev.data);
}

}  // namespace ordergate::gateway::pipeline
