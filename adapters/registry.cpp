#include "adapters/adapter.hpp"

namespace ordergate::adapters {

void AdapterRegistry::add(std::string name, ChannelAdapterFactory factory) {
  factories_[std::move(name)] = std::move(factory);
}

bool AdapterRegistry::contains(std::string_view name) const {
  return factories_.find(name) != factories_.end();
}

Result<ChannelAdapterPtr> AdapterRegistry::create(std::string_view name,
                                                  const AdapterContext& ctx) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    if (file_factories_.find(name) != file_factories_.end()) {
      return ChannelAdapterPtr{};  // a file-only adapter: no webhooks
    }
    std::string known;
    for (const std::string& n : names()) {
      known += known.empty() ? n : ", " + n;
    }
    return fail(ErrorCode::kConfig,
                "unknown adapter \"" + std::string(name) + "\" (known: " + known + ")",
                ctx.settings.keyPath("adapter"));
  }
  return it->second(ctx);
}

void AdapterRegistry::addFile(std::string name, FileAdapterFactory factory) {
  file_factories_[std::move(name)] = std::move(factory);
}

bool AdapterRegistry::containsFile(std::string_view name) const {
  return file_factories_.find(name) != file_factories_.end();
}

Result<std::shared_ptr<const FileAdapter>> AdapterRegistry::createFile(
    std::string_view name, const AdapterContext& ctx) const {
  auto it = file_factories_.find(name);
  if (it == file_factories_.end()) {
    return fail(ErrorCode::kConfig, "adapter \"" + std::string(name) + "\" reads no files",
                ctx.settings.keyPath("adapter"));
  }
  return it->second(ctx);
}

std::vector<std::string> AdapterRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, f] : factories_) {
    out.push_back(n);
  }
  for (const auto& [n, f] : file_factories_) {
    if (factories_.find(n) == factories_.end()) {
      out.push_back(n);
    }
  }
  return out;
}

}  // namespace ordergate::adapters
