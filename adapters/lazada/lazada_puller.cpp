#include <simdjson.h>

#include <charconv>

#include "adapters/lazada/lazada_adapter.hpp"
#include "adapters/lazada/lazada_api.hpp"
#include "adapters/lazada/lazada_fields.hpp"
#include "adapters/lazada/lazada_order.hpp"
#include "adapters/lazada/lazada_signer.hpp"
#include "canonical/validate.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kGetOrder = "/order/get";
constexpr std::string_view kGetOrderItems = "/order/items/get";

struct CodeEntry {
  std::string_view code;
  PullOutcome::Kind kind;
};

constexpr CodeEntry kCodeTable[] = {
    {"IllegalAccessToken", PullOutcome::kAuthAlert},
    {"IllegalRefreshToken", PullOutcome::kAuthAlert},
    {"MissingAccessToken", PullOutcome::kAuthAlert},
    {"InvalidAccessToken", PullOutcome::kAuthAlert},
    {"AccessTokenExpired", PullOutcome::kAuthAlert},
    {"ApiCallLimit", PullOutcome::kRetry},
    {"AppCallLimit", PullOutcome::kRetry},
    {"SellerCallLimit", PullOutcome::kRetry},
    {"AccessControl.Limited", PullOutcome::kRetry},
    {"ServiceTimeout", PullOutcome::kRetry},
    {"ServiceUnavailable", PullOutcome::kRetry},
    {"InternalError", PullOutcome::kRetry},
};

std::optional<std::chrono::milliseconds> retryAfterSeconds(std::string_view header) {
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc() || end != header.data() + header.size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(seconds * 1000);
}

PullOutcome decision(PullOutcome::Kind kind, std::string code, std::string message) {
  PullOutcome out;
  out.kind = kind;
  out.code = std::move(code);
  out.message = std::move(message);
  return out;
}

// One answer's envelope: an outcome when it is not a success, else its `data`.
struct Envelope {
  std::optional<PullOutcome> failure;
  simdjson::dom::element data;
};

Envelope readEnvelope(simdjson::dom::parser& parser, const ApiResponse& response,
                      std::string_view api) {
  Envelope env;
  const std::string where = std::string(api) + ": ";
  if (response.status == 0) {
    env.failure = decision(PullOutcome::kRetry, "network", where + response.error);
    return env;
  }
  auto http_kind = classifyHttpStatus(response.status);
  simdjson::dom::object root;
  const bool parsed = parser.parse(response.body.data(), response.body.size()).get_object().get(root) ==
                      simdjson::SUCCESS;
  FieldReader r;
  const std::string code = parsed ? r.text(root, "code"sv, "code") : std::string();
  if (parsed && !code.empty() && code != "0") {
    const std::string type = r.text(root, "type"sv, "type");
    PullOutcome::Kind kind = classifyApiError(code, type);
    if (http_kind == PullOutcome::kRetry && kind == PullOutcome::kDeadLetter) {
      kind = PullOutcome::kRetry;  // a 5xx / 429 is transient whatever the body says
    }
    env.failure = decision(kind, code, where + r.text(root, "message"sv, "message"));
  } else if (http_kind) {
    env.failure = decision(*http_kind, "HTTP " + std::to_string(response.status),
                           where + response.body.substr(0, 200));
  } else if (!parsed || root.at_key("data").get(env.data) != simdjson::SUCCESS) {
    env.failure = decision(PullOutcome::kRetry, "malformed_response",
                           where + "no JSON envelope with data");
  }
  if (env.failure && env.failure->kind == PullOutcome::kRetry) {
    env.failure->retry_after = retryAfterSeconds(response.retry_after);
  }
  return env;
}

}  // namespace

PullOutcome::Kind classifyApiError(std::string_view code, std::string_view type) {
  for (const CodeEntry& e : kCodeTable) {
    if (e.code == code) {
      return e.kind;
    }
  }
  return type == "ISP"sv ? PullOutcome::kRetry : PullOutcome::kDeadLetter;
}

std::optional<PullOutcome::Kind> classifyHttpStatus(int status) {
  if (status >= 200 && status < 300) {
    return std::nullopt;
  }
  if (status == 0 || status == 408 || status == 425 || status == 429 || status >= 500 ||
      status < 100) {
    return PullOutcome::kRetry;
  }
  return PullOutcome::kDeadLetter;
}

std::vector<ApiCall> LazadaPuller::calls(const PullRequest& request,
                                         canonical::Timestamp now) const {
  const std::string timestamp = std::to_string(now.time_since_epoch().count());
  std::vector<ApiCall> out;
  for (std::string_view api : {kGetOrder, kGetOrderItems}) {
    Params params = {{"app_key", config_.app_key},
                     {"timestamp", timestamp},
                     {"sign_method", "sha256"},
                     {"access_token", config_.access_token},
                     {"order_id", request.key}};
    ApiCall call;
    call.method = "GET";
    call.url = signedUrl(config_.app_secret, config_.api_url, api, std::move(params));
    out.push_back(std::move(call));
  }
  return out;
}

PullOutcome LazadaPuller::interpret(const PullRequest& request,
                                    const std::vector<ApiResponse>& responses,
                                    canonical::Timestamp received_at) const {
  if (responses.size() != 2) {
    return decision(PullOutcome::kDeadLetter, "internal",
                    "expected 2 answers, got " + std::to_string(responses.size()));
  }
  simdjson::dom::parser order_parser;
  simdjson::dom::parser items_parser;
  Envelope order = readEnvelope(order_parser, responses[0], kGetOrder);
  Envelope items = readEnvelope(items_parser, responses[1], kGetOrderItems);
  // The most serious failure wins: an alert before a dead letter before a retry.
  for (PullOutcome::Kind kind : {PullOutcome::kAuthAlert, PullOutcome::kDeadLetter, PullOutcome::kRetry}) {
    for (Envelope* env : {&order, &items}) {
      if (env->failure && env->failure->kind == kind) {
        if (kind == PullOutcome::kAuthAlert) {
          env->failure->retry_after = config_.auth_retry;
        }
        return std::move(*env->failure);
      }
    }
  }
  simdjson::dom::object order_data;
  simdjson::dom::array items_data;
  if (order.data.get_object().get(order_data) != simdjson::SUCCESS ||
      items.data.get_array().get(items_data) != simdjson::SUCCESS) {
    return decision(PullOutcome::kDeadLetter, "unexpected_data",
                    "GetOrder data is not an object or GetOrderItems data is not an array");
  }

  PushMessage push;
  if (auto parsed = parsePush(request.payload)) {
    push = std::move(*parsed);
  }
  OrderContext ctx;
  ctx.channel_id = config_.channel_id;
  ctx.seller_id = push.seller_id.empty() ? std::string_view(config_.seller_id)
                                         : std::string_view(push.seller_id);
  ctx.site = findSite(push.site);
  if (!ctx.site) {
    ctx.site = config_.site;
  }
  ctx.zone = canonical::utcZone();
  if (config_.zone) {
    ctx.zone = *config_.zone;
  } else if (ctx.site) {
    for (const auto& [code, zone] : config_.site_zones) {
      if (code == ctx.site->code) {
        ctx.zone = zone;
      }
    }
  }
  ctx.received_at = received_at;
  const std::string delivery_id = dedupKey(push);
  ctx.delivery_id = delivery_id;

  PullOutcome out;
  out.kind = PullOutcome::kEvents;
  auto normalized = normalizeOrder(order_data, items_data, ctx);
  if (!normalized) {
    out.errors = std::move(normalized.error());
    return out;
  }
  canonical::Order& o = *normalized;
  if (o.channel.order_id != request.key) {
    out.errors.push_back({"order.order_id", "\"" + o.channel.order_id +
                                                "\" is not the order asked for (\"" + request.key +
                                                "\")"});
    return out;
  }
  out.errors = canonical::validate(o);
  if (!out.errors.empty()) {
    return out;
  }
  canonical::CanonicalEvent event;
  event.type = o.status == canonical::OrderStatus::kCancelled
                   ? canonical::EventType::kOrderCancelled
                   : canonical::EventType::kOrderUpdated;
  event.source = "/channels/" + config_.channel_id;
  event.subject = o.order_key;
  event.version = o.version;
  event.time = o.updated_at.value_or(received_at);
  event.received_at = received_at;
  event.data = std::move(o);
  out.events.push_back(std::move(event));
  return out;
}

}  // namespace ordergate::adapters::lazada
