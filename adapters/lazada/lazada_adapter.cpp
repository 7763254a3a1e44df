#include "adapters/lazada/lazada_adapter.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kSiteCodes[] = {"lazada_sg", "lazada_my", "lazada_th",
                                           "lazada_vn", "lazada_ph", "lazada_id"};

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string_view messageTypeName(std::int64_t type) {
  switch (type) {
    case 3: return "product created";
    case 4: return "product updated";
    case 5: return "product deleted";
    case 8: return "authorisation token about to expire";
    default: return "not a trade-order message";
  }
}

Result<std::string> requiredText(const Settings& s, std::string_view key, std::string_view what) {
  auto value = s.required(key);
  if (!value) {
    return fail(ErrorCode::kConfig, "required (" + std::string(what) + ")", s.keyPath(key));
  }
  if (trim(*value).empty()) {
    return fail(ErrorCode::kConfig, "must not be empty", s.keyPath(key));
  }
  return std::string(trim(*value));
}

}  // namespace

Result<LazadaConfig> parseConfig(const AdapterContext& ctx) {
  const Settings& s = ctx.settings;
  if (auto ok = s.allowOnly({"adapter", "app_key", "app_secret", "api_url", "access_token",
                             "refresh_token", "seller_id", "site", "timezone",
                             "auth_retry_seconds"});
      !ok) {
    return tl::unexpected(ok.error());
  }
  LazadaConfig c;
  c.channel_id = ctx.channel_id;
  auto app_key = requiredText(s, "app_key", "the app key of the Lazada Open Platform app");
  auto secret = requiredText(s, "app_secret", "the app secret");
  auto api_url = requiredText(s, "api_url", "the regional REST gateway, e.g. https://api.lazada.sg/rest");
  auto token = requiredText(s, "access_token", "the seller's access token");
  for (const auto* r : {&app_key, &secret, &api_url, &token}) {
    if (!*r) {
      return tl::unexpected(r->error());
    }
  }
  if (!api_url->starts_with("https://") && !api_url->starts_with("http://")) {
    return fail(ErrorCode::kConfig, "must be an http(s):// URL", s.keyPath("api_url"));
  }
  c.app_key = std::move(*app_key);
  c.app_secret = HmacSha256(std::move(*secret));
  c.api_url = std::move(*api_url);
  while (!c.api_url.empty() && c.api_url.back() == '/') {
    c.api_url.pop_back();
  }
  c.access_token = std::move(*token);
  auto refresh = s.optional("refresh_token");
  auto seller = s.optional("seller_id");
  auto site = s.optional("site");
  auto zone_name = s.optional("timezone");
  auto auth_retry = s.integer("auth_retry_seconds", 300);
  if (!refresh) {
    return tl::unexpected(refresh.error());
  }
  if (!seller) {
    return tl::unexpected(seller.error());
  }
  if (!site) {
    return tl::unexpected(site.error());
  }
  if (!zone_name) {
    return tl::unexpected(zone_name.error());
  }
  if (!auth_retry) {
    return tl::unexpected(auth_retry.error());
  }
  c.refresh_token = std::move(*refresh);
  c.seller_id = std::string(trim(*seller));
  if (!site->empty()) {
    c.site = findSite(*site);
    if (!c.site) {
      return fail(ErrorCode::kConfig,
                  "unknown site \"" + *site + "\" (lazada_sg, lazada_my, lazada_th, lazada_vn, "
                  "lazada_ph, lazada_id)",
                  s.keyPath("site"));
    }
  }
  if (!zone_name->empty()) {
    auto zone = canonical::findTimeZone(*zone_name);
    if (!zone) {
      return fail(ErrorCode::kConfig, zone.error().message, s.keyPath("timezone"));
    }
    c.zone = *zone;
  }
  if (*auth_retry < 1 || *auth_retry > 86400) {
    return fail(ErrorCode::kConfig, "must be between 1 and 86400", s.keyPath("auth_retry_seconds"));
  }
  c.auth_retry = std::chrono::seconds(*auth_retry);
  for (std::size_t i = 0; i < c.site_zones.size(); ++i) {
    auto zone = canonical::findTimeZone(findSite(kSiteCodes[i])->zone);
    c.site_zones[i] = {kSiteCodes[i], zone ? *zone : canonical::utcZone()};
  }
  return c;
}

Result<void> LazadaAdapter::verify(const InboundMessage& msg) const {
  const std::string_view signature = trim(msg.headers.get("Authorization"));
  if (signature.empty()) {
    return fail(ErrorCode::kUnauthenticated, "missing Authorization");
  }
  if (!verifyPushSignature(config_.app_secret, config_.app_key, msg.body, signature)) {
    return fail(ErrorCode::kUnauthenticated, "signature mismatch");
  }
  if (!config_.seller_id.empty()) {
    auto push = parsePush(msg.body);
    if (push && push->seller_id != config_.seller_id) {
      return fail(ErrorCode::kUnauthenticated, "seller not allowed");
    }
  }
  return {};
}

Normalized LazadaAdapter::normalize(const InboundMessage& msg) const {
  Normalized out;
  auto push = parsePush(msg.body);
  if (!push) {
    out.errors = std::move(push.error());
    return out;
  }
  if (push->message_type != kTradeOrderMessage) {
    out.ignored_topic = "message_type " + std::to_string(push->message_type);
    out.ignored = "message_type " + std::to_string(push->message_type) + " (" +
                  std::string(messageTypeName(push->message_type)) +
                  ") carries no order; acknowledged, nothing forwarded";
    return out;
  }
  out.delivery_id = dedupKey(*push);
  if (const std::string_view refetch = trim(msg.headers.get(kRefetchHeader)); !refetch.empty()) {
    out.delivery_id += "#refetch:";
    out.delivery_id += refetch;
  }
  out.pulls.push_back(PullRequest{push->order_id, std::string(msg.body)});
  return out;
}

Result<ChannelAdapterPtr> createLazadaAdapter(const AdapterContext& ctx) {
  auto config = parseConfig(ctx);
  if (!config) {
    return tl::unexpected(config.error());
  }
  return std::make_shared<const LazadaAdapter>(std::move(*config));
}

}  // namespace ordergate::adapters::lazada
