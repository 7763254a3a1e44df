#include "gateway/util/version.hpp"

namespace ordergate::gateway {

std::string_view versionString() { return ORDERGATE_VERSION; }

}  // namespace ordergate::gateway
