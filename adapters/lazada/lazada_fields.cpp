#include "adapters/lazada/lazada_fields.hpp"

#include <charconv>

#include "canonical/money.hpp"

namespace ordergate::adapters::lazada {
namespace {

using simdjson::dom::element_type;

std::string quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  std::string q = "\"";
  q.append(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) {
    q.append("…");
  }
  q.append("\"");
  return q;
}

template <class T>
std::string numberText(T v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

bool allDigits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> amountText(simdjson::dom::element value) {
  switch (value.type()) {
    case element_type::INT64:
      return numberText(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return numberText(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      std::string text = numberText(value.get_double().value_unsafe());
      if (text.find_first_of("eE") != std::string::npos) {
        return std::nullopt;  // 1e+20: no amount Lazada sends
      }
      return text;
    }
    case element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    default:
      return std::nullopt;
  }
}

void FieldReader::add(std::string field, std::string message) {
  errors.push_back(FieldError{std::move(field), std::move(message)});
}

std::optional<FieldReader::Element> FieldReader::get(Object obj, std::string_view key) const {
  Element value;
  if (obj.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) {
    return std::nullopt;
  }
  return value;
}

std::string FieldReader::text(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  switch (value->type()) {
    case element_type::STRING:
      return std::string(value->get_string().value_unsafe());
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return amountText(*value).value_or("");
    case element_type::BOOL:
      return value->get_bool().value_unsafe() ? "true" : "false";
    default:
      add(std::string(path), "expected a string");
      return {};
  }
}

std::string FieldReader::id(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  switch (value->type()) {
    case element_type::INT64: {
      const std::int64_t v = value->get_int64().value_unsafe();
      if (v < 0) {
        add(std::string(path), "not a valid id: " + std::to_string(v));
        return {};
      }
      return numberText(v);
    }
    case element_type::UINT64:
      return numberText(value->get_uint64().value_unsafe());
    case element_type::STRING: {
      std::string_view s = value->get_string().value_unsafe();
      const auto begin = s.find_first_not_of(' ');
      if (begin == std::string_view::npos) {
        return {};
      }
      s = s.substr(begin, s.find_last_not_of(' ') - begin + 1);
      return std::string(s);
    }
    default:
      add(std::string(path), "expected an id (integer or string)");
      return {};
  }
}

std::optional<std::int64_t> FieldReader::integer(Object obj, std::string_view key,
                                                 std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  if (value->get_int64().get(v) == simdjson::SUCCESS) {
    return v;
  }
  std::string_view s;
  if (value->get_string().get(s) == simdjson::SUCCESS) {
    if (s.empty()) {
      return std::nullopt;
    }
    if (allDigits(s) && std::from_chars(s.data(), s.data() + s.size(), v).ec == std::errc()) {
      return v;
    }
    add(std::string(path), "not an integer: " + quote(s));
    return std::nullopt;
  }
  add(std::string(path), "expected an integer");
  return std::nullopt;
}

canonical::Money FieldReader::money(Object obj, std::string_view key, std::string_view path,
                                    std::string_view currency) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  auto text = amountText(*value);
  if (!text) {
    add(std::string(path), "expected an amount (decimal string or number)");
    return std::nullopt;
  }
  if (text->empty() || currency.empty()) {
    return std::nullopt;
  }
  auto amount = canonical::parseMoney(*text, currency);
  if (!amount) {
    add(std::string(path), amount.error().message);
    return std::nullopt;
  }
  return *amount;
}

std::optional<canonical::Timestamp> FieldReader::time(Object obj, std::string_view key,
                                                      std::string_view path,
                                                      canonical::TimeZone zone) {
  const std::string raw = text(obj, key, path);
  if (raw.empty()) {
    return std::nullopt;
  }
  auto t = canonical::parseTimestamp(raw, zone);
  if (!t) {
    add(std::string(path), t.error().message);
    return std::nullopt;
  }
  return *t;
}

canonical::Money FieldReader::plus(canonical::Money a, canonical::Money b, std::string_view path) {
  if (!a || !b) {
    return a ? a : b;
  }
  canonical::MinorUnits sum = 0;
  if (__builtin_add_overflow(*a, *b, &sum)) {
    add(std::string(path), "amount overflows");
    return std::nullopt;
  }
  return sum;
}

canonical::Money FieldReader::minus(canonical::Money a, canonical::Money b,
                                    std::string_view path) {
  if (!b) {
    return a;
  }
  canonical::MinorUnits diff = 0;
  if (__builtin_sub_overflow(a.value_or(0), *b, &diff)) {
    add(std::string(path), "amount overflows");
    return std::nullopt;
  }
  return diff;
}

}  // namespace ordergate::adapters::lazada
