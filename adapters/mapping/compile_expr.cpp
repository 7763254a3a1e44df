#include <algorithm>
#include <charconv>

#include "adapters/mapping/compile_util.hpp"
#include "adapters/mapping/compiler.hpp"
#include "canonical/order.hpp"

namespace ordergate::adapters::mapping {

using namespace compile_util;

namespace {

bool validEnum(FieldType type, std::string_view v) {
  switch (type) {
    case FieldType::kOrderStatus:
      return canonical::parseOrderStatus(v).has_value();
    case FieldType::kPaymentStatus:
      return canonical::parsePaymentStatus(v).has_value();
    case FieldType::kEventType: {
      const auto t = canonical::parseEventType(v);
      return t && *t != canonical::EventType::kTrackingUpdated;
    }
    case FieldType::kTrackingStatus:
      return canonical::parseTrackingStatus(v).has_value();
    default:
      return true;
  }
}

std::string_view enumName(FieldType type) {
  switch (type) {
    case FieldType::kOrderStatus:
      return "order status (pending_payment, open, partially_shipped, shipped, delivered, "
             "cancelled, returned, failed)";
    case FieldType::kPaymentStatus:
      return "payment status (pending, authorized, paid, partially_refunded, refunded, voided, "
             "unknown)";
    case FieldType::kEventType:
      return "event type (order.created, order.updated, order.cancelled)";
    case FieldType::kTrackingStatus:
      return "tracking status";
    default:
      return "value";
  }
}

}  // namespace

bool scalarBool(ExprCompiler& c, const SettingNode& node, const std::string& rule_path) {
  if (node.kind == Kind::kScalar && (node.scalar == "true" || node.scalar == "false")) {
    return node.scalar == "true";
  }
  c.error(node, rule_path, "expected true or false");
  return false;
}

void ExprCompiler::error(const SettingNode& node, const std::string& rule_path,
                         const std::string& message) {
  errors_.push_back(
      FieldError{plan_.file + ":" + std::to_string(node.line) + " " + rule_path, message});
}

bool ExprCompiler::onlyKeys(const SettingNode& node, const std::string& rule_path,
                            std::initializer_list<std::string_view> allowed) {
  if (node.kind != Kind::kMap) {
    error(node, rule_path, "expected a map of: " + join(allowed));
    return false;
  }
  for (const auto& [key, value] : node.map) {
    if (!contains(allowed, key)) {
      error(value, rule_path + "." + key,
            "unknown key \"" + key + "\" (expected one of: " + join(allowed) + ")");
    }
  }
  return true;
}

const RuleInfo* ExprCompiler::rule(const SettingNode& node, const std::string& rule_path) {
  RuleInfo& r = plan_.rules.emplace_back();
  r.file = plan_.file;
  r.line = node.line;
  r.path = rule_path;
  r.where = plan_.file + ":" + std::to_string(node.line) + " " + rule_path;
  plan_.by_path[rule_path] = &r;
  return &r;
}

bool ExprCompiler::path(const SettingNode& node, const std::string& rule_path, Path& out) {
  if (node.kind != Kind::kScalar || node.scalar.empty()) {
    error(node, rule_path, "expected a path");
    return false;
  }
  auto p = compilePath(plan_.format, node.scalar, plan_.columns);
  if (!p) {
    error(node, rule_path, p.error().message);
    return false;
  }
  out = std::move(*p);
  return true;
}

ExprPtr ExprCompiler::pathExpr(Path p, const RuleInfo* rule) {
  // One memo slot per distinct path text: the same text reads the same value at the same node.
  const auto [it, inserted] = plan_.path_memo_slots.emplace(
      p.text, static_cast<std::uint32_t>(plan_.path_memo_slots.size()));
  return makePathExpr(std::move(p), rule, it->second);
}

ExprPtr ExprCompiler::source(const SettingNode& node, const std::string& rule_path,
                             const RuleInfo* rule) {
  std::string key;
  for (std::string_view s : kSources) {
    if (child(node, s) != nullptr) {
      if (!key.empty()) {
        error(node, rule_path,
              "both \"" + key + "\" and \"" + std::string(s) + "\": a value has one source");
        return nullptr;
      }
      key = std::string(s);
    }
  }
  if (key.empty()) {
    error(node, rule_path, "no source: expected one of " + join(kSources));
    return nullptr;
  }
  const SettingNode& v = *child(node, key);
  const std::string sub = rule_path + "." + key;
  const auto scalarOnly = [&]() {
    if (v.kind != Kind::kScalar) {
      error(v, sub, "expected a single value");
      return false;
    }
    return true;
  };
  const auto list = [&](std::vector<ExprPtr>& parts) {
    if (v.kind != Kind::kList || v.list.empty()) {
      error(v, sub, "expected a list of values");
      return false;
    }
    for (std::size_t i = 0; i < v.list.size(); ++i) {
      ExprPtr part = text(v.list[i], sub + "[" + std::to_string(i) + "]", rule);
      if (!part) {
        return false;
      }
      parts.push_back(std::move(part));
    }
    return true;
  };
  const SettingNode* sep = child(node, "separator");
  if (sep != nullptr && key != "concat" && key != "split" && key != "join") {
    error(*sep, rule_path + ".separator", "separator belongs to concat, split or join");
  }
  if (const SettingNode* idx = child(node, "index"); idx != nullptr && key != "split") {
    error(*idx, rule_path + ".index", "index belongs to split");
  }
  if (key == "path") {
    Path p;
    return path(v, sub, p) ? pathExpr(std::move(p), rule) : nullptr;
  }
  if (key == "literal") {
    return scalarOnly() ? makeLiteral(v.scalar) : nullptr;
  }
  if (key == "header") {
    return scalarOnly() && !v.scalar.empty() ? makeHeader(v.scalar) : nullptr;
  }
  if (key == "setting") {
    if (!scalarOnly()) {
      return nullptr;
    }
    for (std::string_view reserved : {"mapping", "timezone", "secret", "adapter"}) {
      if (v.scalar == reserved) {
        error(v, sub, "\"" + v.scalar + "\" is reserved; use another settings key");
        return nullptr;
      }
    }
    auto it = std::find(plan_.settings.begin(), plan_.settings.end(), v.scalar);
    const auto index = static_cast<std::size_t>(it - plan_.settings.begin());
    if (it == plan_.settings.end()) {
      plan_.settings.push_back(v.scalar);
    }
    return makeSetting(index, v.scalar);
  }
  if (key == "position") {
    return scalarBool(*this, v, sub) ? makePosition() : nullptr;
  }
  if (key == "concat" || key == "first_of") {
    std::vector<ExprPtr> parts;
    if (!list(parts)) {
      return nullptr;
    }
    if (key == "first_of") {
      return makeFirstOf(std::move(parts));
    }
    return makeConcat(std::move(parts), sep != nullptr ? sep->scalar : std::string());
  }
  ExprPtr inner = text(v, sub, rule);
  if (!inner) {
    return nullptr;
  }
  if (key == "join") {
    return makeJoin(std::move(inner), sep != nullptr ? sep->scalar : std::string(", "));
  }
  // split
  if (sep == nullptr || sep->scalar.empty()) {
    error(node, rule_path, "split needs a non-empty separator");
    return nullptr;
  }
  std::optional<std::int64_t> index;
  if (const SettingNode* idx = child(node, "index")) {
    std::int64_t n = 0;
    const auto r = std::from_chars(idx->scalar.data(), idx->scalar.data() + idx->scalar.size(), n);
    if (r.ec != std::errc() || r.ptr != idx->scalar.data() + idx->scalar.size()) {
      error(*idx, rule_path + ".index", "expected an integer");
      return nullptr;
    }
    index = n;
  }
  return makeSplit(std::move(inner), sep->scalar, index);
}

ExprPtr ExprCompiler::text(const SettingNode& node, const std::string& rule_path,
                           const RuleInfo* rule, std::initializer_list<std::string_view> extra) {
  if (node.kind == Kind::kScalar) {
    Path p;
    if (!path(node, rule_path, p)) {
      return nullptr;
    }
    return pathExpr(std::move(p), rule);
  }
  if (node.kind != Kind::kMap) {
    error(node, rule_path, "expected a path or a map such as {path: …, default: …}");
    return nullptr;
  }
  bool ok = true;
  for (const auto& [key, value] : node.map) {
    if (!contains(kSources, key) && !contains(kModifiers, key) && !contains(extra, key)) {
      error(value, rule_path + "." + key,
            "unknown key \"" + key + "\" (sources: " + join(kSources) + "; modifiers: " +
                join(kModifiers) + (extra.size() ? "; " + join(extra) : "") + ")");
      ok = false;
    }
  }
  ExprPtr src = source(node, rule_path, rule);
  if (!src || !ok) {
    return nullptr;
  }
  if (const SettingNode* r = child(node, "replace")) {
    if (r->kind != Kind::kMap) {
      error(*r, rule_path + ".replace", "expected a map {from: to}");
      return nullptr;
    }
    for (const auto& [from, to] : r->map) {
      if (from.empty()) {
        error(to, rule_path + ".replace", "cannot replace the empty string");
        return nullptr;
      }
      src = makeReplace(std::move(src), from, to.scalar);
    }
  }
  Modifiers mods;
  if (const SettingNode* w = child(node, "when")) {
    mods.when = condition(*w, rule_path + ".when", rule);
    if (!mods.when) {
      return nullptr;
    }
  }
  if (const SettingNode* t = child(node, "trim")) {
    mods.trim = scalarBool(*this, *t, rule_path + ".trim");
  }
  if (const SettingNode* c = child(node, "case")) {
    if (c->scalar == "upper") {
      mods.text_case = Modifiers::Case::kUpper;
    } else if (c->scalar == "lower") {
      mods.text_case = Modifiers::Case::kLower;
    } else {
      error(*c, rule_path + ".case", "expected upper or lower");
    }
  }
  if (const SettingNode* p = child(node, "pad")) {
    std::size_t n = 0;
    const auto r = std::from_chars(p->scalar.data(), p->scalar.data() + p->scalar.size(), n);
    if (r.ec != std::errc() || r.ptr != p->scalar.data() + p->scalar.size() || n > 64) {
      error(*p, rule_path + ".pad", "expected a width from 0 to 64");
    }
    mods.pad = n;
  }
  if (const SettingNode* ic = child(node, "map_ignore_case")) {
    mods.map_ignore_case = scalarBool(*this, *ic, rule_path + ".map_ignore_case");
  }
  if (const SettingNode* m = child(node, "map")) {
    if (m->kind != Kind::kMap || m->map.empty()) {
      error(*m, rule_path + ".map", "expected a non-empty map {from: to}");
    } else {
      mods.has_map = true;
      for (const auto& [from, to] : m->map) {
        if (to.kind != Kind::kScalar) {
          error(to, rule_path + ".map." + from, "expected a single value");
          continue;
        }
        mods.map.emplace_back(mods.map_ignore_case ? lower(from) : from, to.scalar);
      }
      std::sort(mods.map.begin(), mods.map.end());
      for (std::size_t i = 1; i < mods.map.size(); ++i) {
        if (mods.map[i].first == mods.map[i - 1].first) {
          error(*m, rule_path + ".map", "key \"" + mods.map[i].first + "\" appears twice");
        }
      }
    }
  }
  if (const SettingNode* f = child(node, "fallback")) {
    if (!mods.has_map) {
      error(*f, rule_path + ".fallback", "fallback belongs to map (use default for absent values)");
    }
    mods.fallback = f->scalar;
  }
  if (const SettingNode* d = child(node, "default")) {
    if (d->kind != Kind::kScalar) {
      error(*d, rule_path + ".default", "expected a single value");
    }
    mods.default_value = d->scalar;
  }
  if (const SettingNode* r = child(node, "required")) {
    mods.required = scalarBool(*this, *r, rule_path + ".required");
  }
  if (!mods.any()) {
    return src;
  }
  return makeModified(std::move(src), std::move(mods), rule);
}

void ExprCompiler::checkEnumLiterals(const SettingNode& node, const std::string& rule_path,
                                     FieldType type) {
  if (node.kind != Kind::kMap) {
    return;
  }
  const auto check = [&](const SettingNode& v, const std::string& where) {
    if (v.kind == Kind::kScalar && !v.scalar.empty() && !validEnum(type, v.scalar)) {
      error(v, where, "\"" + v.scalar + "\" is not a canonical " + std::string(enumName(type)));
    }
  };
  for (std::string_view key : {"literal", "fallback", "default"}) {
    if (const SettingNode* v = child(node, key)) {
      check(*v, rule_path + "." + std::string(key));
    }
  }
  if (const SettingNode* m = child(node, "map"); m != nullptr && m->kind == Kind::kMap) {
    for (const auto& [from, to] : m->map) {
      check(to, rule_path + ".map." + from);
    }
  }
  if (const SettingNode* parts = child(node, "first_of"); parts != nullptr) {
    for (std::size_t i = 0; i < parts->list.size(); ++i) {
      checkEnumLiterals(parts->list[i], rule_path + ".first_of[" + std::to_string(i) + "]", type);
    }
  }
}

void ExprCompiler::field(const SettingNode* node, const std::string& rule_path, FieldType type,
                         Field& out) {
  out.type = type;
  if (node == nullptr) {
    return;
  }
  const RuleInfo* r = rule(*node, rule_path);
  out.rule = r;
  switch (type) {
    case FieldType::kMoney:
      out.money = money(*node, rule_path, r);
      break;
    case FieldType::kTime:
    case FieldType::kDateOrTime:
    case FieldType::kVersion:
      out.text = text(*node, rule_path, r, {"format", "zone", "offset", "epoch"});
      if (node->kind == Kind::kMap) {
        timeKeys(*node, rule_path, out.time, r);
      }
      break;
    default:
      out.text = text(*node, rule_path, r);
      checkEnumLiterals(*node, rule_path, type);
      break;
  }
  auto& info = const_cast<RuleInfo&>(*r);
  info.source = out.text ? out.text->text : node->kind == Kind::kScalar ? node->scalar : "";
}

}  // namespace ordergate::adapters::mapping
