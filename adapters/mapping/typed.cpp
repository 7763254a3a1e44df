#include <charconv>
#include <cstdio>
#include <cstring>

#include "adapters/mapping/expr.hpp"
#include "canonical/country.hpp"
#include "canonical/money.hpp"

namespace ordergate::adapters::mapping {
namespace {

using canonical::Timestamp;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::string_view kMonths[12] = {"january", "february", "march",     "april",
                                          "may",     "june",     "july",      "august",
                                          "september", "october", "november", "december"};

struct TimeFields {
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  int pm = -1;  // -1 none, 0 am, 1 pm
  bool has_offset = false;
  int offset = 0;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip() { ++i_; }
  // Reads between min and max digits.
  bool number(int min, int max, int& out) {
    int n = 0;
    int v = 0;
    while (n < max && !done() && isDigit(peek())) {
      v = v * 10 + (peek() - '0');
      ++i_;
      ++n;
    }
    out = v;
    return n >= min;
  }
  bool word(std::string_view& out) {
    const std::size_t start = i_;
    while (!done() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z') ||
                       peek() == '.')) {
      ++i_;
    }
    out = s_.substr(start, i_ - start);
    return !out.empty();
  }
  std::size_t pos() const { return i_; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<int> monthFromName(std::string_view name) {
  if (name.size() < 3) {
    return std::nullopt;
  }
  std::string lower;
  for (char c : name) {
    if (c != '.') {
      lower.push_back(lowerAscii(c));
    }
  }
  for (int m = 0; m < 12; ++m) {
    if (kMonths[m] == lower || (lower.size() == 3 && kMonths[m].substr(0, 3) == lower) ||
        (lower == "sept" && m == 8)) {
      return m + 1;
    }
  }
  return std::nullopt;
}

// Parses `text` by `format`; returns the reason on failure.
std::optional<std::string> scanFormat(std::string_view text, std::string_view format,
                                      TimeFields& f) {
  Scanner s(text);
  for (std::size_t k = 0; k < format.size(); ++k) {
    const char c = format[k];
    if (c == ' ') {
      while (!s.done() && (s.peek() == ' ' || s.peek() == '\t')) {
        s.skip();
      }
      continue;
    }
    if (c != '%' || k + 1 == format.size()) {
      if (lowerAscii(s.peek()) != lowerAscii(c)) {
        return "expected \"" + std::string(1, c) + "\" at position " + std::to_string(s.pos());
      }
      s.skip();
      continue;
    }
    const char d = format[++k];
    bool ok = true;
    switch (d) {
      case 'Y':
        ok = s.number(4, 4, f.year);
        break;
      case 'y':
        ok = s.number(2, 2, f.year);
        f.year += 2000;
        break;
      case 'm':
        ok = s.number(1, 2, f.month);
        break;
      case 'd':
      case 'e':
        ok = s.number(1, 2, f.day);
        break;
      case 'H':
      case 'I':
        ok = s.number(1, 2, f.hour);
        break;
      case 'M':
        ok = s.number(2, 2, f.minute);
        break;
      case 'S':
        ok = s.number(2, 2, f.second);
        break;
      case 'f': {
        int digits = 0;
        int ms = 0;
        while (!s.done() && isDigit(s.peek())) {
          if (digits < 3) {
            ms = ms * 10 + (s.peek() - '0');
          }
          ++digits;
          s.skip();
        }
        for (int i = digits; i < 3; ++i) {
          ms *= 10;
        }
        f.millis = ms;
        ok = digits > 0;
        break;
      }
      case 'p': {
        std::string_view w;
        ok = s.word(w);
        if (ok) {
          const char first = lowerAscii(w[0]);
          ok = first == 'a' || first == 'p';
          f.pm = first == 'p' ? 1 : 0;
        }
        break;
      }
      case 'b':
      case 'B': {
        std::string_view w;
        ok = s.word(w);
        const auto m = ok ? monthFromName(w) : std::nullopt;
        ok = m.has_value();
        if (ok) {
          f.month = *m;
        }
        break;
      }
      case 'a':
      case 'A': {
        std::string_view w;
        ok = s.word(w);
        break;
      }
      case 'z': {
        if (s.peek() == 'Z' || s.peek() == 'z') {
          s.skip();
          f.has_offset = true;
          f.offset = 0;
          break;
        }
        const char sign = s.peek();
        if (sign != '+' && sign != '-') {
          ok = false;
          break;
        }
        s.skip();
        int h = 0;
        int m = 0;
        ok = s.number(2, 2, h);
        if (ok && (s.peek() == ':' || s.peek() == '.')) {
          s.skip();
        }
        if (ok && isDigit(s.peek())) {
          ok = s.number(2, 2, m);
        }
        f.has_offset = ok;
        f.offset = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
        break;
      }
      case 'T':
        ok = s.number(1, 2, f.hour) && s.peek() == ':' && (s.skip(), s.number(2, 2, f.minute)) &&
             s.peek() == ':' && (s.skip(), s.number(2, 2, f.second));
        break;
      case 'F':
        ok = s.number(4, 4, f.year) && s.peek() == '-' && (s.skip(), s.number(1, 2, f.month)) &&
             s.peek() == '-' && (s.skip(), s.number(1, 2, f.day));
        break;
      case '%':
        ok = s.peek() == '%';
        s.skip();
        break;
      default:
        return "unsupported format directive %" + std::string(1, d);
    }
    if (!ok) {
      return "does not match %" + std::string(1, d) + " at position " + std::to_string(s.pos());
    }
  }
  if (!s.done()) {
    return "unexpected text at position " + std::to_string(s.pos());
  }
  if (f.pm >= 0) {
    if (f.hour < 1 || f.hour > 12) {
      return "hour out of range for %I";
    }
    f.hour = f.hour % 12 + (f.pm == 1 ? 12 : 0);
  }
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
  if (f.month < 1 || f.month > 12 || f.day < 1 ||
      f.day > kDays[f.month - 1] + (f.month == 2 && leap ? 1 : 0)) {
    return "no such date";
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) {
    return "time of day out of range";
  }
  return std::nullopt;
}

// Whether text in a standard form already carries an offset ("Z", "+08:00", "+0800", "UTC").
bool hasExplicitOffset(std::string_view text) {
  if (text.size() <= 10) {
    return false;
  }
  const std::string_view rest = text.substr(10);
  return rest.find_first_of("Zz+") != std::string_view::npos ||
         rest.find('-') != std::string_view::npos || rest.find("UTC") != std::string_view::npos ||
         rest.find("GMT") != std::string_view::npos;
}

Result<Timestamp> fromFields(const TimeFields& f, const TimeSpec& spec, canonical::TimeZone zone) {
  const std::int64_t local =
      daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) * 86400 +
      f.hour * 3600 + f.minute * 60 + f.second;
  if (f.has_offset || spec.offset_seconds) {
    const int offset = f.has_offset ? f.offset : *spec.offset_seconds;
    return Timestamp{std::chrono::milliseconds{(local - offset) * 1000 + f.millis}};
  }
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03d", f.year, f.month, f.day,
                f.hour, f.minute, f.second, f.millis);
  return canonical::parseTimestamp(buf, zone);
}

canonical::TimeZone resolveZone(EvalContext& ctx, const Field& f, std::optional<int>& offset,
                                bool& failed) {
  failed = false;
  if (f.time.zone_expr) {
    std::string_view name;
    if (f.time.zone_expr->one(ctx, name)) {
      if (auto off = parseOffset(name)) {
        offset = off;
        return canonical::utcZone();
      }
      auto zone = canonical::findTimeZone(name);
      if (zone) {
        return *zone;
      }
      addError(ctx, *f.rule, exprPath(*f.time.zone_expr), nullptr,
               "unknown time zone " + quote(name));
      failed = true;
      return nullptr;
    }
  }
  if (f.time.zone != nullptr) {
    return f.time.zone;
  }
  return ctx.zone != nullptr ? ctx.zone : canonical::utcZone();
}

bool readText(EvalContext& ctx, const Field& f, std::string_view& out) {
  return f.text != nullptr && f.text->one(ctx, out);
}

void conversionError(EvalContext& ctx, const Field& f, std::string message) {
  addError(ctx, *f.rule, f.text ? exprPath(*f.text) : nullptr, nullptr, std::move(message));
}

// Time of a field, with `date_out` set instead when the field is a bare date.
std::optional<Timestamp> timeOf(EvalContext& ctx, const Field& f, std::string_view v,
                                std::string* date_out) {
  std::optional<int> offset = f.time.offset_seconds;
  bool zone_failed = false;
  canonical::TimeZone zone = resolveZone(ctx, f, offset, zone_failed);
  if (zone_failed) {
    return std::nullopt;
  }
  TimeSpec spec_offset;
  spec_offset.offset_seconds = offset;
  if (f.time.epoch != TimeSpec::Epoch::kNone) {
    std::int64_t n = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
      conversionError(ctx, f, "not an epoch number " + quote(v));
      return std::nullopt;
    }
    return Timestamp{std::chrono::milliseconds{
        f.time.epoch == TimeSpec::Epoch::kSeconds ? n * 1000 : n}};
  }
  if (!f.time.formats.empty()) {
    TimeFields fields;
    std::optional<std::string> why;
    std::string reasons;
    for (const std::string& format : f.time.formats) {
      fields = TimeFields{};
      why = scanFormat(v, format, fields);
      if (!why) {
        break;
      }
      reasons += (reasons.empty() ? "" : " or ") + quote(format) + " (" + *why + ")";
    }
    if (why) {
      conversionError(ctx, f, "time " + quote(v) + " does not match format " + reasons);
      return std::nullopt;
    }
    if (f.time.date_only && date_out != nullptr) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", fields.year, fields.month, fields.day);
      auto d = canonical::parseIsoDate(buf);
      if (!d) {
        conversionError(ctx, f, d.error().message);
        return std::nullopt;
      }
      *date_out = canonical::formatIsoDate(*d);
      return std::nullopt;
    }
    auto t = fromFields(fields, spec_offset, zone);
    if (!t) {
      conversionError(ctx, f, t.error().message);
      return std::nullopt;
    }
    return *t;
  }
  if (date_out != nullptr && v.size() == 10) {
    if (auto d = canonical::parseIsoDate(v)) {
      *date_out = canonical::formatIsoDate(*d);
      return std::nullopt;
    }
  }
  Result<Timestamp> t = canonical::parseTimestamp(v, zone);
  if (t && offset && !hasExplicitOffset(v)) {
    t = canonical::parseTimestamp(v, canonical::utcZone());
    if (t) {
      *t -= std::chrono::seconds{*offset};
    }
  }
  if (!t) {
    conversionError(ctx, f, t.error().message);
    return std::nullopt;
  }
  return *t;
}

bool checkedAdd(std::int64_t a, std::int64_t b, std::int64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
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
    auto amount = canonical::parseMoney(v, currency);
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
      : amount_(std::move(amount)), divisor_(std::move(divisor)),
        inexact_absent_(inexact_absent), rule_(rule) {}

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

std::optional<int> parseOffset(std::string_view text) {
  if (text == "Z" || text == "z" || text == "UTC" || text == "GMT") {
    return 0;
  }
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
    return std::nullopt;
  }
  TimeFields f;
  if (scanFormat(text, "%z", f) || !f.has_offset) {
    return std::nullopt;
  }
  return f.offset;
}

std::optional<std::string> checkTimeFormat(std::string_view format, bool& has_time) {
  has_time = false;
  for (std::size_t k = 0; k < format.size(); ++k) {
    if (format[k] != '%') {
      continue;
    }
    if (k + 1 == format.size()) {
      return "format ends with %";
    }
    const char d = format[++k];
    if (std::string_view("YymdeHIMSfpbBaAzTF%").find(d) == std::string_view::npos) {
      return "unsupported directive %" + std::string(1, d) +
             " (supported: %Y %y %m %d %e %H %I %M %S %f %p %b %B %a %z %T %F %%)";
    }
    if (d == 'H' || d == 'I' || d == 'T') {
      has_time = true;
    }
  }
  return std::nullopt;
}

Result<Timestamp> parseTimeWith(std::string_view text, const TimeSpec& spec,
                                canonical::TimeZone zone) {
  std::optional<std::string> why;
  for (const std::string& format : spec.formats) {
    TimeFields f;
    why = scanFormat(text, format, f);
    if (!why) {
      return fromFields(f, spec, zone);
    }
  }
  if (why) {
    return fail(ErrorCode::kInvalidInput,
                "time " + quote(text) + " does not match the format(s): " + *why);
  }
  return canonical::parseTimestamp(text, zone);
}

bool evalRaw(EvalContext& ctx, const Field& f, std::string_view& out) {
  return readText(ctx, f, out);
}

bool evalString(EvalContext& ctx, const Field& f, std::string& out) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return false;
  }
  if (f.type == FieldType::kTrackingNumber) {
    out.clear();
    for (char c : v) {
      if (c != ' ' && c != '\t') {
        out.push_back(c);
      }
    }
    return !out.empty();
  }
  out.assign(v);
  return true;
}

std::optional<std::int64_t> evalMoney(EvalContext& ctx, const Field& f,
                                      std::string_view currency) {
  return f.money ? f.money->eval(ctx, currency) : std::nullopt;
}

std::optional<Timestamp> evalTime(EvalContext& ctx, const Field& f) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return std::nullopt;
  }
  return timeOf(ctx, f, v, nullptr);
}

bool evalDateOrTime(EvalContext& ctx, const Field& f, std::string& out) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return false;
  }
  std::string date;
  const auto t = timeOf(ctx, f, v, &date);
  if (!date.empty()) {
    out = std::move(date);
    return true;
  }
  if (t) {
    out = canonical::formatRfc3339(*t);
    return true;
  }
  return false;
}

std::optional<std::int64_t> evalInteger(EvalContext& ctx, const Field& f) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return std::nullopt;
  }
  std::string_view digits = v;
  if (const std::size_t dot = v.find('.'); dot != std::string_view::npos &&
                                           v.find_first_not_of('0', dot + 1) == std::string_view::npos) {
    digits = v.substr(0, dot);  // "2.0" and "2.00" are the integer 2
  }
  std::int64_t n = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
    conversionError(ctx, f, "not an integer: " + quote(v));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> evalBool(EvalContext& ctx, const Field& f) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return std::nullopt;
  }
  std::string lower;
  for (char c : v) {
    lower.push_back(lowerAscii(c));
  }
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "y") {
    return true;
  }
  if (lower == "false" || lower == "0" || lower == "no" || lower == "n") {
    return false;
  }
  conversionError(ctx, f, "not a boolean (true/false, yes/no, 1/0): " + quote(v));
  return std::nullopt;
}

bool evalCountry(EvalContext& ctx, const Field& f, std::string& out) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return false;
  }
  const auto code = canonical::normalizeCountry(v);
  if (!code) {
    conversionError(ctx, f, "unknown country " + quote(v));
    return false;
  }
  out.assign(*code);
  return true;
}

bool evalVersion(EvalContext& ctx, const Field& f, std::string& out) {
  std::string_view v;
  if (!readText(ctx, f, v)) {
    return false;
  }
  if (v.find_first_not_of("0123456789") == std::string_view::npos) {
    out.assign(v);
    return true;
  }
  const auto t = timeOf(ctx, f, v, nullptr);
  if (!t) {
    return false;
  }
  out = canonical::formatRfc3339(*t);
  return true;
}

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
  return std::make_unique<MoneyDivide>(std::move(amount), std::move(divisor), inexact_absent,
                                       rule);
}
std::unique_ptr<MoneyExpr> makeMoneyNegate(MoneyExprPtr inner, const RuleInfo*) {
  return std::make_unique<MoneyNegate>(std::move(inner));
}

}  // namespace ordergate::adapters::mapping
