#include "adapters/adapter.hpp"
#include "adapters/amazon/amazon_file_adapter.hpp"
#include "adapters/canonical_channel/canonical_adapter.hpp"
#include "adapters/lazada/lazada_adapter.hpp"
#include "adapters/shopify/shopify_adapter.hpp"

namespace ordergate::adapters {

// Each channel folder contributes one factory here; explicit registration, no static
// self-registration (static libraries would silently drop it).
void registerBuiltinAdapters(AdapterRegistry& registry) {
  registry.add("canonical", canonical_channel::createCanonicalAdapter);
  registry.add("shopify", shopify::createShopifyAdapter);
  registry.add("lazada", lazada::createLazadaAdapter);
  registry.addFile(std::string(amazon::kFileAdapterName), amazon::createFileAdapter);
}

}  // namespace ordergate::adapters
