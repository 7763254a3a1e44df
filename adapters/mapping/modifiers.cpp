#include <algorithm>

#include "adapters/mapping/expr.hpp"
#include "adapters/mapping/text_util.hpp"

// Modifiers (when, trim, case, pad, map, default, required) and conditions.

namespace ordergate::adapters::mapping {
namespace {

class ModifiedExpr final : public Expr {
 public:
  ModifiedExpr(ExprPtr inner, Modifiers mods, const RuleInfo* rule)
      : inner_(std::move(inner)), mods_(std::move(mods)), rule_(rule) {
    uses_document = inner_->uses_document || (mods_.when && mods_.when->uses_document);
    text = inner_->text;
  }

  bool one(EvalContext& ctx, std::string_view& out) const override {
    if (mods_.when && !mods_.when->test(ctx)) {
      return finish(ctx, false, out);
    }
    if (!inner_->one(ctx, out)) {
      return finish(ctx, false, out);
    }
    return finish(ctx, transform(ctx, out), out);
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    const std::size_t before = out.size();
    if (!mods_.when || mods_.when->test(ctx)) {
      inner_->all(ctx, out);
      std::size_t kept = before;
      for (std::size_t i = before; i < out.size(); ++i) {
        std::string_view v = out[i];
        if (transform(ctx, v)) {
          out[kept++] = v;
        }
      }
      out.resize(kept);
    }
    if (out.size() == before) {
      std::string_view v;
      if (finish(ctx, false, v)) {
        out.push_back(v);
      }
    }
  }

  const Path* sourcePath() const override { return inner_->sourcePath(); }

 private:
  bool finish(EvalContext& ctx, bool have, std::string_view& out) const {
    if (have) {
      return true;
    }
    if (mods_.default_value) {
      out = *mods_.default_value;
      return true;
    }
    if (mods_.required && rule_ != nullptr) {
      addError(ctx, *rule_, sourcePath(), nullptr, "required");
    }
    return false;
  }

  bool transform(EvalContext& ctx, std::string_view& v) const {
    if (mods_.trim) {
      v = trimView(v);
    }
    if (mods_.text_case != Modifiers::Case::kKeep || v.size() < mods_.pad) {
      const std::size_t pad = v.size() < mods_.pad ? mods_.pad - v.size() : 0;
      char* p = ctx.arena->allocate(v.size() + pad);
      std::fill(p, p + pad, '0');
      for (std::size_t i = 0; i < v.size(); ++i) {
        p[pad + i] = mods_.text_case == Modifiers::Case::kUpper   ? upperAscii(v[i])
                     : mods_.text_case == Modifiers::Case::kLower ? lowerAscii(v[i])
                                                                  : v[i];
      }
      v = std::string_view(p, v.size() + pad);
    }
    if (v.empty()) {
      return false;
    }
    if (mods_.has_map) {
      std::string_view key = v;
      if (mods_.map_ignore_case) {
        char* p = ctx.arena->allocate(v.size());
        std::transform(v.begin(), v.end(), p, lowerAscii);
        key = std::string_view(p, v.size());
      }
      const auto it =
          std::lower_bound(mods_.map.begin(), mods_.map.end(), key,
                           [](const std::pair<std::string, std::string>& e, std::string_view k) {
                             return std::string_view(e.first) < k;
                           });
      if (it != mods_.map.end() && it->first == key) {
        v = it->second;
      } else if (mods_.fallback) {
        v = *mods_.fallback;
      } else {
        if (rule_ != nullptr) {
          addError(
              ctx, *rule_, sourcePath(), nullptr,
              "unmapped value \"" + std::string(v) + "\" (add it to map or declare a fallback)");
        }
        return false;
      }
      return !v.empty();
    }
    return true;
  }

  ExprPtr inner_;
  Modifiers mods_;
  const RuleInfo* rule_;
};

class CompareCondition final : public Condition {
 public:
  CompareCondition(ExprPtr value, CompareOp op, std::vector<std::string> operands, bool ignore_case)
      : value_(std::move(value)),
        op_(op),
        operands_(std::move(operands)),
        ignore_case_(ignore_case) {
    uses_document = value_->uses_document;
  }

  bool test(EvalContext& ctx) const override {
    if (op_ == CompareOp::kExists) {
      return value_->exists(ctx) == (operands_.empty() || operands_[0] != "false");
    }
    std::string_view v;
    const bool have = value_->one(ctx, v);
    switch (op_) {
      case CompareOp::kExists:
        break;
      case CompareOp::kEquals:
      case CompareOp::kIn:
        return have && matchesAny(v);
      case CompareOp::kNotEquals:
      case CompareOp::kNotIn:
        return !have || !matchesAny(v);
      case CompareOp::kPrefix:
        for (const std::string& o : operands_) {
          if (have && v.size() >= o.size() && same(v.substr(0, o.size()), o)) {
            return true;
          }
        }
        return false;
      case CompareOp::kContains:
        for (const std::string& o : operands_) {
          if (have && contains(v, o)) {
            return true;
          }
        }
        return false;
    }
    return false;
  }

 private:
  bool same(std::string_view a, std::string_view b) const {
    return ignore_case_ ? iequalAscii(a, b) : a == b;
  }
  bool matchesAny(std::string_view v) const {
    for (const std::string& o : operands_) {
      if (same(v, o)) {
        return true;
      }
    }
    return false;
  }
  bool contains(std::string_view v, std::string_view o) const {
    if (o.size() > v.size()) {
      return false;
    }
    for (std::size_t i = 0; i + o.size() <= v.size(); ++i) {
      if (same(v.substr(i, o.size()), o)) {
        return true;
      }
    }
    return false;
  }

  ExprPtr value_;
  CompareOp op_;
  std::vector<std::string> operands_;
  bool ignore_case_;
};

class LogicCondition final : public Condition {
 public:
  enum class Kind { kAll, kAny, kNot };
  LogicCondition(Kind kind, std::vector<ConditionPtr> parts)
      : kind_(kind), parts_(std::move(parts)) {
    for (const ConditionPtr& p : parts_) {
      uses_document = uses_document || p->uses_document;
    }
  }
  bool test(EvalContext& ctx) const override {
    switch (kind_) {
      case Kind::kAll:
        for (const ConditionPtr& p : parts_) {
          if (!p->test(ctx)) {
            return false;
          }
        }
        return true;
      case Kind::kAny:
        for (const ConditionPtr& p : parts_) {
          if (p->test(ctx)) {
            return true;
          }
        }
        return false;
      case Kind::kNot:
        return !parts_.front()->test(ctx);
    }
    return false;
  }

 private:
  Kind kind_;
  std::vector<ConditionPtr> parts_;
};

}  // namespace

std::unique_ptr<Expr> makeModified(ExprPtr inner, Modifiers mods, const RuleInfo* rule) {
  return std::make_unique<ModifiedExpr>(std::move(inner), std::move(mods), rule);
}
std::unique_ptr<Condition> makeCompare(ExprPtr value, CompareOp op,
                                       std::vector<std::string> operands, bool ignore_case) {
  return std::make_unique<CompareCondition>(std::move(value), op, std::move(operands), ignore_case);
}
std::unique_ptr<Condition> makeAll(std::vector<ConditionPtr> parts) {
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kAll, std::move(parts));
}
std::unique_ptr<Condition> makeAny(std::vector<ConditionPtr> parts) {
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kAny, std::move(parts));
}
std::unique_ptr<Condition> makeNot(ConditionPtr inner) {
  std::vector<ConditionPtr> parts;
  parts.push_back(std::move(inner));
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kNot, std::move(parts));
}

}  // namespace ordergate::adapters::mapping
