#include <charconv>

#include "canonical/json.hpp"

namespace ordergate::canonical {
namespace {

// Length of the valid UTF-8 sequence starting at text[i] (a byte >= 0x80), 0 when invalid:
// overlong forms, surrogates and code points above U+10FFFF are invalid.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const auto cont = [&](std::size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(i);
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
      return 0;
    }
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
      return 0;
    }
    return 4;
  }
  return 0;
}

void appendInt(std::string& out, std::int64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, static_cast<std::size_t>(result.ptr - buf));
}

// Writes one JSON object's members in call order, skipping absent values. A nested object
// that ends up with no member is rolled back entirely, so empty objects never appear.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }

  void close() { out_.push_back('}'); }
  [[nodiscard]] bool empty() const { return first_; }

  void string(std::string_view key, std::string_view value) {
    if (value.empty()) {
      return;
    }
    name(key);
    appendJsonString(out_, value);
  }

  void integer(std::string_view key, std::int64_t value) {
    name(key);
    appendInt(out_, value);
  }

  void money(std::string_view key, const Money& value) {
    if (value) {
      integer(key, *value);
    }
  }

  void boolean(std::string_view key, bool value) {
    name(key);
    out_.append(value ? "true" : "false");
  }

  void boolean(std::string_view key, const std::optional<bool>& value) {
    if (value) {
      boolean(key, *value);
    }
  }

  void time(std::string_view key, Timestamp value) {
    name(key);
    out_.push_back('"');
    out_.append(formatRfc3339(value));  // digits and punctuation only: nothing to escape
    out_.push_back('"');
  }

  void time(std::string_view key, const std::optional<Timestamp>& value) {
    if (value) {
      time(key, *value);
    }
  }

  template <class Fill>
  void object(std::string_view key, Fill&& fill) {
    const std::size_t mark = out_.size();
    const bool was_first = first_;
    name(key);
    ObjectWriter child(out_);
    fill(child);
    if (child.empty()) {
      out_.resize(mark);
      first_ = was_first;
      return;
    }
    child.close();
  }

  template <class Range, class Fill>
  void objectArray(std::string_view key, const Range& items, Fill&& fill) {
    if (items.empty()) {
      return;
    }
    name(key);
    out_.push_back('[');
    bool first_item = true;
    for (const auto& item : items) {
      if (!first_item) {
        out_.push_back(',');
      }
      first_item = false;
      ObjectWriter child(out_);
      fill(child, item);
      child.close();
    }
    out_.push_back(']');
  }

  void stringArray(std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) {
      return;
    }
    name(key);
    out_.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i != 0) {
        out_.push_back(',');
      }
      appendJsonString(out_, items[i]);
    }
    out_.push_back(']');
  }

 private:
  void name(std::string_view key) {
    if (!first_) {
      out_.push_back(',');
    }
    first_ = false;
    out_.push_back('"');
    out_.append(key);  // our own snake_case keys: nothing to escape
    out_.append("\":");
  }

  std::string& out_;
  bool first_ = true;
};

void writeSource(ObjectWriter& w, const SourceInfo& source) {
  w.object("source", [&](ObjectWriter& o) {
    o.time("received_at", source.received_at);
    o.string("delivery_id", source.delivery_id);
    o.string("topic", source.topic);
    o.string("line", source.line);
  });
}

void writeAddress(ObjectWriter& w, std::string_view key, const std::optional<Address>& address) {
  if (!address) {
    return;
  }
  w.object(key, [&](ObjectWriter& o) {
    o.string("name", address->name);
    o.string("company", address->company);
    o.string("line1", address->line1);
    o.string("line2", address->line2);
    o.string("city", address->city);
    o.string("region", address->region);
    o.string("postal_code", address->postal_code);
    o.string("country_code", address->country_code);
    o.string("phone", address->phone);
  });
}

void writeLine(ObjectWriter& o, const OrderLine& line) {
  o.string("line_id", line.line_id);
  o.string("sku", line.sku);
  o.string("channel_sku", line.channel_sku);
  o.string("title", line.title);
  o.integer("quantity", line.quantity);
  o.money("unit_price", line.unit_price);
  o.money("discount", line.discount);
  o.money("tax", line.tax);
  o.money("total", line.total);
  o.stringArray("item_ids", line.item_ids);
  o.string("status", line.status);
  o.string("tracking_number", line.tracking_number);
  o.string("shipping_provider", line.shipping_provider);
}

void writeCarrierStatus(ObjectWriter& w, const CarrierStatus& status) {
  w.object("carrier_status", [&](ObjectWriter& o) {
    o.string("code", status.code);
    o.string("text", status.text);
  });
}

void writeLocation(ObjectWriter& w, const Location& location) {
  w.object("location", [&](ObjectWriter& o) {
    o.string("city", location.city);
    o.string("region", location.region);
    o.string("postal_code", location.postal_code);
    o.string("country_code", location.country_code);
  });
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t run_start = 0;
  std::size_t i = 0;
  const auto flush = [&] { out.append(text.substr(run_start, i - run_start)); };
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t len = utf8SequenceLength(text, i)) {
        i += len;
        continue;
      }
      // Invalid UTF-8 would make the whole document unreadable for the OMS: replace the byte.
      flush();
      out.append("\xEF\xBF\xBD");
      run_start = ++i;
      continue;
    }
    flush();
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
    run_start = ++i;
  }
  flush();
  out.push_back('"');
}

std::string writeOrderJson(const Order& order) {
  std::string out;
  out.reserve(1024 + order.lines.size() * 256);
  ObjectWriter w(out);
  w.string("order_key", order.order_key);
  w.object("channel", [&](ObjectWriter& o) {
    o.string("type", order.channel.type);
    o.string("id", order.channel.id);
    o.string("order_id", order.channel.order_id);
    o.string("order_number", order.channel.order_number);
    o.string("store", order.channel.store);
    o.string("status", order.channel.status);
  });
  w.string("status", toString(order.status));
  w.string("payment_status", toString(order.payment_status));
  w.time("placed_at", order.placed_at);
  w.time("updated_at", order.updated_at);
  w.string("version", order.version);
  w.string("currency", order.currency);
  w.boolean("taxes_included", order.taxes_included);
  w.object("totals", [&](ObjectWriter& o) {
    o.money("subtotal", order.totals.subtotal);
    o.money("discount", order.totals.discount);
    o.money("shipping", order.totals.shipping);
    o.money("tax", order.totals.tax);
    o.money("total", order.totals.total);
  });
  w.objectArray("lines", order.lines, writeLine);
  if (order.customer) {
    w.object("customer", [&](ObjectWriter& o) {
      o.string("id", order.customer->id);
      o.string("email", order.customer->email);
      o.string("name", order.customer->name);
      o.string("phone", order.customer->phone);
    });
  }
  writeAddress(w, "ship_to", order.ship_to);
  writeAddress(w, "bill_to", order.bill_to);
  if (order.shipping) {
    w.object("shipping", [&](ObjectWriter& o) {
      o.string("method", order.shipping->method);
      o.string("service_level", order.shipping->service_level);
      o.time("ship_by", order.shipping->ship_by);
      o.time("deliver_by", order.shipping->deliver_by);
    });
  }
  w.boolean("test", order.test);
  writeSource(w, order.source);
  w.close();
  return out;
}

std::string writeTrackingJson(const TrackingUpdate& update) {
  std::string out;
  out.reserve(512 + update.events.size() * 256);
  ObjectWriter w(out);
  w.string("carrier", update.carrier);
  w.string("tracking_number", update.tracking_number);
  w.string("status", toString(update.status));
  w.string("sub_status", update.sub_status);
  writeCarrierStatus(w, update.carrier_status);
  w.time("occurred_at", update.occurred_at);
  writeLocation(w, update.location);
  w.string("estimated_delivery", update.estimated_delivery);
  w.objectArray("events", update.events, [](ObjectWriter& o, const TrackingEvent& e) {
    o.string("status", toString(e.status));
    o.string("sub_status", e.sub_status);
    writeCarrierStatus(o, e.carrier_status);
    o.time("occurred_at", e.occurred_at);
    writeLocation(o, e.location);
    o.string("local_time", e.local_time);
    o.string("zone_source", e.zone_source);
    o.string("description", e.description);
  });
  w.string("order_key", update.order_key);
  writeSource(w, update.source);
  w.close();
  return out;
}

}  // namespace ordergate::canonical
