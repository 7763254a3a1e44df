#include <algorithm>
#include <charconv>

#include "adapters/mapping/compiler.hpp"

namespace ordergate::adapters::mapping {
namespace {

using Kind = SettingNode::Kind;

const SettingNode* child(const SettingNode* node, std::string_view key) {
  if (node == nullptr || node->kind != Kind::kMap) {
    return nullptr;
  }
  const auto it = node->map.find(key);
  return it == node->map.end() ? nullptr : &it->second;
}

class PlanCompiler {
 public:
  PlanCompiler(MappingPlan& plan, FieldErrors& errors)
      : plan_(plan), errors_(errors), c_(plan, errors) {}

  void compile(const SettingNode& root) {
    if (root.kind != Kind::kMap) {
      c_.error(root, "(file)", "a mapping file is a map with name, kind, source, …");
      return;
    }
    const bool carrier =
        child(&root, "kind") != nullptr && child(&root, "kind")->scalar == "carrier";
    if (carrier) {
      c_.onlyKeys(root, "(top)",
                  {"name", "kind", "description", "source", "zone", "signature", "event", "ignore",
                   "tracking", "status"});
    } else {
      c_.onlyKeys(root, "(top)",
                  {"name", "kind", "description", "source", "zone", "signature", "event", "ignore",
                   "order"});
    }
    header(root);
    source(child(&root, "source"), root);
    compileSignature(c_, child(&root, "signature"), plan_.signature);
    if (carrier) {
      tracking(child(&root, "tracking"), root);
      status(child(&root, "status"), root);
    } else {
      order(child(&root, "order"), root);
    }
    event(child(&root, "event"));
    ignore(child(&root, "ignore"));
    if (!carrier && !plan_.event.version.present() && !plan_.order.updated_at.present() &&
        errors_.empty()) {
      c_.error(root, "event.version",
               "required: declare event.version or order.updated_at (the ordering stamp)");
    }
  }

 private:
  void header(const SettingNode& root) {
    const SettingNode* name = child(&root, "name");
    if (name == nullptr || name->kind != Kind::kScalar || name->scalar.empty()) {
      c_.error(name ? *name : root, "name", "required: the mapping's name (channel.type)");
    } else {
      plan_.name = name->scalar;
    }
    if (const SettingNode* kind = child(&root, "kind")) {
      if (kind->scalar == "carrier") {
        plan_.kind = MappingKind::kCarrier;
      } else if (kind->scalar != "channel") {
        c_.error(*kind, "kind", "expected channel or carrier");
      }
    }
    plan_.zone = canonical::utcZone();
    if (const SettingNode* zone = child(&root, "zone")) {
      if (auto z = canonical::findTimeZone(zone->scalar)) {
        plan_.zone = *z;
      } else {
        c_.error(*zone, "zone", z.error().message);
      }
    }
  }

  void source(const SettingNode* node, const SettingNode& root) {
    if (node == nullptr) {
      c_.error(root, "source", "required: {format: json|xml|csv|tsv}");
      return;
    }
    if (!c_.onlyKeys(*node, "source", {"format", "encoding"})) {
      return;
    }
    const SettingNode* format = child(node, "format");
    const std::string f = format ? format->scalar : "";
    if (f == "json") {
      plan_.format = SourceFormat::kJson;
    } else if (f == "xml") {
      plan_.format = SourceFormat::kXml;
    } else if (f == "csv") {
      plan_.format = SourceFormat::kCsv;
    } else if (f == "tsv") {
      plan_.format = SourceFormat::kTsv;
    } else {
      c_.error(format ? *format : *node, "source.format", "expected json, xml, csv or tsv");
    }
    if (const SettingNode* enc = child(node, "encoding")) {
      if (plan_.format == SourceFormat::kJson) {
        c_.error(*enc, "source.encoding", "JSON is always UTF-8");
      } else if (auto e = parseEncoding(enc->scalar)) {
        plan_.encoding = *e;
        plan_.encoding_name = enc->scalar;
      } else {
        c_.error(*enc, "source.encoding", e.error().message);
      }
    }
  }

  void event(const SettingNode* node) {
    if (node == nullptr) {
      return;
    }
    if (!c_.onlyKeys(*node, "event", {"type", "topic", "delivery_id", "version", "time"})) {
      return;
    }
    EventPlan& e = plan_.event;
    if (plan_.kind == MappingKind::kCarrier && child(node, "type") != nullptr) {
      c_.error(*child(node, "type"), "event.type", "carrier events are always tracking.updated");
    }
    c_.field(child(node, "type"), "event.type", FieldType::kEventType, e.type);
    c_.field(child(node, "topic"), "event.topic", FieldType::kString, e.topic);
    c_.field(child(node, "delivery_id"), "event.delivery_id", FieldType::kString, e.delivery_id);
    c_.field(child(node, "version"), "event.version", FieldType::kVersion, e.version);
    c_.field(child(node, "time"), "event.time", FieldType::kTime, e.time);
  }

  void ignore(const SettingNode* node) {
    if (node == nullptr) {
      return;
    }
    if (node->kind != Kind::kList) {
      c_.error(*node, "ignore", "expected a list of {when: …, reason: …}");
      return;
    }
    for (std::size_t i = 0; i < node->list.size(); ++i) {
      const SettingNode& item = node->list[i];
      const std::string p = "ignore[" + std::to_string(i) + "]";
      if (!c_.onlyKeys(item, p, {"when", "reason"})) {
        continue;
      }
      const SettingNode* when = child(&item, "when");
      const SettingNode* reason = child(&item, "reason");
      if (when == nullptr || reason == nullptr || reason->scalar.empty()) {
        c_.error(item, p, "needs when and reason");
        continue;
      }
      IgnoreRule rule;
      rule.when = c_.condition(*when, p + ".when", c_.rule(*when, p + ".when"));
      rule.reason = reason->scalar;
      if (rule.when) {
        plan_.ignore.push_back(std::move(rule));
      }
    }
  }

  void records(const SettingNode& node, const std::string& p) {
    if (const SettingNode* each = child(&node, "each")) {
      if (isTextFormat(plan_.format)) {
        c_.error(*each, p + ".each", "delimited files have one record per row; use group_by");
      } else {
        plan_.has_each = c_.path(*each, p + ".each", plan_.each);
      }
    }
    c_.field(child(&node, "group_by"), p + ".group_by", FieldType::kString, plan_.group_by);
    if (const SettingNode* skip = child(&node, "skip_when")) {
      plan_.skip_when = c_.condition(*skip, p + ".skip_when", c_.rule(*skip, p + ".skip_when"));
    }
  }

  void address(const SettingNode* node, const std::string& p, AddressPlan& a) {
    if (node == nullptr || !c_.onlyKeys(*node, p,
                                        {"name", "company", "line1", "line2", "city", "region",
                                         "postal_code", "country_code", "phone"})) {
      return;
    }
    a.declared = true;
    c_.field(child(node, "name"), p + ".name", FieldType::kString, a.name);
    c_.field(child(node, "company"), p + ".company", FieldType::kString, a.company);
    c_.field(child(node, "line1"), p + ".line1", FieldType::kString, a.line1);
    c_.field(child(node, "line2"), p + ".line2", FieldType::kString, a.line2);
    c_.field(child(node, "city"), p + ".city", FieldType::kString, a.city);
    c_.field(child(node, "region"), p + ".region", FieldType::kString, a.region);
    c_.field(child(node, "postal_code"), p + ".postal_code", FieldType::kString, a.postal_code);
    c_.field(child(node, "country_code"), p + ".country_code", FieldType::kCountry, a.country_code);
    c_.field(child(node, "phone"), p + ".phone", FieldType::kString, a.phone);
  }

  void order(const SettingNode* node, const SettingNode& root) {
    if (node == nullptr) {
      c_.error(root, "order", "required for kind: channel");
      return;
    }
    if (!c_.onlyKeys(*node, "order",
                     {"each", "group_by", "skip_when", "channel", "status", "payment_status",
                      "placed_at", "updated_at", "currency", "taxes_included", "test", "totals",
                      "customer", "ship_to", "bill_to", "shipping", "lines"})) {
      return;
    }
    OrderPlan& o = plan_.order;
    records(*node, "order");
    const SettingNode* ch = child(node, "channel");
    if (ch == nullptr ||
        !c_.onlyKeys(*ch, "order.channel", {"order_id", "order_number", "store", "status"})) {
      c_.error(ch ? *ch : *node, "order.channel", "required: {order_id: …}");
    } else {
      if (child(ch, "order_id") == nullptr) {
        c_.error(*ch, "order.channel.order_id", "required: the channel's order id");
      }
      c_.field(child(ch, "order_id"), "order.channel.order_id", FieldType::kString, o.order_id);
      c_.field(child(ch, "order_number"), "order.channel.order_number", FieldType::kString,
               o.order_number);
      c_.field(child(ch, "store"), "order.channel.store", FieldType::kString, o.store);
      c_.field(child(ch, "status"), "order.channel.status", FieldType::kString, o.channel_status);
    }
    c_.field(child(node, "status"), "order.status", FieldType::kOrderStatus, o.status);
    c_.field(child(node, "payment_status"), "order.payment_status", FieldType::kPaymentStatus,
             o.payment_status);
    c_.field(child(node, "placed_at"), "order.placed_at", FieldType::kTime, o.placed_at);
    c_.field(child(node, "updated_at"), "order.updated_at", FieldType::kTime, o.updated_at);
    if (child(node, "currency") == nullptr) {
      c_.error(*node, "order.currency", "required: the ISO 4217 code amounts are in");
    }
    c_.field(child(node, "currency"), "order.currency", FieldType::kString, o.currency);
    c_.field(child(node, "taxes_included"), "order.taxes_included", FieldType::kBool,
             o.taxes_included);
    c_.field(child(node, "test"), "order.test", FieldType::kBool, o.test);
    if (const SettingNode* t = child(node, "totals");
        t != nullptr &&
        c_.onlyKeys(*t, "order.totals", {"subtotal", "discount", "shipping", "tax", "total"})) {
      c_.field(child(t, "subtotal"), "order.totals.subtotal", FieldType::kMoney, o.subtotal);
      c_.field(child(t, "discount"), "order.totals.discount", FieldType::kMoney, o.discount);
      c_.field(child(t, "shipping"), "order.totals.shipping", FieldType::kMoney, o.shipping_total);
      c_.field(child(t, "tax"), "order.totals.tax", FieldType::kMoney, o.tax);
      c_.field(child(t, "total"), "order.totals.total", FieldType::kMoney, o.total);
    }
    if (const SettingNode* cu = child(node, "customer");
        cu != nullptr && c_.onlyKeys(*cu, "order.customer", {"id", "email", "name", "phone"})) {
      o.has_customer = true;
      c_.field(child(cu, "id"), "order.customer.id", FieldType::kString, o.customer_id);
      c_.field(child(cu, "email"), "order.customer.email", FieldType::kString, o.email);
      c_.field(child(cu, "name"), "order.customer.name", FieldType::kString, o.name);
      c_.field(child(cu, "phone"), "order.customer.phone", FieldType::kString, o.phone);
    }
    address(child(node, "ship_to"), "order.ship_to", o.ship_to);
    address(child(node, "bill_to"), "order.bill_to", o.bill_to);
    if (const SettingNode* s = child(node, "shipping");
        s != nullptr &&
        c_.onlyKeys(*s, "order.shipping", {"method", "service_level", "ship_by", "deliver_by"})) {
      o.has_shipping = true;
      c_.field(child(s, "method"), "order.shipping.method", FieldType::kString, o.method);
      c_.field(child(s, "service_level"), "order.shipping.service_level", FieldType::kString,
               o.service_level);
      c_.field(child(s, "ship_by"), "order.shipping.ship_by", FieldType::kTime, o.ship_by);
      c_.field(child(s, "deliver_by"), "order.shipping.deliver_by", FieldType::kTime, o.deliver_by);
    }
    lines(child(node, "lines"), *node);
  }

  void lines(const SettingNode* node, const SettingNode& order) {
    if (node == nullptr) {
      c_.error(order, "order.lines", "required: an order has lines");
      return;
    }
    const std::string p = "order.lines";
    if (!c_.onlyKeys(
            *node, p,
            {"each", "line_id", "sku", "channel_sku", "title", "quantity", "unit_price", "discount",
             "tax", "total", "status", "tracking_number", "shipping_provider"})) {
      return;
    }
    LinePlan& l = plan_.order.lines;
    if (const SettingNode* each = child(node, "each")) {
      l.has_each = c_.path(*each, p + ".each", l.each);
    } else if (!isTextFormat(plan_.format)) {
      c_.error(*node, p + ".each", "required: the path of the order's lines");
    }
    for (std::string_view required : {"line_id", "quantity"}) {
      if (child(node, required) == nullptr) {
        c_.error(*node, p + "." + std::string(required),
                 "required (line_id may be {position: true} when the channel has none)");
      }
    }
    c_.field(child(node, "line_id"), p + ".line_id", FieldType::kString, l.line_id);
    c_.field(child(node, "sku"), p + ".sku", FieldType::kString, l.sku);
    c_.field(child(node, "channel_sku"), p + ".channel_sku", FieldType::kString, l.channel_sku);
    c_.field(child(node, "title"), p + ".title", FieldType::kString, l.title);
    c_.field(child(node, "quantity"), p + ".quantity", FieldType::kInteger, l.quantity);
    c_.field(child(node, "unit_price"), p + ".unit_price", FieldType::kMoney, l.unit_price);
    c_.field(child(node, "discount"), p + ".discount", FieldType::kMoney, l.discount);
    c_.field(child(node, "tax"), p + ".tax", FieldType::kMoney, l.tax);
    c_.field(child(node, "total"), p + ".total", FieldType::kMoney, l.total);
    c_.field(child(node, "status"), p + ".status", FieldType::kString, l.status);
    c_.field(child(node, "tracking_number"), p + ".tracking_number", FieldType::kTrackingNumber,
             l.tracking_number);
    c_.field(child(node, "shipping_provider"), p + ".shipping_provider", FieldType::kString,
             l.shipping_provider);
  }

  void location(const SettingNode* node, const std::string& p, LocationPlan& l) {
    if (node == nullptr ||
        !c_.onlyKeys(*node, p, {"city", "region", "postal_code", "country_code"})) {
      return;
    }
    c_.field(child(node, "city"), p + ".city", FieldType::kString, l.city);
    c_.field(child(node, "region"), p + ".region", FieldType::kString, l.region);
    c_.field(child(node, "postal_code"), p + ".postal_code", FieldType::kString, l.postal_code);
    c_.field(child(node, "country_code"), p + ".country_code", FieldType::kCountry, l.country_code);
  }

  void tracking(const SettingNode* node, const SettingNode& root) {
    if (node == nullptr) {
      c_.error(root, "tracking", "required for kind: carrier");
      return;
    }
    if (!c_.onlyKeys(*node, "tracking",
                     {"each", "group_by", "skip_when", "tracking_number", "order_key",
                      "estimated_delivery", "events"})) {
      return;
    }
    TrackingPlan& t = plan_.tracking;
    records(*node, "tracking");
    if (child(node, "tracking_number") == nullptr) {
      c_.error(*node, "tracking.tracking_number", "required");
    }
    c_.field(child(node, "tracking_number"), "tracking.tracking_number", FieldType::kTrackingNumber,
             t.tracking_number);
    c_.field(child(node, "order_key"), "tracking.order_key", FieldType::kString, t.order_key);
    c_.field(child(node, "estimated_delivery"), "tracking.estimated_delivery",
             FieldType::kDateOrTime, t.estimated_delivery);
    const SettingNode* ev = child(node, "events");
    const std::string p = "tracking.events";
    if (ev == nullptr || !c_.onlyKeys(*ev, p,
                                      {"each", "code", "text", "sub_status", "occurred_at",
                                       "local_time", "description", "location"})) {
      c_.error(ev ? *ev : *node, p, "required: {each: …, code: …, occurred_at: …}");
      return;
    }
    const SettingNode* each = child(ev, "each");
    if (each == nullptr) {
      c_.error(*ev, p + ".each", "required: the path of the events (@ for the record itself)");
    } else {
      (void)c_.path(*each, p + ".each", t.events_each);
    }
    if (child(ev, "occurred_at") == nullptr) {
      c_.error(*ev, p + ".occurred_at", "required");
    }
    c_.field(child(ev, "code"), p + ".code", FieldType::kString, t.code);
    c_.field(child(ev, "text"), p + ".text", FieldType::kString, t.text);
    c_.field(child(ev, "sub_status"), p + ".sub_status", FieldType::kString, t.sub_status);
    c_.field(child(ev, "occurred_at"), p + ".occurred_at", FieldType::kTime, t.occurred_at);
    c_.field(child(ev, "local_time"), p + ".local_time", FieldType::kString, t.local_time);
    c_.field(child(ev, "description"), p + ".description", FieldType::kString, t.description);
    location(child(ev, "location"), p + ".location", t.location);
  }

  bool outcome(const SettingNode& node, const std::string& p, StatusOutcome& out) {
    const SettingNode* status = &node;
    if (node.kind == Kind::kMap) {
      if (!c_.onlyKeys(node, p, {"status", "sub_status"})) {
        return false;
      }
      status = child(&node, "status");
      if (const SettingNode* sub = child(&node, "sub_status")) {
        out.sub_status = sub->scalar;
      }
    }
    if (status != nullptr && status->scalar == "keep") {
      out.keep = true;
      return true;
    }
    const auto parsed = status ? canonical::parseTrackingStatus(status->scalar) : std::nullopt;
    if (!parsed) {
      c_.error(status ? *status : node, p,
               "\"" + (status ? status->scalar : std::string()) +
                   "\" is not a canonical tracking status (label_created, in_transit, "
                   "out_for_delivery, available_for_pickup, delivered, attempt_failed, "
                   "exception, returned_to_sender, cancelled, unknown) or keep");
      return false;
    }
    out.status = *parsed;
    return true;
  }

  void status(const SettingNode* node, const SettingNode& root) {
    if (node == nullptr) {
      c_.error(root, "status", "required for kind: carrier: {table: {code: status}, …}");
      return;
    }
    if (!c_.onlyKeys(*node, "status", {"rules", "table", "ignore_case", "key", "fallback"})) {
      return;
    }
    StatusPlan& s = plan_.status;
    if (const SettingNode* ic = child(node, "ignore_case")) {
      s.ignore_case = scalarBool(c_, *ic, "status.ignore_case");
    }
    c_.field(child(node, "key"), "status.key", FieldType::kString, s.key);
    if (const SettingNode* fb = child(node, "fallback")) {
      outcome(*fb, "status.fallback", s.fallback);
    }
    if (const SettingNode* table = child(node, "table")) {
      if (table->kind != Kind::kMap) {
        c_.error(*table, "status.table", "expected a map {carrier code: canonical status}");
      } else {
        for (const auto& [code, value] : table->map) {
          StatusOutcome o;
          if (outcome(value, "status.table." + code, o)) {
            std::string key = code;
            if (s.ignore_case) {
              std::transform(key.begin(), key.end(), key.begin(),
                             [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
            }
            s.table.emplace_back(std::move(key), std::move(o));
          }
        }
        std::sort(s.table.begin(), s.table.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
      }
    }
    if (const SettingNode* rules = child(node, "rules")) {
      if (rules->kind != Kind::kList) {
        c_.error(*rules, "status.rules", "expected a list of {when: …, status: …}");
        return;
      }
      for (std::size_t i = 0; i < rules->list.size(); ++i) {
        const SettingNode& item = rules->list[i];
        const std::string p = "status.rules[" + std::to_string(i) + "]";
        if (!c_.onlyKeys(item, p, {"when", "status", "sub_status"})) {
          continue;
        }
        const SettingNode* when = child(&item, "when");
        if (when == nullptr || child(&item, "status") == nullptr) {
          c_.error(item, p, "needs when and status");
          continue;
        }
        StatusRule rule;
        SettingNode o = item;
        o.map.erase("when");
        if (!outcome(o, p, rule.outcome)) {
          continue;
        }
        rule.when = c_.condition(*when, p + ".when", c_.rule(*when, p + ".when"));
        if (rule.when) {
          s.rules.push_back(std::move(rule));
        }
      }
    }
    if (s.table.empty() && s.rules.empty()) {
      c_.error(*node, "status", "declare a table, rules, or both");
    }
  }

  MappingPlan& plan_;
  FieldErrors& errors_;
  ExprCompiler c_;
};

}  // namespace

tl::expected<std::shared_ptr<const MappingPlan>, FieldErrors> compileMappingAll(
    const SettingNode& tree, std::string file_name) {
  auto plan = std::make_shared<MappingPlan>();
  plan->file = std::move(file_name);
  FieldErrors errors;
  PlanCompiler(*plan, errors).compile(tree);
  if (!errors.empty()) {
    return tl::unexpected(std::move(errors));
  }
  if (plan->format == SourceFormat::kJson) {
    plan->json_keys = JsonKeyTable(plan->columns);
  }
  return std::shared_ptr<const MappingPlan>(std::move(plan));
}

Result<std::shared_ptr<const MappingPlan>> compileMapping(const SettingNode& tree,
                                                          std::string file_name) {
  auto plan = compileMappingAll(tree, std::move(file_name));
  if (!plan) {
    const FieldErrors& errors = plan.error();
    std::string message = errors.front().message;
    if (errors.size() > 1) {
      message += " (+" + std::to_string(errors.size() - 1) + " more)";
    }
    return fail(ErrorCode::kConfig, std::move(message), errors.front().field);
  }
  return *plan;
}

std::string_view mappingName(const MappingPlan& plan) { return plan.name; }
MappingKind mappingKind(const MappingPlan& plan) { return plan.kind; }
std::string_view mappingFile(const MappingPlan& plan) { return plan.file; }
const std::vector<std::string>& mappingSettingKeys(const MappingPlan& plan) {
  return plan.settings;
}

}  // namespace ordergate::adapters::mapping
