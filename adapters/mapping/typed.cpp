#include <charconv>
#include <cstdio>
#include <cstring>

#include "adapters/mapping/expr.hpp"
#include "adapters/mapping/text_util.hpp"
#include "adapters/mapping/time_format.hpp"
#include "canonical/country.hpp"
#include "canonical/money.hpp"

namespace ordergate::adapters::mapping {
namespace {

using canonical::Timestamp;

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
    return Timestamp{
        std::chrono::milliseconds{f.time.epoch == TimeSpec::Epoch::kSeconds ? n * 1000 : n}};
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

}  // namespace

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

std::optional<std::int64_t> evalMoney(EvalContext& ctx, const Field& f, std::string_view currency) {
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
  if (const std::size_t dot = v.find('.');
      dot != std::string_view::npos &&
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

}  // namespace ordergate::adapters::mapping
