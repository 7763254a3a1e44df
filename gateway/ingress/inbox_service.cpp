#include "gateway/ingress/inbox_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/common/byte_sources.hpp"
#include "canonical/json.hpp"
#include "gateway/log/log.hpp"
#include "gateway/metrics/metrics.hpp"
#include "gateway/pipeline/file_ingest.hpp"

namespace ordergate::gateway::ingress {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kDefaultPoll{30'000};

struct Seen {
  std::uintmax_t size = 0;
  fs::file_time_type mtime{};
  bool operator==(const Seen&) const = default;
};

struct InboxChannel {
  std::string id;
  const adapters::FileAdapter* adapter = nullptr;
  fs::path dir;
  milliseconds poll{kDefaultPoll};
  std::map<std::string, Seen> seen;  ///< name → size and mtime at the previous poll
  std::set<std::string> stuck;       ///< ingested but could not be moved: never read again
  bool redis_warned = false;
};

/// True for names a writer is still working on (or hidden files).
bool ignoredName(const std::string& name) {
  return name.empty() || name.front() == '.' || name.ends_with(".part") || name.ends_with(".tmp");
}

/// `dir/name`, or `dir/stem-<ms>ext` when that exists already (a re-dropped file of the same name).
fs::path freeTarget(const fs::path& dir, const std::string& name) {
  fs::path target = dir / name;
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    return target;
  }
  const fs::path p(name);
  const auto ms = std::chrono::duration_cast<milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return dir / (p.stem().string() + "-" + std::to_string(ms) + p.extension().string());
}

/// Writes `text` to `path` through a hidden temporary file and a rename.
bool writeFileAtomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return false;
    }
    out << text;
    if (!out.flush()) {
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string openErrorJson(const std::string& name, const Error& e) {
  std::string out = R"({"status":"rejected","file":)";
  canonical::appendJsonString(out, name);
  out += R"(,"counts":{},"errors":[{"line":0,"column":"","message":)";
  canonical::appendJsonString(out, describe(e));
  out += "}],\"orders\":[]}";
  return out;
}

}  // namespace

struct InboxService::Impl {
  pipeline::FileIngest& files;
  store::RedisEndpoint endpoint;
  std::vector<InboxChannel> channels;
  metrics::Family<metrics::Counter>& files_total;

  asio::io_context io{1};
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::unique_ptr<store::RedisClient> redis;

  Impl(pipeline::FileIngest& f, store::RedisEndpoint ep, metrics::Registry& m)
      : files(f),
        endpoint(std::move(ep)),
        files_total(m.counter("ordergate_inbox_files_total",
                              "Files taken from drop directories by channel and outcome (done, "
                              "failed, retry, move_error)",
                              {"channel", "outcome"})) {}

  asio::awaitable<void> sleep(milliseconds d) {
    asio::steady_timer t(io, d);
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> channelLoop(InboxChannel& ch) {
    while (!stopping) {
      co_await scan(ch);
      if (stopping) {
        co_return;
      }
      co_await sleep(ch.poll);
    }
  }

  /// One poll: remembers sizes and mtimes, ingests the files that did not change since the last.
  asio::awaitable<void> scan(InboxChannel& ch) {
    const fs::path inbox = ch.dir / "inbox";
    std::error_code ec;
    std::map<std::string, Seen> now;
    std::vector<std::string> ready;
    for (fs::directory_iterator it(inbox, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::error_code fec;
      if (ignoredName(name) || !it->is_regular_file(fec) || ch.stuck.count(name) != 0) {
        continue;
      }
      Seen s{it->file_size(fec), it->last_write_time(fec)};
      if (fec) {
        continue;
      }
      auto prev = ch.seen.find(name);
      if (prev != ch.seen.end() && prev->second == s) {
        ready.push_back(name);
      }
      now.emplace(name, s);
    }
    if (ec) {
      log::warn("inbox not readable", {{"channel", ch.id}, {"dir", inbox.string()},
                                       {"error", ec.message()}});
    }
    ch.seen = std::move(now);
    std::sort(ready.begin(), ready.end());
    for (const std::string& name : ready) {
      if (stopping) {
        co_return;
      }
      if (!redis->connected()) {
        if (!ch.redis_warned) {
          log::warn("inbox waits for Redis; files stay in inbox/",
                    {{"channel", ch.id}, {"files", static_cast<long long>(ready.size())}});
          ch.redis_warned = true;
        }
        files_total.with({ch.id, "retry"}).inc();
        co_return;
      }
      ch.redis_warned = false;
      co_await takeFile(ch, name);
    }
  }

  asio::awaitable<void> takeFile(InboxChannel& ch, const std::string& name) {
    const fs::path path = ch.dir / "inbox" / name;
    auto source = adapters::FileByteSource::open(path.string());
    if (!source) {
      if (source.error().code == ErrorCode::kNotFound) {
        ch.seen.erase(name);  // taken away by someone else
        co_return;
      }
      finish(ch, name, "failed", openErrorJson(name, source.error()), 0, 0);
      co_return;
    }
    adapters::FileContext ctx;
    ctx.channel_id = ch.id;
    ctx.file_name = name;
    ctx.received_at = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
    pipeline::FileIngestResult r =
        co_await files.ingest(*redis, *ch.adapter, std::move(*source), std::move(ctx));
    if (stopping) {
      co_return;
    }
    if (r.summary.file_errors.empty() && r.storage_failed) {
      // Redis went away part-way: read the whole file again later (stored orders → duplicate).
      log::warn("inbox file incomplete (Redis unavailable); it stays in inbox/ and is retried",
                {{"channel", ch.id}, {"file", name}});
      files_total.with({ch.id, "retry"}).inc();
      co_return;
    }
    const char* outcome = r.summary.file_errors.empty() ? "done" : "failed";
    finish(ch, name, outcome, r.toJson(name), r.summary.rows, r.orders.size());
  }

  void finish(InboxChannel& ch, const std::string& name, const char* outcome,
              const std::string& summary, std::size_t rows, std::size_t orders) {
    const fs::path target = freeTarget(ch.dir / outcome, name);
    std::error_code ec;
    fs::rename(ch.dir / "inbox" / name, target, ec);
    ch.seen.erase(name);
    if (ec) {
      log::error("inbox file ingested but not moved; it will not be read again until restart",
                 {{"channel", ch.id}, {"file", name}, {"error", ec.message()}});
      ch.stuck.insert(name);
      files_total.with({ch.id, "move_error"}).inc();
      return;
    }
    const fs::path summary_path = target.string() + ".summary.json";
    if (!writeFileAtomically(summary_path, summary)) {
      log::error("inbox summary not written", {{"channel", ch.id}, {"file", summary_path.string()}});
    }
    files_total.with({ch.id, outcome}).inc();
    log::info("inbox file ingested", {{"channel", ch.id}, {"file", name}, {"outcome", outcome},
                                      {"rows", static_cast<long long>(rows)},
                                      {"orders", static_cast<long long>(orders)}});
  }
};

namespace {

/// Checks `dir` and creates its three subdirectories. Error messages name channels.<id>.inbox.dir.
Result<void> prepareDir(const fs::path& dir, const std::string& field) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return fail(ErrorCode::kConfig, "\"" + dir.string() + "\" is not an existing directory", field);
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return fail(ErrorCode::kConfig, "\"" + dir.string() + "\" is not writable", field);
  }
  for (const char* sub : {"inbox", "done", "failed"}) {
    fs::create_directories(dir / sub, ec);
    if (ec || ::access((dir / sub).c_str(), W_OK | X_OK) != 0) {
      return fail(ErrorCode::kConfig,
                  "cannot create or write \"" + (dir / sub).string() + "\"" +
                      (ec ? ": " + ec.message() : std::string()),
                  field);
    }
  }
  return {};
}

}  // namespace

InboxService::InboxService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

InboxService::~InboxService() { stop(); }

Result<std::unique_ptr<InboxService>> InboxService::create(const config::Config& cfg,
                                                           pipeline::FileIngest& files,
                                                           store::RedisEndpoint redis,
                                                           metrics::Registry& metrics) {
  auto impl = std::make_unique<Impl>(files, std::move(redis), metrics);
  const std::string where = cfg.source_path + ": ";
  for (const config::EndpointConfig& ch : cfg.channels) {
    if (!ch.settings.has("inbox")) {
      continue;
    }
    auto block = ch.settings.child("inbox");
    if (!block) {
      return fail(ErrorCode::kConfig, block.error().message, where + block.error().field);
    }
    if (auto ok = block->allowOnly({"dir", "poll"}); !ok) {
      return fail(ErrorCode::kConfig, ok.error().message, where + ok.error().field);
    }
    InboxChannel ic;
    ic.id = ch.id;
    ic.adapter = files.adapter(ch.id);
    if (ic.adapter == nullptr) {
      return fail(ErrorCode::kConfig, "the channel's adapter does not read flat files",
                  where + ch.settings.keyPath("inbox"));
    }
    auto dir = block->required("dir");
    if (!dir) {
      return fail(ErrorCode::kConfig, dir.error().message, where + dir.error().field);
    }
    ic.dir = fs::path(*dir);
    if (ic.dir.is_relative()) {  // relative to the config file, not to the working directory
      ic.dir = (fs::path(cfg.source_path).parent_path() / ic.dir).lexically_normal();
    }
    if (auto ok = prepareDir(ic.dir, where + block->keyPath("dir")); !ok) {
      return tl::unexpected(ok.error());
    }
    auto poll_text = block->optional("poll", "30s");
    if (!poll_text) {
      return fail(ErrorCode::kConfig, poll_text.error().message, where + poll_text.error().field);
    }
    auto poll = config::parseDuration(*poll_text);
    if (!poll || *poll < milliseconds(10)) {
      return fail(ErrorCode::kConfig, "must be a duration of at least 10ms (e.g. 2s)",
                  where + block->keyPath("poll"));
    }
    ic.poll = *poll;
    impl->channels.push_back(std::move(ic));
  }
  if (impl->channels.empty()) {
    return std::unique_ptr<InboxService>();
  }
  return std::unique_ptr<InboxService>(new InboxService(std::move(impl)));
}

void InboxService::start() {
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    return;
  }
  s.redis = std::make_unique<store::RedisClient>(s.io, s.endpoint);
  for (InboxChannel& ch : s.channels) {
    asio::co_spawn(s.io, s.channelLoop(ch), asio::detached);
    log::info("inbox watched", {{"channel", ch.id}, {"dir", ch.dir.string()},
                                {"poll_ms", static_cast<long long>(ch.poll.count())}});
  }
  s.thread = std::thread([&s] { s.io.run(); });
}

void InboxService::stop() {
  Impl& s = *impl_;
  if (!s.thread.joinable()) {
    return;
  }
  asio::post(s.io, [&s] {
    s.stopping = true;
    s.redis->stop();
    s.io.stop();
  });
  s.thread.join();
}

}  // namespace ordergate::gateway::ingress
