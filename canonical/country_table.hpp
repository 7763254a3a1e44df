#pragma once

#include <span>
#include <string_view>

namespace ordergate::canonical {

/// One officially assigned ISO 3166-1 country: alpha-2, alpha-3 and the ISO English short name.
struct CountryInfo {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name;
};

/// Another name channels use for a country ("UK", "Vietnam", "Holland").
struct CountryAlias {
  std::string_view name;
  std::string_view alpha2;
};

/// All 249 officially assigned codes, sorted by alpha-2. Static storage.
[[nodiscard]] std::span<const CountryInfo> countryTable();

/// Common names beyond the ISO short names. Static storage.
[[nodiscard]] std::span<const CountryAlias> countryAliases();

}  // namespace ordergate::canonical
