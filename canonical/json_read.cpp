#include <simdjson.h>

#include <charconv>

#include "canonical/json.hpp"

namespace ordergate::canonical {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// A field path rendered only when a problem is reported: reading valid documents allocates
// no path strings.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = kNoIndex;

  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

  [[nodiscard]] Path operator/(std::string_view child) const { return Path{this, child}; }
  [[nodiscard]] Path operator[](std::size_t i) const { return Path{this, {}, i}; }

  void render(std::string& out) const {
    if (parent != nullptr) {
      parent->render(out);
    }
    if (index != kNoIndex) {
      out.append("[").append(std::to_string(index)).append("]");
      return;
    }
    if (!out.empty()) {
      out.push_back('.');
    }
    out.append(key);
  }

  [[nodiscard]] std::string str() const {
    std::string out;
    render(out);
    return out;
  }
};

std::string quote(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q.append("\"").append(text).append("\"");
  return q;
}

class Reader {
 public:
  FieldErrors errors;

  void add(const Path& path, std::string message) {
    errors.push_back(FieldError{path.str(), std::move(message)});
  }

  static bool isNull(const element& value) { return value.type() == element_type::NULL_VALUE; }

  // Strings; integers are accepted and kept as their decimal text because storefronts often
  // send ids as JSON numbers.
  void text(const element& value, const Path& path, std::string& out) {
    switch (value.type()) {
      case element_type::STRING: {
        out.assign(value.get_string().value_unsafe());
        return;
      }
      case element_type::INT64:
        out = std::to_string(value.get_int64().value_unsafe());
        return;
      case element_type::UINT64:
        out = std::to_string(value.get_uint64().value_unsafe());
        return;
      case element_type::NULL_VALUE:
        return;
      default:
        add(path, "must be a string");
    }
  }

  void integer(const element& value, const Path& path, std::int64_t& out,
               std::string_view what = "must be an integer") {
    if (value.type() == element_type::INT64) {
      out = value.get_int64().value_unsafe();
    } else if (value.type() == element_type::UINT64) {
      add(path, "integer out of range");
    } else if (!isNull(value)) {
      add(path, std::string(what));
    }
  }

  void money(const element& value, const Path& path, Money& out) {
    if (isNull(value)) {
      return;
    }
    std::int64_t minor = 0;
    const std::size_t before = errors.size();
    integer(value, path, minor, "must be an integer (minor units)");
    if (errors.size() == before) {
      out = minor;
    }
  }

  void boolean(const element& value, const Path& path, bool& out) {
    if (value.type() == element_type::BOOL) {
      out = value.get_bool().value_unsafe();
    } else if (!isNull(value)) {
      add(path, "must be a boolean");
    }
  }

  void boolean(const element& value, const Path& path, std::optional<bool>& out) {
    if (isNull(value)) {
      return;
    }
    bool b = false;
    const std::size_t before = errors.size();
    boolean(value, path, b);
    if (errors.size() == before) {
      out = b;
    }
  }

  void time(const element& value, const Path& path, std::optional<Timestamp>& out) {
    if (isNull(value)) {
      return;
    }
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) {
      add(path, "must be a string (RFC 3339 time)");
      return;
    }
    auto t = parseRfc3339(s);
    if (!t) {
      add(path, "not an RFC 3339 time: " + quote(s));
      return;
    }
    out = *t;
  }

  void time(const element& value, const Path& path, Timestamp& out) {
    std::optional<Timestamp> t;
    time(value, path, t);
    if (t) {
      out = *t;
    }
  }

  template <class Enum, class Parse>
  void enumeration(const element& value, const Path& path, Enum& out, Parse parse) {
    if (isNull(value)) {
      return;
    }
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) {
      add(path, "must be a string");
      return;
    }
    if (auto parsed = parse(s)) {
      out = *parsed;
    } else {
      add(path, "unknown value " + quote(s));
    }
  }

  // Calls on_field(key, value, path) for each member; false (and a problem) if not an object.
  template <class OnField>
  bool object(const element& value, const Path& path, OnField&& on_field) {
    simdjson::dom::object obj;
    if (value.get_object().get(obj) != simdjson::SUCCESS) {
      add(path, "must be an object");
      return false;
    }
    for (simdjson::dom::key_value_pair field : obj) {
      on_field(field.key, field.value, path / field.key);
    }
    return true;
  }

  template <class OnItem>
  void array(const element& value, const Path& path, OnItem&& on_item) {
    if (isNull(value)) {
      return;
    }
    simdjson::dom::array arr;
    if (value.get_array().get(arr) != simdjson::SUCCESS) {
      add(path, "must be an array");
      return;
    }
    std::size_t i = 0;
    for (element item : arr) {
      on_item(item, path[i]);
      ++i;
    }
  }

  void source(const element& value, const Path& path, SourceInfo& out) {
    if (isNull(value)) {
      return;
    }
    object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "received_at") {
        time(v, p, out.received_at);
      } else if (key == "delivery_id") {
        text(v, p, out.delivery_id);
      } else if (key == "topic") {
        text(v, p, out.topic);
      } else if (key == "line") {
        text(v, p, out.line);
      }
    });
  }

  void address(const element& value, const Path& path, std::optional<Address>& out) {
    if (isNull(value)) {
      return;
    }
    Address a;
    const bool ok = object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "name") {
        text(v, p, a.name);
      } else if (key == "company") {
        text(v, p, a.company);
      } else if (key == "line1") {
        text(v, p, a.line1);
      } else if (key == "line2") {
        text(v, p, a.line2);
      } else if (key == "city") {
        text(v, p, a.city);
      } else if (key == "region") {
        text(v, p, a.region);
      } else if (key == "postal_code") {
        text(v, p, a.postal_code);
      } else if (key == "country_code") {
        text(v, p, a.country_code);
      } else if (key == "phone") {
        text(v, p, a.phone);
      }
    });
    if (ok) {
      out = std::move(a);
    }
  }

  void carrierStatus(const element& value, const Path& path, CarrierStatus& out) {
    if (isNull(value)) {
      return;
    }
    object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "code") {
        text(v, p, out.code);
      } else if (key == "text") {
        text(v, p, out.text);
      }
    });
  }

  void location(const element& value, const Path& path, Location& out) {
    if (isNull(value)) {
      return;
    }
    object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "city") {
        text(v, p, out.city);
      } else if (key == "region") {
        text(v, p, out.region);
      } else if (key == "postal_code") {
        text(v, p, out.postal_code);
      } else if (key == "country_code") {
        text(v, p, out.country_code);
      }
    });
  }

  void line(const element& value, const Path& path, OrderLine& out) {
    object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "line_id") {
        text(v, p, out.line_id);
      } else if (key == "sku") {
        text(v, p, out.sku);
      } else if (key == "channel_sku") {
        text(v, p, out.channel_sku);
      } else if (key == "title") {
        text(v, p, out.title);
      } else if (key == "quantity") {
        integer(v, p, out.quantity);
      } else if (key == "unit_price") {
        money(v, p, out.unit_price);
      } else if (key == "discount") {
        money(v, p, out.discount);
      } else if (key == "tax") {
        money(v, p, out.tax);
      } else if (key == "total") {
        money(v, p, out.total);
      } else if (key == "item_ids") {
        array(v, p, [&](const element& item, const Path& ip) {
          text(item, ip, out.item_ids.emplace_back());
        });
      } else if (key == "status") {
        text(v, p, out.status);
      } else if (key == "tracking_number") {
        text(v, p, out.tracking_number);
      } else if (key == "shipping_provider") {
        text(v, p, out.shipping_provider);
      }
    });
  }

  void trackingEvent(const element& value, const Path& path, TrackingEvent& out) {
    bool has_time = false;
    const bool ok = object(value, path, [&](std::string_view key, const element& v, const Path& p) {
      if (key == "status") {
        enumeration(v, p, out.status, parseTrackingStatus);
      } else if (key == "sub_status") {
        text(v, p, out.sub_status);
      } else if (key == "carrier_status") {
        carrierStatus(v, p, out.carrier_status);
      } else if (key == "occurred_at") {
        has_time = !isNull(v);
        time(v, p, out.occurred_at);
      } else if (key == "location") {
        location(v, p, out.location);
      } else if (key == "local_time") {
        text(v, p, out.local_time);
      } else if (key == "zone_source") {
        text(v, p, out.zone_source);
      } else if (key == "description") {
        text(v, p, out.description);
      }
    });
    if (ok && !has_time) {
      add(path / "occurred_at", "required");
    }
  }
};

// One parser per thread: simdjson parsers reuse their buffers and are not thread-safe.
simdjson::dom::parser& threadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

tl::expected<element, FieldErrors> parseDocument(const simdjson::padded_string& padded) {
  element doc;
  const auto error = threadParser().parse(padded).get(doc);
  if (error != simdjson::SUCCESS) {
    return tl::unexpected(FieldErrors{
        FieldError{"", std::string("invalid JSON: ") + simdjson::error_message(error)}});
  }
  if (doc.type() != element_type::OBJECT) {
    return tl::unexpected(FieldErrors{FieldError{"", "must be a JSON object"}});
  }
  return doc;
}

}  // namespace

tl::expected<Order, FieldErrors> readOrderJson(std::string_view json) {
  const simdjson::padded_string padded(json);
  auto doc = parseDocument(padded);
  if (!doc) {
    return tl::unexpected(std::move(doc.error()));
  }
  Reader r;
  Order order;
  bool has_status = false;
  const Path root;
  r.object(*doc, root, [&](std::string_view key, const element& v, const Path& p) {
    if (key == "order_key") {
      r.text(v, p, order.order_key);
    } else if (key == "channel") {
      if (Reader::isNull(v)) {
        return;
      }
      ChannelRef& c = order.channel;
      r.object(v, p, [&](std::string_view k, const element& cv, const Path& cp) {
        if (k == "type") {
          r.text(cv, cp, c.type);
        } else if (k == "id") {
          r.text(cv, cp, c.id);
        } else if (k == "order_id") {
          r.text(cv, cp, c.order_id);
        } else if (k == "order_number") {
          r.text(cv, cp, c.order_number);
        } else if (k == "store") {
          r.text(cv, cp, c.store);
        } else if (k == "status") {
          r.text(cv, cp, c.status);
        }
      });
    } else if (key == "status") {
      has_status = !Reader::isNull(v);
      r.enumeration(v, p, order.status, parseOrderStatus);
    } else if (key == "payment_status") {
      r.enumeration(v, p, order.payment_status, parsePaymentStatus);
    } else if (key == "placed_at") {
      r.time(v, p, order.placed_at);
    } else if (key == "updated_at") {
      r.time(v, p, order.updated_at);
    } else if (key == "version") {
      r.text(v, p, order.version);
    } else if (key == "currency") {
      r.text(v, p, order.currency);
    } else if (key == "taxes_included") {
      r.boolean(v, p, order.taxes_included);
    } else if (key == "totals") {
      if (Reader::isNull(v)) {
        return;
      }
      Totals& t = order.totals;
      r.object(v, p, [&](std::string_view k, const element& tv, const Path& tp) {
        if (k == "subtotal") {
          r.money(tv, tp, t.subtotal);
        } else if (k == "discount") {
          r.money(tv, tp, t.discount);
        } else if (k == "shipping") {
          r.money(tv, tp, t.shipping);
        } else if (k == "tax") {
          r.money(tv, tp, t.tax);
        } else if (k == "total") {
          r.money(tv, tp, t.total);
        }
      });
    } else if (key == "lines") {
      r.array(v, p, [&](const element& item, const Path& ip) {
        r.line(item, ip, order.lines.emplace_back());
      });
    } else if (key == "customer") {
      if (Reader::isNull(v)) {
        return;
      }
      Customer c;
      const bool ok = r.object(v, p, [&](std::string_view k, const element& cv, const Path& cp) {
        if (k == "id") {
          r.text(cv, cp, c.id);
        } else if (k == "email") {
          r.text(cv, cp, c.email);
        } else if (k == "name") {
          r.text(cv, cp, c.name);
        } else if (k == "phone") {
          r.text(cv, cp, c.phone);
        }
      });
      if (ok) {
        order.customer = std::move(c);
      }
    } else if (key == "ship_to") {
      r.address(v, p, order.ship_to);
    } else if (key == "bill_to") {
      r.address(v, p, order.bill_to);
    } else if (key == "shipping") {
      if (Reader::isNull(v)) {
        return;
      }
      Shipping s;
      const bool ok = r.object(v, p, [&](std::string_view k, const element& sv, const Path& sp) {
        if (k == "method") {
          r.text(sv, sp, s.method);
        } else if (k == "service_level") {
          r.text(sv, sp, s.service_level);
        } else if (k == "ship_by") {
          r.time(sv, sp, s.ship_by);
        } else if (k == "deliver_by") {
          r.time(sv, sp, s.deliver_by);
        }
      });
      if (ok) {
        order.shipping = std::move(s);
      }
    } else if (key == "test") {
      r.boolean(v, p, order.test);
    } else if (key == "source") {
      r.source(v, p, order.source);
    }
  });
  if (!has_status) {
    r.add(root / "status", "required");
  }
  if (!r.errors.empty()) {
    return tl::unexpected(std::move(r.errors));
  }
  return order;
}

tl::expected<TrackingUpdate, FieldErrors> readTrackingJson(std::string_view json) {
  const simdjson::padded_string padded(json);
  auto doc = parseDocument(padded);
  if (!doc) {
    return tl::unexpected(std::move(doc.error()));
  }
  Reader r;
  TrackingUpdate update;
  const Path root;
  r.object(*doc, root, [&](std::string_view key, const element& v, const Path& p) {
    if (key == "carrier") {
      r.text(v, p, update.carrier);
    } else if (key == "tracking_number") {
      r.text(v, p, update.tracking_number);
    } else if (key == "status") {
      r.enumeration(v, p, update.status, parseTrackingStatus);
    } else if (key == "sub_status") {
      r.text(v, p, update.sub_status);
    } else if (key == "carrier_status") {
      r.carrierStatus(v, p, update.carrier_status);
    } else if (key == "occurred_at") {
      r.time(v, p, update.occurred_at);
    } else if (key == "location") {
      r.location(v, p, update.location);
    } else if (key == "estimated_delivery") {
      r.text(v, p, update.estimated_delivery);
      const std::string& ed = update.estimated_delivery;
      if (!ed.empty() && !parseRfc3339(ed) && !parseIsoDate(ed)) {
        r.add(p, "not an RFC 3339 time or ISO date: " + quote(ed));
      }
    } else if (key == "events") {
      r.array(v, p, [&](const element& item, const Path& ip) {
        r.trackingEvent(item, ip, update.events.emplace_back());
      });
    } else if (key == "order_key") {
      r.text(v, p, update.order_key);
    } else if (key == "source") {
      r.source(v, p, update.source);
    }
  });
  if (!r.errors.empty()) {
    return tl::unexpected(std::move(r.errors));
  }
  return update;
}

}  // namespace ordergate::canonical
