#include "adapters/lazada/lazada_push.hpp"

#include <simdjson.h>

#include <array>

#include "adapters/lazada/lazada_fields.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace std::string_view_literals;

constexpr std::array<Site, 6> kSites = {{
    {"lazada_sg", "SG", "SGD", "Asia/Singapore"},
    {"lazada_my", "MY", "MYR", "Asia/Kuala_Lumpur"},
    {"lazada_th", "TH", "THB", "Asia/Bangkok"},
    {"lazada_vn", "VN", "VND", "Asia/Ho_Chi_Minh"},
    {"lazada_ph", "PH", "PHP", "Asia/Manila"},
    {"lazada_id", "ID", "IDR", "Asia/Jakarta"},
}};

constexpr std::int64_t kMillisThreshold = 100'000'000'000;  // 10^11: year 5138 in seconds

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string normalizeSiteText(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    out.push_back(c == '-' || c == ' ' ? '_' : lower(c));
  }
  return out;
}

std::optional<Site> findSite(std::string_view text) {
  const std::string norm = normalizeSiteText(text);
  for (const Site& site : kSites) {
    if (norm == site.code || norm == site.code.substr(7)) {
      return site;
    }
  }
  return std::nullopt;
}

std::optional<Site> siteOfCountry(std::string_view country) {
  for (const Site& site : kSites) {
    if (site.country == country) {
      return site;
    }
  }
  return std::nullopt;
}

canonical::Timestamp epochTime(std::int64_t seconds_or_millis) {
  using std::chrono::milliseconds;
  if (seconds_or_millis >= kMillisThreshold || seconds_or_millis <= -kMillisThreshold) {
    return canonical::Timestamp(milliseconds(seconds_or_millis));
  }
  return canonical::Timestamp(milliseconds(seconds_or_millis * 1000));
}

tl::expected<PushMessage, FieldErrors> parsePush(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return tl::unexpected(FieldErrors{{"", "not valid JSON"}});
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return tl::unexpected(FieldErrors{{"", "expected a JSON object"}});
  }
  FieldReader r;
  PushMessage push;
  push.seller_id = r.id(obj, "seller_id"sv, "seller_id");
  push.site = normalizeSiteText(r.text(obj, "site"sv, "site"));
  if (auto type = r.integer(obj, "message_type"sv, "message_type")) {
    push.message_type = *type;
  } else if (r.errors.empty()) {
    r.add("message_type", "required");
  }
  if (auto ts = r.integer(obj, "timestamp"sv, "timestamp")) {
    push.pushed_at = epochTime(*ts);
  }
  if (push.message_type != kTradeOrderMessage) {
    if (!r.errors.empty()) {
      return tl::unexpected(std::move(r.errors));
    }
    return push;
  }
  simdjson::dom::object data;
  auto data_value = r.get(obj, "data"sv);
  if (!data_value || data_value->get_object().get(data) != simdjson::SUCCESS) {
    r.add("data", data_value ? "expected an object" : "required");
    return tl::unexpected(std::move(r.errors));
  }
  push.order_id = r.id(data, "trade_order_id"sv, "data.trade_order_id");
  push.line_id = r.id(data, "trade_order_line_id"sv, "data.trade_order_line_id");
  push.reverse_order_id = r.id(data, "reverse_order_id"sv, "data.reverse_order_id");
  for (char c : r.text(data, "order_status"sv, "data.order_status")) {
    push.status.push_back(lower(c));
  }
  if (auto ts = r.integer(data, "status_update_time"sv, "data.status_update_time")) {
    push.status_time = epochTime(*ts);
  }
  if (push.order_id.empty() && r.errors.empty()) {
    r.add("data.trade_order_id", "required");
  }
  if (!r.errors.empty()) {
    return tl::unexpected(std::move(r.errors));
  }
  return push;
}

std::string dedupKey(const PushMessage& push) {
  std::string key = push.seller_id;
  key += '|';
  key += push.order_id;
  key += '|';
  key += push.line_id;
  key += '|';
  key += push.status;
  key += '|';
  if (push.status_time) {
    key += std::to_string(push.status_time->time_since_epoch().count());
  }
  return key;
}

std::string pushSignature(const HmacSha256& secret, std::string_view app_key,
                          std::string_view body) {
  return hexEncode(secret.digestParts({app_key, body}));
}

bool verifyPushSignature(const HmacSha256& secret, std::string_view app_key,
                         std::string_view body, std::string_view header) {
  std::string given;
  for (char c : trim(header)) {
    given.push_back(lower(c));
  }
  const std::string expected = pushSignature(secret, app_key, body);
  return expected.size() == 2 * HmacSha256::kDigestSize && constantTimeEquals(expected, given);
}

}  // namespace ordergate::adapters::lazada
