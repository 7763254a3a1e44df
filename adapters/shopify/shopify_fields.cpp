#include "adapters/shopify/shopify_fields.hpp"

#include <cstdlib>
#include <charconv>
#include <cstring>

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

std::string FieldPath::str() const {
  std::string out;
  appendTo(out);
  return out;
}

void FieldPath::appendTo(std::string& out) const {
  if (parent_ == nullptr) {
    return;
  }
  parent_->appendTo(out);
  if (is_index_) {
    out.append("[").append(std::to_string(index_)).append("]");
    return;
  }
  if (!out.empty()) {
    out.append(".");
  }
  out.append(key_);
}

JoinedKey::JoinedKey(std::string_view key, std::string_view suffix)
    : size_(key.size() + suffix.size()) {
  if (size_ > sizeof(text_)) {
    std::abort();  // the keys are short literals of the parser: a programming error
  }
  std::memcpy(text_, key.data(), key.size());
  std::memcpy(text_ + key.size(), suffix.data(), suffix.size());
}

void FieldReader::reset(canonical::TimeZone time_zone) {
  errors.clear();
  currency.clear();
  currency_exponent = 0;
  zone = time_zone;
  // An order needs a few indexes of a few hundred slots; a document with thousands of big
  // objects, or a huge one, must not pin its memory to the thread.
  constexpr std::size_t kKeptIndexes = 64;
  constexpr std::size_t kKeptSlots = 4096;
  for (std::size_t i = 0; i < used_indexes_ && i < kKeptIndexes; ++i) {
    if (indexes_[i].slots.size() > kKeptSlots) {
      indexes_[i].slots = {};
    }
  }
  if (indexes_.size() > kKeptIndexes) {
    indexes_.resize(kKeptIndexes);
  }
  used_indexes_ = 0;
}

void FieldReader::add(std::string field, std::string message) {
  errors.push_back(FieldError{std::move(field), std::move(message)});
}

void FieldReader::add(const FieldPath& field, std::string message) {
  add(field.str(), std::move(message));
}

void FieldReader::wrongType(const FieldPath& path, std::string_view expected, Element value) {
  add(path, "expected " + std::string(expected) + ", got " + std::string(typeName(value.type())));
}

namespace {

constexpr std::size_t kIndexedFields = 16;  // below this a linear at_key() is as fast

inline std::size_t hashKey(std::string_view key) {
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
  for (std::size_t i = 0; i < used_indexes_; ++i) {
    if (indexes_[i].id == id) {
      return &indexes_[i];
    }
  }
  if (used_indexes_ == indexes_.size()) {
    indexes_.emplace_back();
  }
  if (++stamp_ == 0) {  // after 2^32 indexes old stamps would come back: clear them
    for (ObjectIndex& old : indexes_) {
      old.slots.assign(old.slots.size(), Slot{});
    }
    stamp_ = 1;
  }
  ObjectIndex& index = indexes_[used_indexes_++];
  index.id = id;
  index.stamp = stamp_;
  std::size_t size = 64;
  while (size < 2 * fields) {
    size *= 2;
  }
  index.mask = size - 1;
  if (index.slots.size() < size) {
    index.slots.resize(size);
  }
  for (auto field : obj) {
    std::size_t i = hashKey(field.key) & index.mask;
    while (index.slots[i].stamp == stamp_ && index.slots[i].key != field.key) {
      i = (i + 1) & index.mask;
    }
    // A repeated key keeps its first value, as at_key().
    if (index.slots[i].stamp != stamp_) {
      index.slots[i] = Slot{field.key, field.value, stamp_};
    }
  }
  return &index;
}

std::optional<FieldReader::Element> FieldReader::get(Object obj, std::string_view key) const {
  Element value;
  if (const ObjectIndex* index = indexFor(obj)) {
    std::size_t i = hashKey(key) & index->mask;
    for (;;) {
      const Slot& slot = index->slots[i];
      if (slot.stamp != index->stamp) {
        return std::nullopt;
      }
      if (slot.key == key) {
        value = slot.value;
        break;
      }
      i = (i + 1) & index->mask;
    }
  } else if (obj.at_key(key).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  if (value.is_null()) {
    return std::nullopt;
  }
  return value;
}

std::string_view FieldReader::view(Object obj, const FieldPath& at, std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  std::string_view s;
  if (value->get_string().get(s) != simdjson::SUCCESS) {
    wrongType(FieldPath(at, key), "a string", *value);
    return {};
  }
  return s;
}

std::string FieldReader::text(Object obj, const FieldPath& at, std::string_view key) {
  return std::string(view(obj, at, key));
}

std::string FieldReader::id(Object obj, const FieldPath& at, std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return {};
  }
  char buffer[24];
  switch (value->type()) {
    case element_type::INT64: {
      const std::int64_t v = value->get_int64().value_unsafe();
      if (v < 0) {
        add(FieldPath(at, key), "not a valid id: " + std::to_string(v));
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
        add(FieldPath(at, key), "not a valid id: " + quote(s));
        return {};
      }
      return std::string(s);
    }
    default:
      wrongType(FieldPath(at, key), "an integer id", *value);
      return {};
  }
}

std::optional<std::int64_t> FieldReader::integer(Object obj, const FieldPath& at,
                                                 std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  if (value->get_int64().get(v) != simdjson::SUCCESS) {
    wrongType(FieldPath(at, key), "an integer", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> FieldReader::boolean(Object obj, const FieldPath& at, std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  bool v = false;
  if (value->get_bool().get(v) != simdjson::SUCCESS) {
    wrongType(FieldPath(at, key), "a boolean", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<FieldReader::Object> FieldReader::object(Object obj, const FieldPath& at,
                                                       std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  Object v;
  if (value->get_object().get(v) != simdjson::SUCCESS) {
    wrongType(FieldPath(at, key), "an object", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<FieldReader::Array> FieldReader::array(Object obj, const FieldPath& at,
                                                     std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  Array v;
  if (value->get_array().get(v) != simdjson::SUCCESS) {
    wrongType(FieldPath(at, key), "an array", *value);
    return std::nullopt;
  }
  return v;
}

std::optional<canonical::Timestamp> FieldReader::time(Object obj, const FieldPath& at,
                                                      std::string_view key) {
  const std::string_view s = view(obj, at, key);
  if (s.empty()) {
    return std::nullopt;
  }
  auto t = canonical::parseTimestamp(s, zone ? zone : canonical::utcZone());
  if (!t) {
    add(FieldPath(at, key), "not a timestamp: " + quote(s));
    return std::nullopt;
  }
  return *t;
}

canonical::Money FieldReader::amountOf(Element value, const FieldPath& path) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    wrongType(path, "a decimal string", value);
    return std::nullopt;
  }
  if (!looksDecimal(text)) {
    add(path, "not a decimal amount " + quote(text));
    return std::nullopt;
  }
  if (currency.empty()) {
    return std::nullopt;
  }
  auto minor = canonical::parseMinorUnits(text, currency_exponent, currency);
  if (!minor) {
    add(path, minor.error().message);
    return std::nullopt;
  }
  return *minor;
}

canonical::Money FieldReader::amount(Object obj, const FieldPath& at, std::string_view key) {
  auto value = get(obj, key);
  if (!value) {
    return std::nullopt;
  }
  return amountOf(*value, FieldPath(at, key));
}

canonical::Money FieldReader::shopAmount(Object obj, const FieldPath& at, std::string_view key) {
  const JoinedKey set_key(key, "_set");
  if (auto set = object(obj, at, set_key.view())) {
    const FieldPath set_path(at, set_key.view());
    if (auto shop = object(*set, set_path, "shop_money"sv)) {
      const FieldPath shop_path(set_path, "shop_money"sv);
      const std::string_view code = view(*shop, shop_path, "currency_code"sv);
      if (!code.empty() && !currency.empty() && code != currency) {
        add(FieldPath(shop_path, "currency_code"sv),
            quote(code) + " is not the shop currency " + quote(currency));
        return std::nullopt;
      }
      if (auto value = get(*shop, "amount"sv)) {
        return amountOf(*value, FieldPath(shop_path, "amount"sv));
      }
    }
  }
  return amount(obj, at, key);
}

canonical::Money FieldReader::sumOf(Object obj, const FieldPath& at, std::string_view array_key,
                                    std::string_view key) {
  auto items = array(obj, at, array_key);
  if (!items) {
    return std::nullopt;
  }
  const FieldPath items_path(at, array_key);
  canonical::Money sum = 0;
  std::size_t index = 0;
  for (Element item : *items) {
    const FieldPath item_path(items_path, index++);
    Object item_obj;
    if (item.get_object().get(item_obj) != simdjson::SUCCESS) {
      wrongType(item_path, "an object", item);
      continue;
    }
    const canonical::Money value = shopAmount(item_obj, item_path, key);
    if (value) {
      sum = plus(sum, value, FieldPath(item_path, key));
    }
  }
  return sum;
}

canonical::Money FieldReader::plus(canonical::Money a, canonical::Money b, const FieldPath& path) {
  if (!a || !b) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_add_overflow(*a, *b, &r)) {
    add(path, "amount out of range");
    return std::nullopt;
  }
  return r;
}

canonical::Money FieldReader::minus(canonical::Money a, canonical::Money b, const FieldPath& path) {
  if (!a || !b) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_sub_overflow(*a, *b, &r)) {
    add(path, "amount out of range");
    return std::nullopt;
  }
  return r;
}

canonical::Money FieldReader::times(canonical::Money a, std::int64_t n, const FieldPath& path) {
  if (!a) {
    return std::nullopt;
  }
  canonical::MinorUnits r = 0;
  if (__builtin_mul_overflow(*a, n, &r)) {
    add(path, "amount out of range");
    return std::nullopt;
  }
  return r;
}

}  // namespace ordergate::adapters::shopify
