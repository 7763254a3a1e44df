#include "gateway/trackings/tracking_service.hpp"

#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "adapters/common/crypto.hpp"
#include "adapters/mapping/mapping.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/app/admin_guard.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/config/yaml_tree.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/mappings.hpp"
#include "gateway/trackings/tracking_service_impl.hpp"

namespace ordergate::gateway::trackings {

namespace asio = boost::asio;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void field(std::string& out, std::string_view name, std::string_view value) {
  if (out.size() > 1) {
    out += ',';
  }
  canonical::appendJsonString(out, name);
  out += ':';
  canonical::appendJsonString(out, value);
}

std::string timeText(std::string_view ms) {
  std::int64_t v = 0;
  std::from_chars(ms.data(), ms.data() + ms.size(), v);
  return canonical::formatRfc3339(canonical::Timestamp(std::chrono::milliseconds(v)));
}

/// Tracking numbers as carriers print them, spaces removed; no key separators or controls.
std::optional<std::string> cleanNumber(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (c == ' ') {
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return std::nullopt;
    }
    out += c;
  }
  if (out.empty() || out.size() > 64) {
    return std::nullopt;
  }
  return out;
}

std::string shipmentJson(std::string_view carrier, const std::map<std::string, std::string>& h) {
  auto value = [&](const char* key) -> std::string {
    auto it = h.find(key);
    return it == h.end() ? std::string() : it->second;
  };
  std::string out = "{";
  field(out, "carrier", carrier);
  field(out, "tracking_number", value("tracking_number"));
  field(out, "state", value("state"));
  for (const char* key : {"order_key", "status", "occurred_at", "last_error"}) {
    if (!value(key).empty()) {
      field(out, key, value(key));
    }
  }
  for (auto [key, name] : {std::pair{"last_poll_ms", "last_polled_at"}, std::pair{"next_ms", "next_poll_at"},
                           std::pair{"created_ms", "created_at"}}) {
    if (!value(key).empty()) {
      field(out, name, timeText(value(key)));
    }
  }
  out += R"(,"polls":)" + (value("polls").empty() ? std::string("0") : value("polls"));
  out += R"(,"attempts":)" + (value("attempts").empty() ? std::string("0") : value("attempts"));
  out += '}';
  return out;
}

http::Response json(unsigned status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

/// A separate `poll_mapping:` reads the responses; it shares the carrier's secret and zone.
Result<adapters::ChannelAdapterPtr> pollMappingAdapter(const config::EndpointConfig& c,
                                                       const std::string& file) {
  auto tree = config::loadYamlTree(file);
  if (!tree) {
    return tl::unexpected(tree.error());
  }
  auto plan = adapters::mapping::compileMapping(*tree, file);
  if (!plan) {
    return tl::unexpected(plan.error());
  }
  adapters::SettingNode root;
  root.kind = adapters::SettingNode::Kind::kMap;
  for (const char* key : {"secret", "timezone"}) {
    if (auto it = c.settings.root().map.find(key); it != c.settings.root().map.end()) {
      root.map.emplace(key, it->second);
    }
  }
  if (!root.map.contains("secret")) {
    root.map.emplace("secret", adapters::SettingNode{adapters::SettingNode::Kind::kScalar, "unused", {}, {}, 0});
  }
  adapters::AdapterContext ctx{c.id, adapters::Settings(c.settings.keyPath("poll"), std::move(root))};
  return adapters::mapping::createMappingAdapter(ctx, *plan);
}

}  // namespace

TrackingService::Impl::Impl(const config::Config& c, store::RedisEndpoint ep, store::Keys k,
                            forward::RetryPolicy p, metrics::Registry& m)
    : cfg(c),
      endpoint(std::move(ep)),
      keys(std::move(k)),
      policy(std::move(p)),
      polls(m.counter("ordergate_tracking_polls_total",
                      "Carrier tracking polls by outcome (accepted, unchanged, ignored, invalid, "
                      "retry, unauthorized, error, store_error)",
                      {"carrier", "outcome"})) {}

PolledCarrier* TrackingService::Impl::find(std::string_view id) {
  for (auto& c : carriers) {
    if (c->id == id) {
      return c.get();
    }
  }
  return nullptr;
}

void TrackingService::Impl::setAlert(PolledCarrier& c, std::string message) {
  std::lock_guard lock(alert_mutex);
  if (c.alert == message) {
    return;
  }
  if (message.empty()) {
    log::info("carrier alert cleared", {{"carrier", c.id}});
  } else {
    log::error("carrier tracking API refuses the credentials", {{"carrier", c.id}, {"message", message}});
  }
  c.alert = std::move(message);
}

TrackingService::TrackingService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TrackingService::~TrackingService() { stop(); }

Result<std::unique_ptr<TrackingService>> TrackingService::create(const config::Config& cfg,
                                                                 AdapterLookup lookup,
                                                                 store::RedisEndpoint redis,
                                                                 store::Keys keys,
                                                                 metrics::Registry& metrics) {
  forward::RetryConfig rc;
  rc.initial = cfg.retry.initial;
  rc.cap = cfg.retry.cap;
  rc.max_age = cfg.retry.max_age;
  auto policy = forward::RetryPolicy::create(rc);
  if (!policy) {
    return fail(ErrorCode::kConfig, policy.error().message, cfg.source_path + ": retry");
  }
  auto impl = std::make_unique<Impl>(cfg, std::move(redis), keys, std::move(*policy), metrics);
  impl->lookup = std::move(lookup);
  auto& followed = metrics.gauge("ordergate_trackings_followed",
                                 "Shipments being polled per carrier", {"carrier"});
  for (const config::EndpointConfig& c : cfg.carriers) {
    if (!c.settings.has("poll")) {
      continue;
    }
    auto located = [&](Error e) {
      e.field = cfg.source_path + ": " + e.field;
      return tl::unexpected(std::move(e));
    };
    auto block = c.settings.child("poll");
    if (!block) {
      return located(block.error());
    }
    auto poll = carriers::parsePollConfig(*block);
    if (!poll) {
      return located(poll.error());
    }
    adapters::ChannelAdapterPtr adapter;
    if (!poll->poll_mapping.empty()) {
      auto a = pollMappingAdapter(c, pipeline::resolveMappingPath(poll->poll_mapping, cfg.source_path));
      if (!a) {
        return located(a.error());
      }
      adapter = std::move(*a);
    }
    if (!adapter && !impl->lookup(c.id)) {
      return fail(ErrorCode::kConfig, "a polled carrier needs a mapping (or poll.poll_mapping)",
                  cfg.source_path + ": " + c.settings.keyPath("poll"));
    }
    auto pc = std::make_unique<PolledCarrier>(PolledCarrier{
        c.id, *poll, std::move(adapter), TrackingKeys(keys.prefix(), c.id), &followed.with({c.id}),
        {}, carriers::RateLimiter(poll->max_requests_per_second), {}});
    impl->carriers.push_back(std::move(pc));
  }
  if (impl->carriers.empty()) {
    return std::unique_ptr<TrackingService>();
  }
  return std::unique_ptr<TrackingService>(new TrackingService(std::move(impl)));
}

void TrackingService::start() {
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    return;
  }
  s.openClients(s.endpoint, 4);
  for (auto& c : s.carriers) {
    asio::co_spawn(s.io, s.carrierLoop(*c), asio::detached);
  }
  asio::co_spawn(s.io, s.gaugeLoop(), asio::detached);
  s.startThread();
  log::info("tracking poll worker started", {{"carriers", static_cast<long long>(s.carriers.size())}});
}

void TrackingService::stop() {
  impl_->stopThread();
}

std::vector<std::pair<std::string, std::string>> TrackingService::readinessDetails() const {
  std::lock_guard lock(impl_->alert_mutex);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : impl_->carriers) {
    out.emplace_back("trackings:" + c->id, c->alert.empty() ? std::string("ok") : "alert: " + c->alert);
  }
  return out;
}

void TrackingService::addRoutes(http::Router& router, const std::string& admin_token) {
  Impl* s = impl_.get();
  // {carrier}/{tracking_number} of the path, checked; nullptr carrier with the error answer.
  auto target = [s](std::string_view carrier_id, std::string_view number,
                    http::Response& error) -> std::pair<PolledCarrier*, std::string> {
    PolledCarrier* c = s->find(carrier_id);
    if (c == nullptr) {
      error = http::jsonError(404, "not_found", "no polled carrier \"" + std::string(carrier_id) + "\"");
      return {nullptr, {}};
    }
    auto tn = cleanNumber(number);
    if (!tn) {
      error = http::jsonError(400, "invalid_request",
                              "tracking_number must be 1-64 letters, digits, '-', '_' or '.'",
                              "tracking_number");
      return {nullptr, {}};
    }
    return {c, *tn};
  };

  router.add({"POST", "/v1/trackings", "trackings", http::BodyClass::kAdmin,
              adminGuarded(admin_token, [target](http::Request& req, store::RedisClient& redis) -> asio::awaitable<http::Response> {
                simdjson::dom::parser parser;
                simdjson::dom::element doc;
                std::string_view carrier;
                std::string_view number;
                std::string_view order_key;
                if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object() ||
                    doc["carrier"].get(carrier) != simdjson::SUCCESS ||
                    doc["tracking_number"].get(number) != simdjson::SUCCESS) {
                  co_return http::jsonError(400, "invalid_request",
                                            "body must be {\"carrier\", \"tracking_number\", \"order_key\"?}");
                }
                if (doc["order_key"].error() != simdjson::NO_SUCH_FIELD &&
                    doc["order_key"].get(order_key) != simdjson::SUCCESS) {
                  co_return http::jsonError(400, "invalid_request", "order_key must be a string", "order_key");
                }
                http::Response error;
                auto [c, tn] = target(carrier, number, error);
                if (c == nullptr) {
                  co_return error;
                }
                auto created = co_await follow(redis, c->keys, tn, std::string(order_key), nowMs());
                if (!created) {
                  co_return http::errorResponse(created.error());
                }
                auto state = co_await get(redis, c->keys, tn);
                if (!state) {
                  co_return http::errorResponse(state.error());
                }
                co_return json(*created ? 201 : 200, shipmentJson(c->id, *state));
              })});
  router.add({"GET", "/v1/trackings/{carrier}/{tracking_number}", "trackings", http::BodyClass::kNone,
              adminGuarded(admin_token, [target](http::Request& req, store::RedisClient& redis) -> asio::awaitable<http::Response> {
                http::Response error;
                auto [c, tn] = target(req.param("carrier"), req.param("tracking_number"), error);
                if (c == nullptr) {
                  co_return error;
                }
                auto state = co_await get(redis, c->keys, tn);
                if (!state) {
                  co_return http::errorResponse(state.error());
                }
                if (state->empty()) {
                  co_return http::jsonError(404, "not_found", "shipment is not followed");
                }
                co_return json(200, shipmentJson(c->id, *state));
              })});
  router.add({"DELETE", "/v1/trackings/{carrier}/{tracking_number}", "trackings", http::BodyClass::kNone,
              adminGuarded(admin_token, [target](http::Request& req, store::RedisClient& redis) -> asio::awaitable<http::Response> {
                http::Response error;
                auto [c, tn] = target(req.param("carrier"), req.param("tracking_number"), error);
                if (c == nullptr) {
                  co_return error;
                }
                auto stopped = co_await unfollow(redis, c->keys, tn);
                if (!stopped) {
                  co_return http::errorResponse(stopped.error());
                }
                if (!*stopped) {
                  co_return http::jsonError(404, "not_found", "shipment is not followed");
                }
                auto state = co_await get(redis, c->keys, tn);
                if (!state) {
                  co_return http::errorResponse(state.error());
                }
                co_return json(200, shipmentJson(c->id, *state));
              })});
}

}  // namespace ordergate::gateway::trackings
