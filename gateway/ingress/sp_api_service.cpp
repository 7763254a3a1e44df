#include "gateway/ingress/sp_api_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "gateway/ingress/sp_api_impl.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/file_ingest.hpp"

namespace ordergate::gateway::ingress {

namespace asio = boost::asio;

SpApiService::Impl::Impl(pipeline::FileIngest& f, store::RedisEndpoint ep, forward::RetryPolicy p,
                         metrics::Registry& m)
    : files(f),
      endpoint(std::move(ep)),
      policy(std::move(p)),
      runs(m.counter("ordergate_sp_api_reports_total",
                     "SP-API report runs by channel and outcome (ingested, cancelled, fatal, "
                     "rejected, incomplete, auth_error, api_error, timeout, too_large, store_error)",
                     {"channel", "outcome"})) {}

namespace {

Result<milliseconds> durationSetting(const adapters::Settings& s, std::string_view key,
                                     std::string fallback, const std::string& where) {
  auto text = s.optional(key, std::move(fallback));
  if (!text) {
    return fail(ErrorCode::kConfig, text.error().message, where + text.error().field);
  }
  auto d = config::parseDuration(*text);
  if (!d || d->count() <= 0) {
    return fail(ErrorCode::kConfig, "must be a positive duration (e.g. 15m)", where + s.keyPath(key));
  }
  return *d;
}

Result<std::string> stringSetting(const adapters::Settings& s, std::string_view key,
                                  std::optional<std::string> fallback, const std::string& where) {
  auto v = fallback ? s.optional(key, *fallback) : s.required(key);
  if (!v) {
    return fail(ErrorCode::kConfig, v.error().message, where + v.error().field);
  }
  if (v->empty()) {
    return fail(ErrorCode::kConfig, "must not be empty", where + s.keyPath(key));
  }
  return *v;
}

bool isHttpUrl(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

Result<SpApiChannel> readChannel(const config::EndpointConfig& ch, const adapters::Settings& s,
                                 const std::string& where) {
  if (auto ok = s.allowOnly({"endpoint", "region", "refresh_token", "client_id", "client_secret",
                             "lwa_url", "marketplace_ids", "report_type", "interval", "lookback",
                             "poll", "report_timeout", "max_report_size"});
      !ok) {
    return fail(ErrorCode::kConfig, ok.error().message, where + ok.error().field);
  }
  SpApiChannel c;
  c.id = ch.id;
  auto text = [&](std::string_view key, std::optional<std::string> fallback,
                  std::string& out) -> Result<void> {
    auto v = stringSetting(s, key, std::move(fallback), where);
    if (!v) {
      return tl::unexpected(v.error());
    }
    out = std::move(*v);
    return {};
  };
  Result<void> ok;
  if (!(ok = text("endpoint", std::nullopt, c.endpoint)) ||
      !(ok = text("refresh_token", std::nullopt, c.refresh_token)) ||
      !(ok = text("client_id", std::nullopt, c.client_id)) ||
      !(ok = text("client_secret", std::nullopt, c.client_secret)) ||
      !(ok = text("lwa_url", std::string(kDefaultLwaUrl), c.lwa_url)) ||
      !(ok = text("report_type", std::string(kDefaultReportType), c.report_type)) ||
      !(ok = text("region", std::string("-"), c.region))) {
    return tl::unexpected(ok.error());
  }
  while (c.endpoint.ends_with('/')) {
    c.endpoint.pop_back();
  }
  if (!isHttpUrl(c.endpoint)) {
    return fail(ErrorCode::kConfig, "must be an http(s) URL", where + s.keyPath("endpoint"));
  }
  if (!isHttpUrl(c.lwa_url)) {
    return fail(ErrorCode::kConfig, "must be an http(s) URL", where + s.keyPath("lwa_url"));
  }
  auto ids = s.list("marketplace_ids");
  if (!ids) {
    return fail(ErrorCode::kConfig, ids.error().message, where + ids.error().field);
  }
  if (ids->empty()) {
    return fail(ErrorCode::kConfig, "required (at least one marketplace id)",
                where + s.keyPath("marketplace_ids"));
  }
  c.marketplace_ids = std::move(*ids);
  struct D {
    std::string_view key;
    const char* fallback;
    milliseconds* out;
  };
  for (const D& d : {D{"interval", "15m", &c.interval}, D{"lookback", "2h", &c.lookback},
                     D{"poll", "30s", &c.poll}, D{"report_timeout", "1h", &c.report_timeout}}) {
    auto v = durationSetting(s, d.key, d.fallback, where);
    if (!v) {
      return tl::unexpected(v.error());
    }
    *d.out = *v;
  }
  auto size_text = s.optional("max_report_size", "256MiB");
  auto size = size_text ? config::parseSize(*size_text) : Result<std::size_t>(tl::unexpected(size_text.error()));
  if (!size || *size == 0) {
    return fail(ErrorCode::kConfig, "must be a size (e.g. 256MiB)", where + s.keyPath("max_report_size"));
  }
  c.max_report_size = *size;
  return c;
}

}  // namespace

SpApiService::SpApiService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SpApiService::~SpApiService() { stop(); }

Result<std::unique_ptr<SpApiService>> SpApiService::create(const config::Config& cfg,
                                                           pipeline::FileIngest& files,
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
  auto impl = std::make_unique<Impl>(files, std::move(redis), std::move(*policy), metrics);
  const std::string where = cfg.source_path + ": ";
  for (const config::EndpointConfig& ch : cfg.channels) {
    if (!ch.settings.has("sp_api")) {
      continue;
    }
    auto block = ch.settings.child("sp_api");
    if (!block) {
      return fail(ErrorCode::kConfig, block.error().message, where + block.error().field);
    }
    auto c = readChannel(ch, *block, where);
    if (!c) {
      return tl::unexpected(c.error());
    }
    c->adapter = files.adapter(ch.id);
    if (c->adapter == nullptr) {
      return fail(ErrorCode::kConfig, "the channel's adapter does not read flat files",
                  where + ch.settings.keyPath("sp_api"));
    }
    c->state_key = keys.prefix() + ":sp_api:" + ch.id;
    impl->channels.push_back(std::move(*c));
  }
  if (impl->channels.empty()) {
    return std::unique_ptr<SpApiService>();
  }
  return std::unique_ptr<SpApiService>(new SpApiService(std::move(impl)));
}

void SpApiService::start() {
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    return;
  }
  s.openClients(s.endpoint, 4);
  for (SpApiChannel& ch : s.channels) {
    asio::co_spawn(s.io, s.channelLoop(ch), asio::detached);
    log::info("sp-api reports scheduled",
              {{"channel", ch.id}, {"report_type", ch.report_type},
               {"interval_ms", static_cast<long long>(ch.interval.count())}});
  }
  s.startThread();
}

void SpApiService::stop() {
  impl_->stopThread();
}

std::vector<std::pair<std::string, std::string>> SpApiService::readinessDetails() const {
  std::lock_guard lock(impl_->status_mutex);
  std::vector<std::pair<std::string, std::string>> out;
  for (const SpApiChannel& ch : impl_->channels) {
    out.emplace_back("sp_api:" + ch.id, ch.status);
  }
  return out;
}

}  // namespace ordergate::gateway::ingress
