#pragma once

#include <optional>
#include <string_view>

namespace ordergate::canonical {

/// True when `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case).
[[nodiscard]] bool isCountryCode(std::string_view code);

/// Normalises a country as channels write it to ISO 3166-1 alpha-2: alpha-2 in any case, alpha-3
/// ("GBR"), common English names and spellings ("United Kingdom", "UK", "Great Britain",
/// "Viet Nam", "Vietnam", "Korea, Republic of"), case- and surrounding-space-insensitive.
/// nullopt when unknown. The returned view points into static storage.
[[nodiscard]] std::optional<std::string_view> normalizeCountry(std::string_view text);

}  // namespace ordergate::canonical
