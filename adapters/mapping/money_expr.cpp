#include <charconv>
#include <cstring>

#include "adapters/mapping/expr.hpp"
#include "adapters/mapping/text_util.hpp"
#include "canonical/money.hpp"

// Money expressions: exact minor units, checked arithmetic.

namespace ordergate::adapters::mapping {
namespace {

bool checkedAdd(std::int64_t a, std::int64_t b, std::int64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
}

// The currency's ISO 4217 exponent, -1 when unknown. Memoised in the run: every amount of an
// order is in the order's currency, and the table search showed in profiles (4 %).
int exponentOf(EvalContext& ctx, std::string_view currency) {
  EvalContext::CurrencyMemo& memo = ctx.currency_memo;
  if (currency.size() == 3 && memo.exponent >= 0 &&
      std::memcmp(memo.code, currency.data(), 3) == 0) {
    return memo.exponent;
  }
  const auto exponent = canonical::currencyExponent(currency);
  if (!exponent) {
    return -1;
  }
  if (currency.size() == 3) {
    std::memcpy(memo.code, currency.data(), 3);
    memo.exponent = *exponent;
  }
  return *exponent;
}

class MoneyLeaf final : public MoneyExpr {
 public:
  MoneyLeaf(ExprPtr text, const RuleInfo* rule, bool sum)
      : text_(std::move(text)), rule_(rule), sum_(sum) {}

  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    if (currency.empty()) {
      return std::nullopt;
    }
    if (!sum_) {
      std::string_view v;
      if (!text_->one(ctx, v)) {
        return std::nullopt;
      }
      return parse(ctx, v, currency);
    }
    std::vector<std::string_view>& values = scratch(ctx);
    const std::size_t start = values.size();
    text_->all(ctx, values);
    std::optional<std::int64_t> total;
    for (std::size_t i = start; i < values.size(); ++i) {
      const auto amount = parse(ctx, values[i], currency);
      std::int64_t next = 0;
      if (!amount) {
        total.reset();
        break;
      }
      if (!checkedAdd(total.value_or(0), *amount, next)) {
        addError(ctx, *rule_, exprPath(*text_), nullptr, "sum overflows");
        total.reset();
        break;
      }
      total = next;
    }
    values.resize(start);
    return total;
  }

 private:
  std::optional<std::int64_t> parse(EvalContext& ctx, std::string_view v,
                                    std::string_view currency) const {
    const bool memoisable = currency.size() == 3;
    for (const EvalContext::MoneyMemo& m : ctx.money_memo) {
      if (memoisable && m.text == v.data() && m.size == v.size() &&
          std::memcmp(m.currency, currency.data(), 3) == 0) {
        return m.amount;
      }
    }
    const int exponent = exponentOf(ctx, currency);
    auto amount = exponent >= 0 ? canonical::parseMinorUnits(v, exponent, currency)
                                : canonical::parseMoney(v, currency);  // names the currency
    if (!amount) {
      addError(ctx, *rule_, exprPath(*text_), nullptr, amount.error().message);
      return std::nullopt;
    }
    // Text in the payload, the plan or the run's arena stays put for the whole run.
    if (memoisable) {
      EvalContext::MoneyMemo& m = ctx.money_memo[ctx.money_memo_next++ % ctx.money_memo.size()];
      m.text = v.data();
      m.size = v.size();
      std::memcpy(m.currency, currency.data(), 3);
      m.amount = *amount;
    }
    return *amount;
  }

  ExprPtr text_;
  const RuleInfo* rule_;
  bool sum_;
};

class MoneySumEach final : public MoneyExpr {
 public:
  MoneySumEach(Path each, MoneyExprPtr inner, const RuleInfo* rule)
      : each_(std::move(each)), inner_(std::move(inner)), rule_(rule) {}

  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    std::vector<Node> nodes;
    ctx.doc->select(each_, originNode(ctx, each_), nodes);
    const Node saved = ctx.current;
    const Frame* saved_frame = ctx.frame;
    std::optional<std::int64_t> total;
    bool failed = false;
    for (std::size_t i = 0; i < nodes.size() && !failed; ++i) {
      Frame frame{&each_, i, saved_frame};
      ctx.current = nodes[i];
      ctx.frame = &frame;
      const std::size_t errors_before = ctx.errors ? ctx.errors->size() : 0;
      const auto amount = inner_->eval(ctx, currency);
      ctx.frame = saved_frame;
      if (ctx.errors && ctx.errors->size() != errors_before) {
        failed = true;
      } else if (amount) {
        std::int64_t next = 0;
        if (!checkedAdd(total.value_or(0), *amount, next)) {
          addError(ctx, *rule_, nullptr, nullptr, "sum overflows");
          failed = true;
        }
        total = next;
      }
    }
    ctx.current = saved;
    return failed ? std::nullopt : total;
  }

 private:
  Path each_;
  MoneyExprPtr inner_;
  const RuleInfo* rule_;
};

class MoneyAdd final : public MoneyExpr {
 public:
  MoneyAdd(std::vector<MoneyExprPtr> parts, bool subtract, const RuleInfo* rule)
      : parts_(std::move(parts)), subtract_(subtract), rule_(rule) {}

  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    std::optional<std::int64_t> total;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      const auto v = parts_[i]->eval(ctx, currency);
      if (!v) {
        if (i == 0 && subtract_) {
          return std::nullopt;  // nothing to subtract from
        }
        continue;  // an absent term counts as zero
      }
      std::int64_t next = 0;
      const bool ok = (subtract_ && i > 0) ? !__builtin_sub_overflow(total.value_or(0), *v, &next)
                                           : checkedAdd(total.value_or(0), *v, next);
      if (!ok) {
        addError(ctx, *rule_, nullptr, nullptr, "arithmetic overflows");
        return std::nullopt;
      }
      total = next;
    }
    return total;
  }

 private:
  std::vector<MoneyExprPtr> parts_;
  bool subtract_;
  const RuleInfo* rule_;
};

class MoneyMultiply final : public MoneyExpr {
 public:
  MoneyMultiply(MoneyExprPtr amount, ExprPtr factor, const RuleInfo* rule)
      : amount_(std::move(amount)), factor_(std::move(factor)), rule_(rule) {}

  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    const auto amount = amount_->eval(ctx, currency);
    std::string_view f;
    if (!amount || !factor_->one(ctx, f)) {
      return std::nullopt;
    }
    std::int64_t n = 0;
    const auto r = std::from_chars(f.data(), f.data() + f.size(), n);
    if (r.ec != std::errc() || r.ptr != f.data() + f.size()) {
      addError(ctx, *rule_, exprPath(*factor_), nullptr,
               "multiplier is not an integer: " + quote(f));
      return std::nullopt;
    }
    std::int64_t out = 0;
    if (__builtin_mul_overflow(*amount, n, &out)) {
      addError(ctx, *rule_, nullptr, nullptr, "arithmetic overflows");
      return std::nullopt;
    }
    return out;
  }

 private:
  MoneyExprPtr amount_;
  ExprPtr factor_;
  const RuleInfo* rule_;
};

class MoneyDivide final : public MoneyExpr {
 public:
  MoneyDivide(MoneyExprPtr amount, ExprPtr divisor, bool inexact_absent, const RuleInfo* rule)
      : amount_(std::move(amount)),
        divisor_(std::move(divisor)),
        inexact_absent_(inexact_absent),
        rule_(rule) {}

  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    const auto amount = amount_->eval(ctx, currency);
    std::string_view d;
    if (!amount || !divisor_->one(ctx, d)) {
      return std::nullopt;
    }
    std::int64_t n = 0;
    const auto r = std::from_chars(d.data(), d.data() + d.size(), n);
    if (r.ec != std::errc() || r.ptr != d.data() + d.size() || n <= 0) {
      addError(ctx, *rule_, exprPath(*divisor_), nullptr,
               "divisor is not a positive integer: " + quote(d));
      return std::nullopt;
    }
    if (*amount % n != 0) {
      if (!inexact_absent_) {
        addError(ctx, *rule_, exprPath(*divisor_), nullptr,
                 std::to_string(*amount) + " minor units do not divide exactly by " +
                     std::to_string(n) + " (declare inexact: absent to omit the value)");
      }
      return std::nullopt;
    }
    return *amount / n;
  }

 private:
  MoneyExprPtr amount_;
  ExprPtr divisor_;
  bool inexact_absent_;
  const RuleInfo* rule_;
};

class MoneyNegate final : public MoneyExpr {
 public:
  explicit MoneyNegate(MoneyExprPtr inner) : inner_(std::move(inner)) {}
  std::optional<std::int64_t> eval(EvalContext& ctx, std::string_view currency) const override {
    const auto v = inner_->eval(ctx, currency);
    if (!v) {
      return std::nullopt;
    }
    return -*v;
  }

 private:
  MoneyExprPtr inner_;
};

}  // namespace

std::unique_ptr<MoneyExpr> makeMoneyLeaf(ExprPtr text, const RuleInfo* rule) {
  return std::make_unique<MoneyLeaf>(std::move(text), rule, false);
}
std::unique_ptr<MoneyExpr> makeMoneySum(ExprPtr text, const RuleInfo* rule) {
  return std::make_unique<MoneyLeaf>(std::move(text), rule, true);
}
std::unique_ptr<MoneyExpr> makeMoneySumEach(Path each, MoneyExprPtr inner, const RuleInfo* rule) {
  return std::make_unique<MoneySumEach>(std::move(each), std::move(inner), rule);
}
std::unique_ptr<MoneyExpr> makeMoneyAdd(std::vector<MoneyExprPtr> parts, bool subtract,
                                        const RuleInfo* rule) {
  return std::make_unique<MoneyAdd>(std::move(parts), subtract, rule);
}
std::unique_ptr<MoneyExpr> makeMoneyMultiply(MoneyExprPtr amount, ExprPtr factor,
                                             const RuleInfo* rule) {
  return std::make_unique<MoneyMultiply>(std::move(amount), std::move(factor), rule);
}
std::unique_ptr<MoneyExpr> makeMoneyDivide(MoneyExprPtr amount, ExprPtr divisor,
                                           bool inexact_absent, const RuleInfo* rule) {
  return std::make_unique<MoneyDivide>(std::move(amount), std::move(divisor), inexact_absent, rule);
}
std::unique_ptr<MoneyExpr> makeMoneyNegate(MoneyExprPtr inner, const RuleInfo*) {
  return std::make_unique<MoneyNegate>(std::move(inner));
}

}  // namespace ordergate::adapters::mapping
