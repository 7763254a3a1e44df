#include "canonical/validate.hpp"

#include "canonical/country.hpp"
#include "canonical/event.hpp"

namespace ordergate::canonical {
namespace {

std::string quote(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q.append("\"").append(text).append("\"");
  return q;
}

bool isBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string indexed(std::string_view name, std::size_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}

// order_key == makeOrderKey(channel_id, order_id), without building it.
bool isOrderKeyOf(std::string_view key, std::string_view channel_id, std::string_view order_id) {
  return key.size() == channel_id.size() + 1 + order_id.size() && key.starts_with(channel_id) &&
         key[channel_id.size()] == ':' && key.ends_with(order_id);
}

class Checker {
 public:
  FieldErrors errors;

  void add(std::string field, std::string message) {
    errors.push_back(FieldError{std::move(field), std::move(message)});
  }

  // A required text: absent, or present but only blanks (a placeholder), is a problem.
  void required(std::string_view field, std::string_view value) {
    if (value.empty()) {
      add(std::string(field), "required");
    } else if (isBlank(value)) {
      add(std::string(field), "must not be blank");
    }
  }

  void country(std::string field, std::string_view code) {
    if (!code.empty() && !isCountryCode(code)) {
      add(std::move(field), "not an ISO 3166-1 alpha-2 code: " + quote(code));
    }
  }

  void address(std::string_view name, const std::optional<Address>& address) {
    if (address && !address->country_code.empty() && !isCountryCode(address->country_code)) {
      country(std::string(name) + ".country_code", address->country_code);
    }
  }

  void location(const std::string& prefix, const Location& location) {
    if (!location.country_code.empty() && !isCountryCode(location.country_code)) {
      country(prefix + "location.country_code", location.country_code);
    }
  }
};

}  // namespace

FieldErrors validate(const Order& order) {
  Checker c;
  c.required("channel.type", order.channel.type);
  c.required("channel.id", order.channel.id);
  c.required("channel.order_id", order.channel.order_id);
  // The checks below build no strings unless they report a problem: validate runs on every
  // order of every adapter (for Amazon reports, millions per file).
  if (order.order_key.empty()) {
    c.add("order_key", "required");
  } else if (!isOrderKeyOf(order.order_key, order.channel.id, order.channel.order_id)) {
    c.add("order_key", quote(order.order_key) + " is not channel.id:channel.order_id " +
                           quote(makeOrderKey(order.channel.id, order.channel.order_id)));
  }
  c.required("version", order.version);
  if (!order.version.empty() && !isBlank(order.version) && !isOrderableVersion(order.version)) {
    c.add("version", "not orderable: " + quote(order.version));
  }
  if (order.currency.empty()) {
    c.add("currency", "required");
  } else if (!currencyExponent(order.currency)) {
    c.add("currency", "unknown ISO 4217 code " + quote(order.currency));
  }
  if (order.lines.empty()) {
    c.add("lines", "must not be empty");
  }
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    const OrderLine& line = order.lines[i];
    if (line.line_id.empty() || isBlank(line.line_id)) {
      c.required(indexed("lines", i) + ".line_id", line.line_id);
    }
    if (line.quantity <= 0) {
      c.add(indexed("lines", i) + ".quantity", "must be > 0");
    }
  }
  c.address("ship_to", order.ship_to);
  c.address("bill_to", order.bill_to);
  return std::move(c.errors);
}

FieldErrors validate(const TrackingUpdate& update) {
  Checker c;
  c.required("carrier", update.carrier);
  c.required("tracking_number", update.tracking_number);
  if (update.tracking_number.find_first_of(" \t\r\n") != std::string::npos &&
      !isBlank(update.tracking_number)) {
    c.add("tracking_number", "must not contain spaces: " + quote(update.tracking_number));
  }
  c.location("", update.location);
  if (!update.estimated_delivery.empty() && !parseRfc3339(update.estimated_delivery) &&
      !parseIsoDate(update.estimated_delivery)) {
    c.add("estimated_delivery",
          "not an RFC 3339 time or ISO date: " + quote(update.estimated_delivery));
  }
  for (std::size_t i = 0; i < update.events.size(); ++i) {
    const std::string prefix = indexed("events", i);
    if (i > 0 && update.events[i].occurred_at < update.events[i - 1].occurred_at) {
      c.add(prefix + ".occurred_at",
            "events must be oldest first: " + formatRfc3339(update.events[i].occurred_at) +
                " is before " + formatRfc3339(update.events[i - 1].occurred_at));
    }
    c.location(prefix + ".", update.events[i].location);
  }
  if (!update.events.empty()) {
    const TrackingEvent& latest = update.events.back();
    if (update.status != latest.status) {
      c.add("status", quote(toString(update.status)) + " is not the latest event's " +
                          quote(toString(latest.status)));
    }
    if (update.occurred_at && *update.occurred_at != latest.occurred_at) {
      c.add("occurred_at", formatRfc3339(*update.occurred_at) + " is not the latest event's " +
                               formatRfc3339(latest.occurred_at));
    }
  }
  return std::move(c.errors);
}

}  // namespace ordergate::canonical
