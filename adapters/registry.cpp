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
    std::string known;
    for (const auto& [n, f] : factories_) {
      known += known.empty() ? n : ", " + n;
    }
    return fail(ErrorCode::kConfig,
                "unknown adapter \"" + std::string(name) + "\" (known: " + known + ")",
                ctx.settings.keyPath("adapter"));
  }
  return it->second(ctx);
}

std::vector<std::string> AdapterRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, f] : factories_) {
    out.push_back(n);
  }
  return out;
}

}  // namespace ordergate::adapters
