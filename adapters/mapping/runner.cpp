#include "adapters/mapping/runner.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "canonical/validate.hpp"

namespace ordergate::adapters::mapping {
namespace runner_detail {
namespace {

using canonical::Timestamp;

struct Scratch {
  Arena arena;
  std::string decoded;
  std::vector<Node> records;
  std::vector<Node> members;
  std::vector<Node> children;
  std::vector<std::size_t> order;  // record indexes, grouped
  std::vector<PathMemo> path_memo;
  std::uint32_t path_memo_stamp = 0;
};

Scratch& threadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

Result<std::unique_ptr<Document>> parseSource(const MappingPlan& plan, std::string_view body,
                                              Scratch& s) {
  if (plan.format == SourceFormat::kJson) {
    return parseJson(body, &plan.json_keys);
  }
  auto text = toUtf8(body, plan.encoding, plan.encoding_name, s.decoded);
  if (!text) {
    return tl::unexpected(text.error());
  }
  switch (plan.format) {
    case SourceFormat::kXml:
      return parseXml(*text);
    case SourceFormat::kCsv:
      return parseDelimited(*text, ',', true, plan.columns);
    case SourceFormat::kTsv:
      return parseDelimited(*text, '\t', false, plan.columns);
    case SourceFormat::kJson:
      break;
  }
  return parseJson(body, &plan.json_keys);
}

template <class Parse>
auto evalEnum(EvalContext& ctx, const Field& f, Parse parse, std::string_view what)
    -> decltype(parse(std::string_view())) {
  std::string_view v;
  if (!f.present() || !evalRaw(ctx, f, v)) {
    return std::nullopt;
  }
  auto parsed = parse(v);
  if (!parsed) {
    addError(ctx, *f.rule, exprPath(*f.text), nullptr,
             "\"" + std::string(v) + "\" is not a canonical " + std::string(what) + " (add a map)");
  }
  return parsed;
}

// Built in place: an Address is nine strings, not worth a temporary and a move.
void address(EvalContext& ctx, const AddressPlan& p, std::optional<canonical::Address>& out) {
  if (!p.declared) {
    return;
  }
  canonical::Address& a = out.emplace();
  assign(ctx, p.name, a.name);
  assign(ctx, p.company, a.company);
  assign(ctx, p.line1, a.line1);
  assign(ctx, p.line2, a.line2);
  assign(ctx, p.city, a.city);
  assign(ctx, p.region, a.region);
  assign(ctx, p.postal_code, a.postal_code);
  if (p.country_code.present()) {
    (void)evalCountry(ctx, p.country_code, a.country_code);
  }
  assign(ctx, p.phone, a.phone);
  if (a.name.empty() && a.company.empty() && a.line1.empty() && a.line2.empty() && a.city.empty() &&
      a.region.empty() && a.postal_code.empty() && a.country_code.empty() && a.phone.empty()) {
    out.reset();
  }
}

// "lines[2].quantity" → "lines.quantity".
std::string stripIndexes(std::string_view field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '[') {
      const std::size_t close = field.find(']', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

}  // namespace

void required(EvalContext& ctx, const Field& f, std::size_t errors_before) {
  if (ctx.errors->size() == errors_before && f.rule != nullptr) {
    addError(ctx, *f.rule, f.text ? exprPath(*f.text) : nullptr, nullptr, "required");
  }
}

std::string str(EvalContext& ctx, const Field& f) {
  std::string out;
  if (f.present()) {
    (void)evalString(ctx, f, out);
  }
  return out;
}

void assign(EvalContext& ctx, const Field& f, std::string& out) {
  if (f.present()) {
    (void)evalString(ctx, f, out);
  }
}

std::optional<Timestamp> time(EvalContext& ctx, const Field& f) {
  return f.present() ? evalTime(ctx, f) : std::nullopt;
}

std::string country(EvalContext& ctx, const Field& f) {
  std::string out;
  if (f.present()) {
    (void)evalCountry(ctx, f, out);
  }
  return out;
}

void addValidationErrors(const MappingPlan& plan, const FieldErrors& found, std::string_view root,
                         FieldErrors& out) {
  for (const FieldError& e : found) {
    const std::string rule_path = std::string(root) + "." + stripIndexes(e.field);
    const auto it = plan.by_path.find(rule_path);
    std::string field;
    if (it != plan.by_path.end()) {
      field = it->second->file + ":" + std::to_string(it->second->line) + " " + std::string(root) +
              "." + e.field;
      if (!it->second->source.empty()) {
        field += " (source " + it->second->source + ")";
      }
    } else {
      field = plan.file + " " + std::string(root) + "." + e.field;
    }
    out.push_back(FieldError{std::move(field), "canonical check: " + e.message});
  }
}

void Runner::run() {
  Scratch& scratch = threadScratch();
  scratch.arena.reset();
  ctx_.headers = in_.headers;
  ctx_.settings = in_.settings;
  ctx_.zone = in_.zone != nullptr ? in_.zone : plan_.zone;
  ctx_.arena = &scratch.arena;
  ctx_.errors = &out_.errors;
  if (scratch.path_memo.size() < plan_.path_memo_slots.size()) {
    scratch.path_memo.resize(plan_.path_memo_slots.size());  // new slots have stamp 0: empty
  }
  if (++scratch.path_memo_stamp == 0) {  // wrapped: really clear once every 2^32 runs
    std::fill(scratch.path_memo.begin(), scratch.path_memo.end(), PathMemo{});
    scratch.path_memo_stamp = 1;
  }
  ctx_.path_memo = scratch.path_memo.data();
  ctx_.path_memo_stamp = scratch.path_memo_stamp;

  if (ignored(false)) {
    return;
  }
  auto doc = parseSource(plan_, in_.body, scratch);
  if (!doc) {
    out_.errors.push_back(FieldError{plan_.file + " source", doc.error().message});
    return;
  }
  doc_ = doc->get();
  ctx_.doc = doc_;
  ctx_.root = ctx_.record = ctx_.current = doc_->root();
  if (ignored(true)) {
    return;
  }
  if (plan_.event.delivery_id.present()) {
    (void)evalString(ctx_, plan_.event.delivery_id, out_.delivery_id);
  }
  std::vector<Node>& records = scratch.records;
  records.clear();
  if (isTextFormat(plan_.format)) {
    doc_->allRows(records);
  } else if (plan_.has_each) {
    doc_->select(plan_.each, originNode(ctx_, plan_.each), records);
  } else {
    records.push_back(ctx_.root);
  }
  members_ = &scratch.members;
  children_ = &scratch.children;
  for (const Group& g : group(records, scratch.order)) {
    const std::size_t errors_before = out_.errors.size();
    ctx_.record = ctx_.current = records[g.first];
    Frame frame{plan_.has_each ? &plan_.each : nullptr, g.first, nullptr};
    ctx_.frame = &frame;
    members_->clear();
    for (std::size_t k = g.begin; k < g.end; ++k) {
      members_->push_back(records[scratch.order[k]]);
    }
    if (plan_.skip_when && plan_.skip_when->test(ctx_)) {
      continue;
    }
    if (plan_.kind == MappingKind::kChannel) {
      buildOrder(frame, errors_before);
    } else {
      buildTracking(frame, errors_before);
    }
  }
  if (!out_.errors.empty()) {
    out_.events.clear();
  }
}

bool Runner::ignored(bool with_document) {
  for (const IgnoreRule& rule : plan_.ignore) {
    if (rule.when->uses_document == with_document && rule.when->test(ctx_)) {
      out_.ignored = rule.reason;
      return true;
    }
  }
  return false;
}

std::vector<Runner::Group> Runner::group(const std::vector<Node>& records,
                                         std::vector<std::size_t>& order) {
  std::vector<Group> groups;
  order.clear();
  if (!plan_.group_by.present()) {
    groups.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      order.push_back(i);
      groups.push_back(Group{i, i, i + 1});
    }
    return groups;
  }
  std::unordered_map<std::string_view, std::size_t> index;
  std::vector<std::size_t> group_of(records.size(), SIZE_MAX);
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < records.size(); ++i) {
    ctx_.record = ctx_.current = records[i];
    Frame frame{plan_.has_each ? &plan_.each : nullptr, i, nullptr};
    ctx_.frame = &frame;
    std::string_view key;
    const std::size_t before = out_.errors.size();
    if (!evalRaw(ctx_, plan_.group_by, key)) {
      required(ctx_, plan_.group_by, before);
      continue;
    }
    const auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      groups.push_back(Group{i, 0, 0});
      counts.push_back(0);
    }
    group_of[i] = it->second;
    ++counts[it->second];
  }
  ctx_.frame = nullptr;
  std::size_t offset = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    groups[g].begin = groups[g].end = offset;
    offset += counts[g];
  }
  order.resize(offset);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (group_of[i] != SIZE_MAX) {
      order[groups[group_of[i]].end++] = i;
    }
  }
  return groups;
}

void Runner::children(bool has_each, const Path& each, std::vector<Node>& out) {
  out.clear();
  for (const Node& m : *members_) {
    if (!has_each || each.self) {
      out.push_back(m);
      continue;
    }
    ctx_.current = m;
    doc_->select(each, originNode(ctx_, each), out);
  }
  ctx_.current = ctx_.record;
}

void Runner::sourceInfo(canonical::SourceInfo& source) {
  source.received_at = in_.received_at;
  source.delivery_id = out_.delivery_id;
  source.topic = str(ctx_, plan_.event.topic);
  if (isTextFormat(plan_.format)) {
    for (const Node& m : *members_) {
      source.line += (source.line.empty() ? "" : ",") + std::to_string(doc_->lineOf(m));
    }
  }
}

void Runner::buildOrder(const Frame& record_frame, std::size_t errors_before) {
  const OrderPlan& p = plan_.order;
  // The order is built where it is delivered, inside its event: no move of ~60 strings.
  canonical::CanonicalEvent& event = out_.events.emplace_back();
  canonical::Order& o = event.data.emplace<canonical::Order>();
  o.channel.type = plan_.name;
  o.channel.id = std::string(in_.channel_id);
  std::size_t before = out_.errors.size();
  if (!evalString(ctx_, p.order_id, o.channel.order_id)) {
    required(ctx_, p.order_id, before);
  }
  o.order_key = canonical::makeOrderKey(o.channel.id, o.channel.order_id);
  assign(ctx_, p.order_number, o.channel.order_number);
  assign(ctx_, p.store, o.channel.store);
  assign(ctx_, p.channel_status, o.channel.status);
  o.status = evalEnum(ctx_, p.status, canonical::parseOrderStatus, "order status")
                 .value_or(canonical::OrderStatus::kOpen);
  o.payment_status =
      evalEnum(ctx_, p.payment_status, canonical::parsePaymentStatus, "payment status")
          .value_or(canonical::PaymentStatus::kUnknown);
  o.placed_at = time(ctx_, p.placed_at);
  o.updated_at = time(ctx_, p.updated_at);
  before = out_.errors.size();
  if (!evalString(ctx_, p.currency, o.currency)) {
    required(ctx_, p.currency, before);
  }
  if (p.taxes_included.present()) {
    o.taxes_included = evalBool(ctx_, p.taxes_included);
  }
  if (p.test.present()) {
    o.test = evalBool(ctx_, p.test).value_or(false);
  }
  o.totals.subtotal = evalMoney(ctx_, p.subtotal, o.currency);
  o.totals.discount = evalMoney(ctx_, p.discount, o.currency);
  o.totals.shipping = evalMoney(ctx_, p.shipping_total, o.currency);
  o.totals.tax = evalMoney(ctx_, p.tax, o.currency);
  o.totals.total = evalMoney(ctx_, p.total, o.currency);
  if (p.has_customer) {
    canonical::Customer& c = o.customer.emplace();
    assign(ctx_, p.customer_id, c.id);
    assign(ctx_, p.email, c.email);
    assign(ctx_, p.name, c.name);
    assign(ctx_, p.phone, c.phone);
    if (c.empty()) {
      o.customer.reset();
    }
  }
  address(ctx_, p.ship_to, o.ship_to);
  address(ctx_, p.bill_to, o.bill_to);
  if (p.has_shipping) {
    canonical::Shipping s{str(ctx_, p.method), str(ctx_, p.service_level), time(ctx_, p.ship_by),
                          time(ctx_, p.deliver_by)};
    if (!s.method.empty() || !s.service_level.empty() || s.ship_by || s.deliver_by) {
      o.shipping = std::move(s);
    }
  }
  buildLines(o, record_frame);
  sourceInfo(o.source);

  event.type = canonical::EventType::kOrderUpdated;
  if (plan_.event.type.present()) {
    if (auto t = evalEnum(ctx_, plan_.event.type, canonical::parseEventType, "event type")) {
      event.type = *t;
    }
  }
  before = out_.errors.size();
  if (plan_.event.version.present()) {
    if (!evalVersion(ctx_, plan_.event.version, o.version)) {
      required(ctx_, plan_.event.version, before);
    }
  } else if (o.updated_at) {
    o.version = canonical::formatRfc3339(*o.updated_at);
  } else {
    required(ctx_, p.updated_at, before);
  }
  event.time = time(ctx_, plan_.event.time)
                   .value_or(o.updated_at.value_or(o.placed_at.value_or(in_.received_at)));
  if (out_.errors.size() != errors_before) {
    out_.events.pop_back();
    return;
  }
  const FieldErrors invalid = canonical::validate(o);
  if (!invalid.empty()) {
    addValidationErrors(plan_, invalid, "order", out_.errors);
    out_.events.pop_back();
    return;
  }
  event.source = "/channels/" + o.channel.id;
  event.subject = o.order_key;
  event.version = o.version;
  event.received_at = in_.received_at;
}

void Runner::buildLines(canonical::Order& o, const Frame& record_frame) {
  const LinePlan& p = plan_.order.lines;
  std::vector<Node>& nodes = *children_;
  children(p.has_each, p.each, nodes);
  o.lines.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Frame frame{p.has_each && !p.each.self ? &p.each : nullptr, i, &record_frame};
    ctx_.current = nodes[i];
    ctx_.frame = &frame;
    canonical::OrderLine& l = o.lines.emplace_back();
    std::size_t before = out_.errors.size();
    if (!evalString(ctx_, p.line_id, l.line_id)) {
      required(ctx_, p.line_id, before);
    }
    assign(ctx_, p.sku, l.sku);
    assign(ctx_, p.channel_sku, l.channel_sku);
    assign(ctx_, p.title, l.title);
    before = out_.errors.size();
    if (auto q = evalInteger(ctx_, p.quantity)) {
      l.quantity = *q;
    } else {
      required(ctx_, p.quantity, before);
    }
    l.unit_price = evalMoney(ctx_, p.unit_price, o.currency);
    l.discount = evalMoney(ctx_, p.discount, o.currency);
    l.tax = evalMoney(ctx_, p.tax, o.currency);
    l.total = evalMoney(ctx_, p.total, o.currency);
    assign(ctx_, p.status, l.status);
    assign(ctx_, p.tracking_number, l.tracking_number);
    assign(ctx_, p.shipping_provider, l.shipping_provider);
  }
  ctx_.current = ctx_.record;
  ctx_.frame = &record_frame;
}

}  // namespace runner_detail

Normalized runPlan(const MappingPlan& plan, const RunInput& in) {
  Normalized out;
  runner_detail::Runner(plan, in, out).run();
  return out;
}

}  // namespace ordergate::adapters::mapping
