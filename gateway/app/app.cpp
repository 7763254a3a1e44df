#include "gateway/app/app.hpp"

#include <csignal>
#include <map>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "canonical/json.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/http/server.hpp"
#include "gateway/log/log.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/store/redis_client.hpp"
#include "gateway/util/version.hpp"

namespace ordergate::gateway {

namespace asio = boost::asio;

namespace {
thread_local Worker* t_worker = nullptr;
}  // namespace

Worker* currentWorker() { return t_worker; }
void setCurrentWorker(Worker* worker) { t_worker = worker; }

struct App::Impl {
  config::Config cfg;
  store::RedisEndpoint redis_endpoint;
  metrics::Registry metrics;
  http::Router router;
  std::unique_ptr<pipeline::Pipeline> pipeline;
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<http::HttpServer> server;

  void addProbeRoutes() {
    router.add({"GET", "/healthz", "healthz", http::BodyClass::kNone,
                [](http::Request&) -> asio::awaitable<http::Response> {
                  http::Response r;
                  r.body = R"({"status":"ok"})";
                  co_return r;
                }});
    router.add({"GET", "/readyz", "readyz", http::BodyClass::kNone,
                [this](http::Request&) -> asio::awaitable<http::Response> {
                  co_return co_await readiness();
                }});
    router.add({"GET", "/metrics", "metrics", http::BodyClass::kNone,
                [this](http::Request&) -> asio::awaitable<http::Response> {
                  http::Response r;
                  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                  r.body = metrics.render();
                  co_return r;
                }});
  }

  asio::awaitable<http::Response> readiness() {
    Worker* w = currentWorker();
    auto reply = co_await w->redis->exec(std::vector<std::string>(1, "PING"));
    co_return readinessResponse(reply);
  }

  // Kept out of the coroutine: g++ 12 miscompiles some initialisers inside coroutine frames.
  http::Response readinessResponse(const Result<store::RedisReply>& reply) const {
    std::string redis_state = "ok";
    if (!reply) {
      redis_state = reply.error().message;
    } else if (reply->type == store::RedisReply::Type::kError) {
      redis_state = reply->str;
    }
    const bool ready = redis_state == "ok";
    std::string body = ready ? "{\"status\":\"ok\"" : "{\"status\":\"unavailable\"";
    body += ",\"checks\":{\"config\":\"ok\",\"redis\":";
    canonical::appendJsonString(body, redis_state);
    for (const auto& item : pipeline->readinessDetails()) {
      body += ',';
      canonical::appendJsonString(body, item.first);
      body += ':';
      canonical::appendJsonString(body, item.second);
    }
    body += "}}";
    http::Response r;
    r.status = ready ? 200 : 503;
    r.body = std::move(body);
    return r;
  }

  int run() {
    for (int i = 0; i < cfg.server.io_threads; ++i) {
      auto w = std::make_unique<Worker>();
      w->redis = std::make_unique<store::RedisClient>(w->io, redis_endpoint);
      workers.push_back(std::move(w));
    }
    std::vector<asio::io_context*> contexts;
    for (auto& w : workers) {
      contexts.push_back(&w->io);
    }
    server = std::make_unique<http::HttpServer>(cfg.server, router, metrics);
    if (auto r = server->listen(contexts); !r) {
      log::error("cannot start", {{"error", describe(r.error())}});
      return 1;
    }
    server->start();
    pipeline->start();
    log::info("listening", {{"address", "http://" + cfg.server.host + ":" + std::to_string(server->port())},
                            {"port", static_cast<long long>(server->port())},
                            {"io_threads", cfg.server.io_threads},
                            {"channels", static_cast<long long>(cfg.channels.size())},
                            {"version", versionString()}});

    asio::signal_set signals(workers.front()->io, SIGINT, SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (!ec) {
        log::info("shutting down", {{"signal", sig}});
        beginShutdown();
      }
    });
    std::signal(SIGPIPE, SIG_IGN);
    asio::signal_set hangup(workers.front()->io, SIGHUP);
    std::function<void(const boost::system::error_code&, int)> on_hangup =
        [this, &hangup, &on_hangup](const boost::system::error_code& ec, int) {
          if (ec) {
            return;
          }
          log::info("SIGHUP: reloading mappings");
          pipeline->reloadMappings();
          hangup.async_wait(on_hangup);
        };
    hangup.async_wait(on_hangup);

    std::vector<std::thread> threads;
    for (auto& w : workers) {
      Worker* wp = w.get();
      threads.emplace_back([wp] {
        setCurrentWorker(wp);
        wp->io.run();
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    pipeline->stop();
    log::info("stopped");
    return 0;
  }

  // Stops accepting, waits (bounded) for requests in flight, then stops every loop.
  void beginShutdown() {
    server->shutdown();
    auto deadline = std::chrono::steady_clock::now() + cfg.server.shutdown_timeout;
    asio::co_spawn(
        workers.front()->io,
        [this, deadline]() -> asio::awaitable<void> {
          asio::steady_timer timer(co_await asio::this_coro::executor);
          while (server->inFlight() > 0 && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(std::chrono::milliseconds(20));
            co_await timer.async_wait(asio::use_awaitable);
          }
          // Let the last responses flush before the loops stop.
          timer.expires_after(std::chrono::milliseconds(50));
          co_await timer.async_wait(asio::use_awaitable);
          for (auto& w : workers) {
            Worker* wp = w.get();
            asio::post(wp->io, [wp] {
              wp->redis->stop();
              wp->io.stop();
            });
          }
        },
        asio::detached);
  }
};

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
App::~App() = default;

Result<std::unique_ptr<App>> App::create(config::Config cfg, const adapters::AdapterRegistry& registry) {
  auto impl = std::make_unique<Impl>();
  auto endpoint = store::parseRedisUrl(cfg.redis.url);
  if (!endpoint) {
    return fail(ErrorCode::kConfig, endpoint.error().message, cfg.source_path + ": redis.url");
  }
  endpoint->connect_timeout = cfg.redis.connect_timeout;
  endpoint->command_timeout = cfg.redis.command_timeout;
  impl->redis_endpoint = *endpoint;
  impl->cfg = std::move(cfg);
  impl->metrics.gauge("ordergate_build_info", "Build information", {"version"})
      .with({versionString()})
      .set(1);
  impl->addProbeRoutes();
  auto pipeline = pipeline::Pipeline::create(impl->cfg, registry, impl->redis_endpoint,
                                             impl->metrics);
  if (!pipeline) {
    return tl::unexpected(pipeline.error());
  }
  impl->pipeline = std::move(*pipeline);
  impl->pipeline->addRoutes(impl->router);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

int App::run() { return impl_->run(); }

}  // namespace ordergate::gateway
