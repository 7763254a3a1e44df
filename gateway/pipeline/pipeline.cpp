#include "gateway/pipeline/pipeline.hpp"

#include "gateway/log/log.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/admin.hpp"
#include "gateway/pipeline/file_ingest.hpp"
#include "gateway/pipeline/forwarder.hpp"
#include "gateway/pipeline/mappings.hpp"
#include "gateway/pipeline/ingest.hpp"
#include "gateway/ingress/inbox_service.hpp"
#include "gateway/ingress/sp_api_service.hpp"
#include "gateway/pulls/pull_service.hpp"
#include "gateway/store/redis_client.hpp"
#include "gateway/trackings/tracking_service.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;

namespace {

class PipelineImpl final : public Pipeline {
 public:
  PipelineImpl(const config::Config& cfg, std::unique_ptr<Ingest> ingest,
               std::unique_ptr<FileIngest> files, std::unique_ptr<Forwarder> forwarder,
               store::Keys keys, std::unique_ptr<pulls::PullService> pulls,
               std::unique_ptr<MappingSet> mappings)
      : cfg_(cfg),
        ingest_(std::move(ingest)),
        files_(std::move(files)),
        forwarder_(std::move(forwarder)),
        keys_(std::move(keys)),
        pulls_(std::move(pulls)),
        mappings_(std::move(mappings)) {
    ingest_->setPullService(pulls_.get());
  }

  /// Amazon ingress (drop directories, SP-API pulls); created after FileIngest, which they use.
  void setIngress(std::unique_ptr<ingress::InboxService> inbox,
                  std::unique_ptr<ingress::SpApiService> sp_api) {
    inbox_ = std::move(inbox);
    sp_api_ = std::move(sp_api);
  }

  /// Polled carriers (issue #7); null when no carrier has a `poll:` block.
  void setTrackings(std::unique_ptr<trackings::TrackingService> t) { trackings_ = std::move(t); }

  void reloadMappings() override { mappings_->reloadAll(*ingest_); }

  void addRoutes(http::Router& router) override {
    Ingest* ingest = ingest_.get();
    router.add({"POST", "/v1/channels/{id}/webhooks", "channel_webhook", http::BodyClass::kWebhook,
                [ingest](http::Request& req) { return ingest->channelWebhook(req); }});
    router.add({"POST", "/v1/carriers/{id}/callbacks", "carrier_callback", http::BodyClass::kWebhook,
                [ingest](http::Request& req) { return ingest->carrierCallback(req); }});
    FileIngest* files = files_.get();
    router.add({"POST", "/v1/channels/{id}/files", "channel_file", http::BodyClass::kFile,
                [files](http::Request& req) { return files->upload(req); }});
    addAdminRoutes(router, cfg_.admin.token, keys_, *ingest_, *files_);
    if (pulls_) {
      pulls_->addRoutes(router, cfg_.admin.token);
    }
    if (trackings_) {
      trackings_->addRoutes(router, cfg_.admin.token);
    }
  }

  void start() override {
    mappings_->startWatching(*ingest_);
    if (forwarder_) {
      forwarder_->start();
    }
    if (pulls_) {
      pulls_->start();
    }
    // Ingress services (drop directories, SP-API pulls).
    if (inbox_) {
      inbox_->start();
    }
    if (sp_api_) {
      sp_api_->start();
    }
    if (trackings_) {
      trackings_->start();
    }
  }

  void stop() override {
    if (trackings_) {
      trackings_->stop();
    }
    mappings_->stop();
    // Ingress services first: they feed FileIngest.
    if (inbox_) {
      inbox_->stop();
    }
    if (sp_api_) {
      sp_api_->stop();
    }
    if (pulls_) {
      pulls_->stop();
    }
    if (forwarder_) {
      forwarder_->stop();
    }
  }

  std::vector<std::pair<std::string, std::string>> readinessDetails() const override {
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back("forwarder", forwarder_ ? forwarder_->status() : "disabled");
    auto mappings = mappings_->readinessDetails();
    out.insert(out.end(), mappings.begin(), mappings.end());
    if (pulls_) {
      auto pulls = pulls_->readinessDetails();
      out.insert(out.end(), pulls.begin(), pulls.end());
    }
    if (sp_api_) {
      auto sp_api = sp_api_->readinessDetails();
      out.insert(out.end(), sp_api.begin(), sp_api.end());
    }
    if (trackings_) {
      auto trackings = trackings_->readinessDetails();
      out.insert(out.end(), trackings.begin(), trackings.end());
    }
    return out;
  }

 private:
  const config::Config& cfg_;
  std::unique_ptr<Ingest> ingest_;
  std::unique_ptr<FileIngest> files_;
  std::unique_ptr<Forwarder> forwarder_;
  store::Keys keys_;
  std::unique_ptr<pulls::PullService> pulls_;  ///< pull channels (Lazada); null when none
  std::unique_ptr<MappingSet> mappings_;
  // Ingress services, declared last so they stop before what they use is destroyed.
  std::unique_ptr<ingress::InboxService> inbox_;  ///< null when no channel has `inbox:`
  std::unique_ptr<ingress::SpApiService> sp_api_;  ///< null when no channel has `sp_api:`
  std::unique_ptr<trackings::TrackingService> trackings_;  ///< polled carriers; null when none
};

}  // namespace

Result<std::unique_ptr<Pipeline>> Pipeline::create(const config::Config& cfg,
                                                   const adapters::AdapterRegistry& registry,
                                                   const store::RedisEndpoint& redis,
                                                   metrics::Registry& metrics) {
  auto keys = store::Keys::create(cfg.redis.key_prefix, cfg.pipeline.outbox_shards);
  if (!keys) {
    return fail(ErrorCode::kConfig, keys.error().message, cfg.source_path + ": redis.key_prefix");
  }
  std::map<std::string, adapters::ChannelAdapterPtr, std::less<>> channels;
  std::map<std::string, adapters::FileAdapterPtr, std::less<>> file_channels;
  std::vector<MappingSet::Entry> mapping_entries;
  for (const config::EndpointConfig& ch : cfg.channels) {
    if (!ch.mapping.empty()) {
      std::string path = resolveMappingPath(ch.mapping, cfg.source_path);
      auto adapter = loadMappingAdapter(ch, path, "channel");
      if (!adapter) {
        return fail(ErrorCode::kConfig, adapter.error().message, cfg.source_path + ": " + adapter.error().field);
      }
      channels.emplace(ch.id, std::move(*adapter));
      mapping_entries.push_back({"channel", ch, path, {}, {}});
      continue;
    }
    adapters::AdapterContext ctx{ch.id, ch.settings};
    auto adapter = registry.create(ch.adapter, ctx);
    if (!adapter) {
      Error e = adapter.error();
      e.field = cfg.source_path + ": " + e.field;
      return tl::unexpected(e);
    }
    if (*adapter) {
      channels.emplace(ch.id, std::move(*adapter));
    }
    if (registry.containsFile(ch.adapter)) {
      auto file_adapter = registry.createFile(ch.adapter, ctx);
      if (!file_adapter) {
        Error e = file_adapter.error();
        e.field = cfg.source_path + ": " + e.field;
        return tl::unexpected(e);
      }
      file_channels.emplace(ch.id, std::move(*file_adapter));
    }
  }
  std::map<std::string, adapters::ChannelAdapterPtr, std::less<>> carriers;
  for (const config::EndpointConfig& c : cfg.carriers) {
    if (!c.mapping.empty()) {
      std::string path = resolveMappingPath(c.mapping, cfg.source_path);
      auto adapter = loadMappingAdapter(c, path, "carrier");
      if (!adapter) {
        return fail(ErrorCode::kConfig, adapter.error().message, cfg.source_path + ": " + adapter.error().field);
      }
      carriers.emplace(c.id, std::move(*adapter));
      mapping_entries.push_back({"carrier", c, path, {}, {}});
      continue;
    }
    for (const auto& ch : cfg.channels) {
      if (ch.id == c.id) {
        return fail(ErrorCode::kConfig, "a channel already has this id (ids are shared)",
                    cfg.source_path + ": carriers." + c.id);
      }
    }
    auto adapter = registry.create(c.adapter, adapters::AdapterContext{c.id, c.settings});
    if (!adapter) {
      Error e = adapter.error();
      e.field = cfg.source_path + ": " + e.field;
      return tl::unexpected(e);
    }
    if (*adapter) {
      carriers.emplace(c.id, std::move(*adapter));
    }
  }
  auto pulls = pulls::PullService::create(cfg, channels, redis, *keys, metrics);
  if (!pulls) {
    return tl::unexpected(pulls.error());
  }
  auto ingest = std::make_unique<Ingest>(cfg, std::move(channels), std::move(carriers), *keys, metrics);
  // Polled carriers (issue #7): responses are read with the carrier's current (reloadable) plan.
  Ingest* ingest_ptr = ingest.get();
  auto trackings = trackings::TrackingService::create(
      cfg, [ingest_ptr](std::string_view id) { return ingest_ptr->carrier(id); }, redis, *keys, metrics);
  if (!trackings) {
    return tl::unexpected(trackings.error());
  }
  auto files = std::make_unique<FileIngest>(cfg, std::move(file_channels), *keys, metrics);
  std::unique_ptr<Forwarder> forwarder;
  if (cfg.forwarder.enabled) {
    auto f = Forwarder::create(cfg, redis, *keys, metrics);
    if (!f) {
      return tl::unexpected(f.error());
    }
    forwarder = std::move(*f);
  }
  // Ingress services (Amazon drop directory, SP-API pulls) use FileIngest.
  auto inbox = ingress::InboxService::create(cfg, *files, redis, metrics);
  if (!inbox) {
    return tl::unexpected(inbox.error());
  }
  auto sp_api = ingress::SpApiService::create(cfg, *files, redis, *keys, metrics);
  if (!sp_api) {
    return tl::unexpected(sp_api.error());
  }
  auto pipeline = std::make_unique<PipelineImpl>(
      cfg, std::move(ingest), std::move(files), std::move(forwarder), std::move(*keys), std::move(*pulls),
      std::make_unique<MappingSet>(std::move(mapping_entries), metrics));
  pipeline->setIngress(std::move(*inbox), std::move(*sp_api));
  pipeline->setTrackings(std::move(*trackings));
  return std::unique_ptr<Pipeline>(std::move(pipeline));
}

}  // namespace ordergate::gateway::pipeline
