#include "adapters/adapter.hpp"

namespace ordergate::adapters {

// Each channel folder contributes one factory here; explicit registration, no static
// self-registration (static libraries would silently drop it).
void registerBuiltinAdapters(AdapterRegistry& registry) {
  (void)registry;
}

}  // namespace ordergate::adapters
