#include "gateway/pipeline/mappings.hpp"

#include <chrono>

#include "adapters/mapping/mapping.hpp"
#include "gateway/config/yaml_tree.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/ingest.hpp"

namespace ordergate::gateway::pipeline {

namespace fs = std::filesystem;

std::string resolveMappingPath(const std::string& mapping, const std::string& config_path) {
  fs::path p(mapping);
  std::error_code ec;
  if (p.is_absolute() || fs::exists(p, ec)) {
    return p.string();
  }
  fs::path beside = fs::path(config_path).parent_path() / p;
  return fs::exists(beside, ec) ? beside.string() : p.string();
}

Result<adapters::ChannelAdapterPtr> loadMappingAdapter(const config::EndpointConfig& ep,
                                                       const std::string& path,
                                                       std::string_view kind) {
  auto tree = config::loadYamlTree(path);
  if (!tree) {
    return fail(ErrorCode::kConfig, tree.error().field + ": " + tree.error().message,
                ep.settings.keyPath("mapping"));
  }
  auto plan = adapters::mapping::compileMapping(*tree, path);
  if (!plan) {
    return fail(ErrorCode::kConfig, describe(plan.error()), ep.settings.keyPath("mapping"));
  }
  const bool is_carrier = adapters::mapping::mappingKind(**plan) == adapters::mapping::MappingKind::kCarrier;
  if (is_carrier != (kind == "carrier")) {
    return fail(ErrorCode::kConfig,
                path + " is a " + (is_carrier ? "carrier" : "channel") + " mapping; put it under " +
                    (is_carrier ? "carriers:" : "channels:"),
                ep.settings.keyPath("mapping"));
  }
  return adapters::mapping::createMappingAdapter(adapters::AdapterContext{ep.id, ep.settings}, *plan);
}

MappingSet::MappingSet(std::vector<Entry> entries, metrics::Registry& metrics)
    : entries_(std::move(entries)),
      reloads_(metrics.counter("ordergate_mapping_reloads_total",
                               "Mapping reloads by channel/carrier id and outcome (ok, error)",
                               {"id", "outcome"})),
      failing_(metrics.gauge("ordergate_mapping_reload_failing",
                             "1 while the newest version of a mapping file does not load "
                             "(the previous plan keeps serving)",
                             {"id"})) {
  for (Entry& e : entries_) {
    std::error_code ec;
    e.mtime = fs::last_write_time(e.path, ec);
    failing_.with({e.endpoint.id}).set(0);
  }
}

MappingSet::~MappingSet() { stop(); }

void MappingSet::reloadOne(Ingest& ingest, Entry& e) {
  auto adapter = loadMappingAdapter(e.endpoint, e.path, e.kind);
  if (!adapter) {
    e.error = describe(adapter.error());
    reloads_.with({e.endpoint.id, "error"}).inc();
    failing_.with({e.endpoint.id}).set(1);
    log::error("mapping reload failed; the previous plan stays in force",
               {{"id", e.endpoint.id}, {"file", e.path}, {"error", e.error}});
    return;
  }
  ingest.replace(e.kind, e.endpoint.id, std::move(*adapter));
  e.error.clear();
  reloads_.with({e.endpoint.id, "ok"}).inc();
  failing_.with({e.endpoint.id}).set(0);
  log::info("mapping reloaded", {{"id", e.endpoint.id}, {"file", e.path}});
}

void MappingSet::reloadAll(Ingest& ingest) {
  std::lock_guard lock(mutex_);
  for (Entry& e : entries_) {
    std::error_code ec;
    e.mtime = fs::last_write_time(e.path, ec);
    reloadOne(ingest, e);
  }
}

void MappingSet::reloadChanged(Ingest& ingest) {
  std::lock_guard lock(mutex_);
  for (Entry& e : entries_) {
    std::error_code ec;
    auto mtime = fs::last_write_time(e.path, ec);
    if (!ec && mtime != e.mtime) {
      e.mtime = mtime;
      reloadOne(ingest, e);
    }
  }
}

void MappingSet::startWatching(Ingest& ingest) {
  if (entries_.empty() || watcher_.joinable()) {
    return;
  }
  watcher_ = std::thread([this, &ingest] {
    while (!stopping_.load()) {
      for (int i = 0; i < 10 && !stopping_.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (!stopping_.load()) {
        reloadChanged(ingest);
      }
    }
  });
}

void MappingSet::stop() {
  stopping_.store(true);
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

std::vector<std::pair<std::string, std::string>> MappingSet::readinessDetails() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const Entry& e : entries_) {
    out.emplace_back("mapping:" + e.endpoint.id, e.error.empty() ? "ok" : "reload failed (previous plan in force): " + e.error);
  }
  return out;
}

}  // namespace ordergate::gateway::pipeline
