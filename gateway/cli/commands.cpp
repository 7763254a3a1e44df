#include "gateway/cli/commands.hpp"

#include <cstdio>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "adapters/adapter.hpp"
#include "adapters/common/byte_sources.hpp"
#include "canonical/json.hpp"
#include "gateway/config/config.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/admin.hpp"
#include "gateway/pipeline/file_ingest.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway {

namespace asio = boost::asio;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Setup {
  config::Config cfg;
  store::RedisEndpoint endpoint;
  store::Keys keys;
};

std::optional<Setup> setup(const std::string& path) {
  auto cfg = config::loadConfig(path);
  if (!cfg) {
    std::fprintf(stderr, "ordergate: invalid config: %s: %s\n", cfg.error().field.c_str(),
                 cfg.error().message.c_str());
    return std::nullopt;
  }
  auto ep = store::parseRedisUrl(cfg->redis.url);
  if (!ep) {
    std::fprintf(stderr, "ordergate: invalid config: %s: redis.url: %s\n", path.c_str(),
                 ep.error().message.c_str());
    return std::nullopt;
  }
  ep->connect_timeout = cfg->redis.connect_timeout;
  ep->command_timeout = cfg->redis.command_timeout;
  auto keys = store::Keys::create(cfg->redis.key_prefix, cfg->pipeline.outbox_shards);
  if (!keys) {
    std::fprintf(stderr, "ordergate: invalid config: %s\n", keys.error().message.c_str());
    return std::nullopt;
  }
  return Setup{std::move(*cfg), *ep, *keys};
}

// Runs one coroutine on a private io_context with its own Redis connection.
template <class Body>
int runWithRedis(const Setup& s, Body body) {
  asio::io_context io{1};
  store::RedisClient redis(io, s.endpoint);
  int code = kExitFailure;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    bool up = co_await redis.waitConnected(s.cfg.redis.connect_timeout + std::chrono::seconds(2));
    if (!up) {
      std::fprintf(stderr, "ordergate: redis unreachable at %s: %s\n", s.cfg.redis.url.c_str(),
                   redis.lastError().c_str());
    } else {
      code = co_await body(redis);
    }
    redis.stop();
  }, asio::detached);
  io.run();
  return code;
}

int printError(const Error& e) {
  std::fprintf(stderr, "ordergate: %s\n", describe(e).c_str());
  return e.code == ErrorCode::kInvalidInput ? kExitUsage : kExitFailure;
}

}  // namespace

int runIngest(const std::string& config_path, const std::string& channel,
              const std::vector<std::string>& files) {
  auto s = setup(config_path);
  if (!s) return kExitUsage;
  adapters::AdapterRegistry registry;
  adapters::registerBuiltinAdapters(registry);
  const config::EndpointConfig* ep = nullptr;
  for (const auto& ch : s->cfg.channels) {
    if (ch.id == channel) ep = &ch;
  }
  if (ep == nullptr || !registry.containsFile(ep->adapter)) {
    std::fprintf(stderr, "ordergate: channel \"%s\" is not configured with a flat-file adapter in %s\n",
                 channel.c_str(), config_path.c_str());
    return kExitUsage;
  }
  auto adapter = registry.createFile(ep->adapter, adapters::AdapterContext{ep->id, ep->settings});
  if (!adapter) {
    std::fprintf(stderr, "ordergate: invalid config: %s: %s\n", adapter.error().field.c_str(),
                 adapter.error().message.c_str());
    return kExitUsage;
  }
  metrics::Registry metrics;
  std::map<std::string, adapters::FileAdapterPtr, std::less<>> map{{channel, *adapter}};
  pipeline::FileIngest ingest(s->cfg, map, s->keys, metrics);
  return runWithRedis(*s, [&](store::RedisClient& redis) -> asio::awaitable<int> {
    int code = kExitOk;
    for (const std::string& file : files) {
      auto source = adapters::FileByteSource::open(file);
      if (!source) {
        std::fprintf(stderr, "ordergate: %s: %s\n", file.c_str(), source.error().message.c_str());
        code = kExitFailure;
        continue;
      }
      adapters::FileContext ctx;
      ctx.channel_id = channel;
      ctx.file_name = file;
      ctx.received_at = std::chrono::time_point_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now());
      pipeline::FileIngestResult r = co_await ingest.ingest(redis, **adapter, std::move(*source), ctx);
      std::cout << r.toJson(file) << "\n";
      if (!r.summary.file_errors.empty() || r.storage_failed || r.counts.count("quarantined") != 0) {
        code = kExitFailure;
      }
    }
    co_return code;
  });
}

int runDlq(const std::string& config_path, const AdminQuery& q) {
  auto s = setup(config_path);
  if (!s) return kExitUsage;
  return runWithRedis(*s, [&](store::RedisClient& redis) -> asio::awaitable<int> {
    if (q.verb == "list" || (q.verb == "replay" && q.all)) {
      store::DlqFilter f;
      f.channel = q.channel;
      f.type = q.type;
      f.offset = q.verb == "list" ? q.offset : 0;
      f.limit = q.verb == "list" ? q.limit : 100000;
      auto items = co_await store::listDeadLetters(redis, s->keys, f);
      if (!items) co_return printError(items.error());
      std::string out = q.verb == "list" ? R"({"items":[)" : R"({"replayed":[)";
      std::size_t n = 0;
      for (const auto& d : *items) {
        if (q.verb == "replay") {
          auto r = co_await store::replayDeadLetter(redis, s->keys, d.event.id);
          if (!r) continue;
        }
        if (n++ > 0) out += ',';
        if (q.verb == "list") {
          out += pipeline::deadLetterSummaryJson(d);
        } else {
          canonical::appendJsonString(out, d.event.id);
        }
      }
      out += "]}";
      std::cout << out << "\n";
      co_return kExitOk;
    }
    if (q.verb == "show") {
      auto d = co_await store::getDeadLetter(redis, s->keys, q.id);
      if (!d) co_return printError(d.error());
      std::cout << pipeline::deadLetterJson(*d) << "\n";
      co_return kExitOk;
    }
    if (q.verb == "replay") {
      auto r = co_await store::replayDeadLetter(redis, s->keys, q.id);
      if (!r) co_return printError(r.error());
      std::cout << R"({"replayed":[")" << q.id << R"("]})" << "\n";
      co_return kExitOk;
    }
    if (q.verb == "purge") {
      auto r = co_await store::purgeDeadLetter(redis, s->keys, q.id);
      if (!r) co_return printError(r.error());
      std::cout << R"({"purged":")" << q.id << R"("})" << "\n";
      co_return kExitOk;
    }
    std::fprintf(stderr, "ordergate: unknown dlq verb \"%s\"\n", q.verb.c_str());
    co_return kExitUsage;
  });
}

int runQuarantine(const std::string& config_path, const AdminQuery& q) {
  auto s = setup(config_path);
  if (!s) return kExitUsage;
  return runWithRedis(*s, [&](store::RedisClient& redis) -> asio::awaitable<int> {
    if (q.verb == "list") {
      store::QuarantineFilter f;
      f.channel = q.channel;
      f.offset = q.offset;
      f.limit = q.limit;
      auto items = co_await store::listQuarantine(redis, s->keys, f);
      if (!items) co_return printError(items.error());
      std::string out = R"({"items":[)";
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (i > 0) out += ',';
        out += pipeline::quarantineSummaryJson((*items)[i]);
      }
      std::cout << out << "]}\n";
      co_return kExitOk;
    }
    if (q.verb == "show") {
      auto r = co_await store::getQuarantine(redis, s->keys, q.id);
      if (!r) co_return printError(r.error());
      std::cout << pipeline::quarantineJson(*r) << "\n";
      co_return kExitOk;
    }
    if (q.verb == "purge") {
      auto r = co_await store::deleteQuarantine(redis, s->keys, q.id);
      if (!r) co_return printError(r.error());
      std::cout << R"({"purged":")" << q.id << R"("})" << "\n";
      co_return kExitOk;
    }
    std::fprintf(stderr,
                 "ordergate: quarantine %s: replay needs the running gateway's adapters — use "
                 "POST /v1/admin/quarantine/{id}/replay\n",
                 q.verb.c_str());
    co_return kExitUsage;
  });
}

}  // namespace ordergate::gateway
