#include "adapters/shopify/shopify_fields.hpp"

#include <charconv>

#include "canonical/money.hpp"

namespace ordergate::adapters::shopify {
namespace {

using namespace std::string_view_literals;
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

std::string_view typeName(element_type type) {
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
      return "an integer";
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

// Shopify amounts: optional minus, digits, optionally a point and digits. Anything else is
// not an amount at all; parseMoney then judges precision and range against the currency.
bool looksDecimal(std::string_view text) {
  std::size_t pos = !text.empty() && text[0] == '-' ? 1 : 0;
  const std::size_t digits_begin = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    ++pos;
  }
  if (pos == digits_begin) {
    return false;
  }
  if (pos == text.size()) {
    return true;
  }
  if (text[pos] != '.') {
    return false;
  }
  const std::size_t frac_begin = ++pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    ++pos;
  }
  return pos == text.size() && pos > frac_begin;
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

std::string joinPath(std::string_view prefix, std::string_view key) {
  std::string path;
  path.reserve(prefix.size() + 1 + key.size());
  if (!prefix.empty()) {
    path.append(prefix).append(".");
  }
  path.append(key);
  return path;
}

std::string indexPath(std::string_view name, std::size_t index) {
  std::string path(name);
  path.append("[").append(std::to_string(index)).append("]");
  return path;
}

void FieldReader::add(std::string field, std::string message) {
  errors.push_back(FieldError{std::move(field), std::move(message)});
}

void FieldReader::wrongType(std::string_view path, std::string_view expected, Element value) {
  add(std::string(path),
      "expected " + std::string(expected) + ", got " + std::string(typeName(value.type())));
}

namespace {

constexpr std::size_t kIndexedFields = 16;  // below this a linear at_key() is as fast

std::size_t hashKey(std::string_view key) {
  std::size_t h = key.size() * 0x9E3779B1u;
  if (!key.empty()) {
    h ^= static_cast<unsigned char>(key.front()) * 31u;
    h ^= static_cast<std::size_t>(static_cast<unsigned char>(key[key.size() / 2])) << 8;
    h ^= static_cast<std::size_t>(static_cast<unsigned char>(key.back())) << 16;
  }
  return h ^ (h >> 13);
}

}  // namespace

const FieldReader::ObjectIndex* FieldReader::indexFor(Object obj) const {
  const std::size_t fields = obj.size();
  if (fields < kIndexedFields) {
    return nullptr;
  }
  const char* id = obj.begin().key().data();
  for (const ObjectIndex& index : indexes_) {
    if (index.id == id) {
      return &index;
    }
  }
  ObjectIndex& index = indexes_.emplace_back();
  index.id = id;
  std::size_t size = 64;
  while (size < 2 * fields) {
    size *= 2;
  }
  index.slots.resize(size);
  const std::size_t mask = size - 1;
  for (auto field : obj) {
    std::size_t i = hashKey(field.key) & mask;
    while (index.slots[i].key.data() != nullptr && index.slots[i].key != field.key) {
      i = (i + 1) & mask;
    }
    if (index.slots[i].key.data() == nullptr) {  // a repeated key keeps its first value, as at_key()
      index.slots[i] = Slot{field.key, field.value};
    }
  }
  return &index;
}

std::optional<FieldReader::Element> FieldReader::get(Object obj, std::string_view key) const {
  Element value;
  if (const ObjectIndex* index = indexFor(obj)) {
    const std::size_t mask = index->slots.size() - 1;
    std::size_t i = hashKey(key) & mask;
    for (;;) {
      const Slot& slot = index->slots[i];
      if (slot.key.data() == nullptr) {
        return std::nullopt;
      }
      if (slot.key == key) {
        value = slot.value;
        break;
      }
      i = (i + 1) & mask;
    }
  } else if (obj.at_key(key).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  if (value.is_null()) {
    return std::nullopt;
  }
  return value;
}

std::string FieldReader::text(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  std::string_view s;
  if (value->get_string().get(s) != simdjson::SUCCESS) {
    wrongType(path, "a string", *value);
    return {};
  }
  return std::string(s);
}

std::string FieldReader::id(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  char buffer[24];
  switch (value->type()) {
    case element_type::INT64: {
      const std::int64_t v = value->get_int64().value_unsafe();
      if (v < 0) {
        add(std::string(path), "not a valid id: " + std::to_string(v));
        return {};
      }
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
      return std::string(buffer, end);
    }
    case element_type::UINT64: {
      auto [end, ec] =
          std::to_chars(buffer, buffer + sizeof(buffer), value->get_uint64().value_unsafe());
      return std::string(buffer, end);
    }
    case element_type::STRING: {
      const std::string_view s = value->get_string().value_unsafe();
      if (!allDigits(s)) {
        add(std::string(path), "not a valid id: " + quote(s));
        return {};
      }
      return std::string(s);
    }
    default:
      wrongType(path, "an integer id", *value);
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
  if (value->get_int64().get(v) != simdjson::SUCCESS) {
    wrongType(path, "an integer", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> FieldReader::boolean(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  bool v = false;
  if (value->get_bool().get(v) != simdjson::SUCCESS) {
    wrongType(path, "a boolean", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<FieldReader::Object> FieldReader::object(Object obj, std::string_view key,
                                                       std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  Object v;
  if (value->get_object().get(v) != simdjson::SUCCESS) {
    wrongType(path, "an object", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<FieldReader::Array> FieldReader::array(Object obj, std::string_view key,
                                                     std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  Array v;
  if (value->get_array().get(v) != simdjson::SUCCESS) {
    wrongType(path, "an array", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<canonical::Timestamp> FieldReader::time(Object obj, std::string_view key,
                                                      std::string_view path) {
  const std::string s = text(obj, key, path);
  if (s.empty()) {
    return std::nullopt;
  }
  auto t = canonical::parseTimestamp(s, zone ? zone : canonical::utcZone());
  if (!t) {
    add(std::string(path), "not a timestamp: " + quote(s));
    return std::nullopt;
  }
  return *t;
}

canonical::Money FieldReader::parseAmount(std::string_view text, std::string_view path) {
  if (!looksDecimal(text)) {
    add(std::string(path), "not a decimal amount " + quote(text));
    return std::nullopt;
  }
  if (currency.empty()) {
    return std::nullopt;
  }
  auto minor = canonical::parseMoney(text, currency);
  if (!minor) {
    add(std::string(path), minor.error().message);
    return std::nullopt;
  }
  return *minor;
}

canonical::Money FieldReader::amount(Object obj, std::string_view key, std::string_view path) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  std::string_view s;
  if (value->get_string().get(s) != simdjson::SUCCESS) {
    wrongType(path, "a decimal string", *value);
    return std::nullopt;
  }
  return parseAmount(s, path);
}

canonical::Money FieldReader::shopAmount(Object obj, std::string_view key, std::string_view path) {
  const std::string set_key = std::string(key) + "_set";
  const std::string set_path = std::string(path) + "_set";
  if (auto set = object(obj, set_key, set_path)) {
    const std::string shop_path = joinPath(set_path, "shop_money");
    if (auto shop = object(*set, "shop_money"sv, shop_path)) {
      const std::string code_path = joinPath(shop_path, "currency_code");
      const std::string code = text(*shop, "currency_code"sv, code_path);
      if (!code.empty() && !currency.empty() && code != currency) {
        add(code_path, quote(code) + " is not the shop currency " + quote(currency));
        return std::nullopt;
      }
      if (get(*shop, "amount"sv)) {
        return amount(*shop, "amount"sv, joinPath(shop_path, "amount"));
      }
    }
  }
  return amount(obj, key, path);
}

canonical::Money FieldReader::sumOf(Object obj, std::string_view array_key, std::string_view key,
                                    std::string_view path) {
  auto items = array(obj, array_key, joinPath(path, array_key));
  if (!items) {
    return std::nullopt;
  }
  canonical::Money sum = 0;
  std::size_t index = 0;
  for (Element item : *items) {
    const std::string item_path = indexPath(joinPath(path, array_key), index++);
    Object item_obj;
    if (item.get_object().get(item_obj) != simdjson::SUCCESS) {
      wrongType(item_path, "an object", item);
      continue;
    }
    const std::string amount_path = joinPath(item_path, key);
    const canonical::Money value = shopAmount(item_obj, key, amount_path);
    if (value) {
      sum = plus(sum, value, amount_path);
    }
  }
  return sum;
}

canonical::Money FieldReader::plus(canonical::Money a, canonical::Money b, std::string_view path) {
  if (!a || !b) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_add_overflow(*a, *b, &r)) {
    add(std::string(path), "amount out of range");
    return std::nullopt;
  }
  return r;
}

canonical::Money FieldReader::minus(canonical::Money a, canonical::Money b, std::string_view path) {
  if (!a || !b) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_sub_overflow(*a, *b, &r)) {
    add(std::string(path), "amount out of range");
    return std::nullopt;
  }
  return r;
}

canonical::Money FieldReader::times(canonical::Money a, std::int64_t n, std::string_view path) {
  if (!a) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_mul_overflow(*a, n, &r)) {
    add(std::string(path), "amount out of range");
    return std::nullopt;
  }
  return r;
}

}  // namespace ordergate::adapters::shopify
