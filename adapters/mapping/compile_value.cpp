#include "adapters/mapping/compile_util.hpp"
#include "adapters/mapping/compiler.hpp"

// Compiling conditions, money expressions and time keys.

namespace ordergate::adapters::mapping {

using namespace compile_util;

ConditionPtr ExprCompiler::condition(const SettingNode& node, const std::string& rule_path,
                                     const RuleInfo* rule) {
  if (node.kind != Kind::kMap) {
    error(node, rule_path, "expected a condition such as {header: X-Topic, equals: order.created}");
    return nullptr;
  }
  for (std::string_view logic : {"all", "any"}) {
    if (const SettingNode* parts = child(node, logic)) {
      if (node.map.size() != 1 || parts->kind != Kind::kList || parts->list.empty()) {
        error(node, rule_path, std::string(logic) + " takes a list of conditions and nothing else");
        return nullptr;
      }
      std::vector<ConditionPtr> conds;
      for (std::size_t i = 0; i < parts->list.size(); ++i) {
        auto c =
            condition(parts->list[i],
                      rule_path + "." + std::string(logic) + "[" + std::to_string(i) + "]", rule);
        if (!c) {
          return nullptr;
        }
        conds.push_back(std::move(c));
      }
      return logic == "all" ? makeAll(std::move(conds)) : makeAny(std::move(conds));
    }
  }
  if (const SettingNode* inner = child(node, "not")) {
    if (node.map.size() != 1) {
      error(node, rule_path, "not takes one condition and nothing else");
      return nullptr;
    }
    auto c = condition(*inner, rule_path + ".not", rule);
    return c ? makeNot(std::move(c)) : nullptr;
  }
  std::string op;
  SettingNode value_node;
  value_node.kind = Kind::kMap;
  value_node.line = node.line;
  bool ignore_case = false;
  for (const auto& [key, v] : node.map) {
    if (contains(kOperators, key)) {
      if (!op.empty()) {
        error(v, rule_path, "two operators \"" + op + "\" and \"" + key + "\"");
        return nullptr;
      }
      op = key;
    } else if (key == "ignore_case") {
      ignore_case = scalarBool(*this, v, rule_path + ".ignore_case");
    } else {
      value_node.map.emplace(key, v);
    }
  }
  if (op.empty()) {
    error(node, rule_path, "no operator: expected one of " + join(kOperators));
    return nullptr;
  }
  ExprPtr value;
  if (const SettingNode* v = child(value_node, "value");
      v != nullptr && value_node.map.size() == 1) {
    value = text(*v, rule_path + ".value", rule);
  } else {
    value = text(value_node, rule_path, rule);
  }
  if (!value) {
    return nullptr;
  }
  const SettingNode& operand = *child(node, op);
  std::vector<std::string> operands = scalars(operand);
  CompareOp cmp = CompareOp::kEquals;
  if (op == "equals" || op == "not_equals") {
    if (operand.kind != Kind::kScalar) {
      error(operand, rule_path + "." + op, "expected a single value (use in: for a list)");
      return nullptr;
    }
    cmp = op == "equals" ? CompareOp::kEquals : CompareOp::kNotEquals;
  } else if (op == "in" || op == "not_in") {
    if (operand.kind != Kind::kList) {
      error(operand, rule_path + "." + op, "expected a list");
      return nullptr;
    }
    cmp = op == "in" ? CompareOp::kIn : CompareOp::kNotIn;
  } else if (op == "prefix") {
    cmp = CompareOp::kPrefix;
  } else if (op == "contains") {
    cmp = CompareOp::kContains;
  } else {
    cmp = CompareOp::kExists;
    operands = {scalarBool(*this, operand, rule_path + ".exists") ? "true" : "false"};
  }
  return makeCompare(std::move(value), cmp, std::move(operands), ignore_case);
}

MoneyExprPtr ExprCompiler::money(const SettingNode& node, const std::string& rule_path,
                                 const RuleInfo* rule) {
  if (node.kind == Kind::kMap) {
    if (const SettingNode* sum = child(node, "sum")) {
      if (const SettingNode* each = child(node, "each")) {
        onlyKeys(node, rule_path, {"each", "sum"});
        Path p;
        if (!path(*each, rule_path + ".each", p)) {
          return nullptr;
        }
        auto inner = money(*sum, rule_path + ".sum", rule);
        return inner ? makeMoneySumEach(std::move(p), std::move(inner), rule) : nullptr;
      }
      onlyKeys(node, rule_path, {"sum"});
      auto values = text(*sum, rule_path + ".sum", rule);
      return values ? makeMoneySum(std::move(values), rule) : nullptr;
    }
    for (std::string_view op : {"add", "subtract"}) {
      if (const SettingNode* parts = child(node, op)) {
        onlyKeys(node, rule_path, {op});
        if (parts->kind != Kind::kList || parts->list.size() < 2) {
          error(*parts, rule_path + "." + std::string(op),
                "expected a list of two or more amounts");
          return nullptr;
        }
        std::vector<MoneyExprPtr> terms;
        for (std::size_t i = 0; i < parts->list.size(); ++i) {
          auto t = money(parts->list[i],
                         rule_path + "." + std::string(op) + "[" + std::to_string(i) + "]", rule);
          if (!t) {
            return nullptr;
          }
          terms.push_back(std::move(t));
        }
        return makeMoneyAdd(std::move(terms), op == "subtract", rule);
      }
    }
    if (const SettingNode* parts = child(node, "multiply")) {
      onlyKeys(node, rule_path, {"multiply"});
      if (parts->kind != Kind::kList || parts->list.size() != 2) {
        error(*parts, rule_path + ".multiply", "expected [amount, integer factor]");
        return nullptr;
      }
      auto amount = money(parts->list[0], rule_path + ".multiply[0]", rule);
      auto factor = text(parts->list[1], rule_path + ".multiply[1]", rule);
      return amount && factor ? makeMoneyMultiply(std::move(amount), std::move(factor), rule)
                              : nullptr;
    }
    if (const SettingNode* parts = child(node, "divide")) {
      onlyKeys(node, rule_path, {"divide", "inexact"});
      if (parts->kind != Kind::kList || parts->list.size() != 2) {
        error(*parts, rule_path + ".divide", "expected [amount, integer divisor]");
        return nullptr;
      }
      bool inexact_absent = false;
      if (const SettingNode* inexact = child(node, "inexact")) {
        if (inexact->scalar == "absent") {
          inexact_absent = true;
        } else if (inexact->scalar != "error") {
          error(*inexact, rule_path + ".inexact", "expected error or absent");
        }
      }
      auto amount = money(parts->list[0], rule_path + ".divide[0]", rule);
      auto divisor = text(parts->list[1], rule_path + ".divide[1]", rule);
      return amount && divisor
                 ? makeMoneyDivide(std::move(amount), std::move(divisor), inexact_absent, rule)
                 : nullptr;
    }
    if (const SettingNode* inner = child(node, "negate")) {
      onlyKeys(node, rule_path, {"negate"});
      auto m = money(*inner, rule_path + ".negate", rule);
      return m ? makeMoneyNegate(std::move(m), rule) : nullptr;
    }
    if (child(node, "each") != nullptr) {
      error(node, rule_path, "each belongs to sum: {each: …, sum: …}");
      return nullptr;
    }
  }
  auto value = text(node, rule_path, rule);
  return value ? makeMoneyLeaf(std::move(value), rule) : nullptr;
}

void ExprCompiler::timeKeys(const SettingNode& node, const std::string& rule_path, TimeSpec& spec,
                            const RuleInfo* rule) {
  if (const SettingNode* f = child(node, "format")) {
    bool any_time = false;
    for (const std::string& format : scalars(*f)) {
      bool has_time = false;
      if (auto why = checkTimeFormat(format, has_time); why || format.empty()) {
        error(*f, rule_path + ".format", why.value_or("empty format"));
      }
      any_time = any_time || has_time;
      spec.formats.push_back(format);
    }
    if (spec.formats.empty()) {
      error(*f, rule_path + ".format", "expected a format or a list of formats");
    }
    spec.date_only = !any_time;
  }
  if (const SettingNode* z = child(node, "zone")) {
    if (z->kind == Kind::kScalar) {
      if (auto off = parseOffset(z->scalar)) {
        spec.offset_seconds = off;
      } else if (auto zone = canonical::findTimeZone(z->scalar)) {
        spec.zone = *zone;
      } else {
        error(*z, rule_path + ".zone", zone.error().message);
      }
    } else {
      spec.zone_expr = text(*z, rule_path + ".zone", rule);
    }
  }
  if (const SettingNode* o = child(node, "offset")) {
    if (auto off = parseOffset(o->scalar)) {
      spec.offset_seconds = off;
    } else {
      error(*o, rule_path + ".offset", "expected an offset such as +08:00");
    }
  }
  if (const SettingNode* e = child(node, "epoch")) {
    if (e->scalar == "seconds") {
      spec.epoch = TimeSpec::Epoch::kSeconds;
    } else if (e->scalar == "millis") {
      spec.epoch = TimeSpec::Epoch::kMillis;
    } else {
      error(*e, rule_path + ".epoch", "expected seconds or millis");
    }
  }
}

}  // namespace ordergate::adapters::mapping
