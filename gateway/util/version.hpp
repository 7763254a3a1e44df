#pragma once

#include <string_view>

namespace ordergate::gateway {

/// The release version baked in at build time ("0.1.0").
[[nodiscard]] std::string_view versionString();

}  // namespace ordergate::gateway
