#include <algorithm>

#include "adapters/mapping/runner.hpp"
#include "canonical/validate.hpp"

// Carrier mappings: one tracking update per record, events sorted, status by the table.

namespace ordergate::adapters::mapping {
namespace runner_detail {
namespace {

int rank(canonical::TrackingStatus s) {
  using S = canonical::TrackingStatus;
  switch (s) {
    case S::kDelivered:
    case S::kReturnedToSender:
    case S::kCancelled:
      return 6;
    case S::kAttemptFailed:
    case S::kException:
      return 5;
    case S::kAvailableForPickup:
      return 4;
    case S::kOutForDelivery:
      return 3;
    case S::kInTransit:
      return 2;
    case S::kLabelCreated:
      return 1;
    case S::kUnknown:
      return 0;
  }
  return 0;
}
}  // namespace

void Runner::buildTracking(const Frame& record_frame, std::size_t errors_before) {
  const TrackingPlan& p = plan_.tracking;
  canonical::TrackingUpdate t;
  t.carrier = std::string(in_.channel_id);
  std::size_t before = out_.errors.size();
  if (!evalString(ctx_, p.tracking_number, t.tracking_number)) {
    required(ctx_, p.tracking_number, before);
  }
  t.order_key = str(ctx_, p.order_key);
  if (p.estimated_delivery.present()) {
    (void)evalDateOrTime(ctx_, p.estimated_delivery, t.estimated_delivery);
  }
  std::vector<Node>& nodes = *children_;
  children(true, p.events_each, nodes);
  t.events.reserve(nodes.size());
  keep_.assign(nodes.size(), false);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Frame frame{p.events_each.self ? nullptr : &p.events_each, i, &record_frame};
    ctx_.current = nodes[i];
    ctx_.frame = &frame;
    canonical::TrackingEvent& e = t.events.emplace_back();
    e.carrier_status.code = str(ctx_, p.code);
    e.carrier_status.text = str(ctx_, p.text);
    before = out_.errors.size();
    if (auto at = time(ctx_, p.occurred_at)) {
      e.occurred_at = *at;
    } else {
      required(ctx_, p.occurred_at, before);
    }
    e.local_time = str(ctx_, p.local_time);
    e.description = str(ctx_, p.description);
    e.location.city = str(ctx_, p.location.city);
    e.location.region = str(ctx_, p.location.region);
    e.location.postal_code = str(ctx_, p.location.postal_code);
    e.location.country_code = country(ctx_, p.location.country_code);
    std::string_view key = e.carrier_status.code;
    if (plan_.status.key.present() && !evalRaw(ctx_, plan_.status.key, key)) {
      key = {};
    }
    StatusOutcome outcome = resolveStatus(plan_.status, ctx_, key);
    e.status = outcome.status;
    keep_[i] = outcome.keep;
    e.sub_status =
        !outcome.sub_status.empty() ? std::move(outcome.sub_status) : str(ctx_, p.sub_status);
  }
  ctx_.current = ctx_.record;
  ctx_.frame = &record_frame;
  // Oldest first; on equal times the more final status sorts later, so it is the current one.
  // Informational events ("keep") then take the status of the event before them.
  std::vector<std::size_t> order(t.events.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const canonical::TrackingEvent& x = t.events[a];
    const canonical::TrackingEvent& y = t.events[b];
    if (x.occurred_at != y.occurred_at) {
      return x.occurred_at < y.occurred_at;
    }
    return rank(x.status) < rank(y.status);
  });
  std::vector<canonical::TrackingEvent> sorted;
  sorted.reserve(order.size());
  for (std::size_t i : order) {
    sorted.push_back(std::move(t.events[i]));
    if (keep_[i]) {
      sorted.back().status = sorted.size() > 1 ? sorted[sorted.size() - 2].status
                                               : canonical::TrackingStatus::kUnknown;
    }
  }
  t.events = std::move(sorted);
  if (!t.events.empty()) {
    const canonical::TrackingEvent& latest = t.events.back();
    t.status = latest.status;
    t.sub_status = latest.sub_status;
    t.carrier_status = latest.carrier_status;
    t.occurred_at = latest.occurred_at;
    t.location = latest.location;
  }
  sourceInfo(t.source);
  canonical::CanonicalEvent event;
  event.type = canonical::EventType::kTrackingUpdated;
  before = out_.errors.size();
  if (plan_.event.version.present()) {
    if (!evalVersion(ctx_, plan_.event.version, event.version)) {
      required(ctx_, plan_.event.version, before);
    }
  } else if (t.occurred_at) {
    event.version = canonical::formatRfc3339(*t.occurred_at);
  } else {
    out_.errors.push_back(FieldError{plan_.file + " tracking.events",
                                     "no events and no event.version: nothing orders this update"});
  }
  event.time = time(ctx_, plan_.event.time).value_or(t.occurred_at.value_or(in_.received_at));
  if (out_.errors.size() != errors_before) {
    return;
  }
  const FieldErrors invalid = canonical::validate(t);
  if (!invalid.empty()) {
    addValidationErrors(plan_, invalid, "tracking", out_.errors);
    return;
  }
  event.source = "/carriers/" + t.carrier;
  event.subject = t.carrier + ":" + t.tracking_number;
  event.received_at = in_.received_at;
  event.data = std::move(t);
  out_.events.push_back(std::move(event));
}

}  // namespace runner_detail

StatusOutcome resolveStatus(const StatusPlan& status, EvalContext& ctx, std::string_view code) {
  for (const StatusRule& rule : status.rules) {
    if (rule.when->test(ctx)) {
      return rule.outcome;
    }
  }
  std::string lowered;
  if (status.ignore_case) {
    lowered.assign(code);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
    code = lowered;
  }
  const auto it =
      std::lower_bound(status.table.begin(), status.table.end(), code,
                       [](const std::pair<std::string, StatusOutcome>& e, std::string_view k) {
                         return std::string_view(e.first) < k;
                       });
  if (it != status.table.end() && it->first == code) {
    return it->second;
  }
  return status.fallback;
}

}  // namespace ordergate::adapters::mapping
