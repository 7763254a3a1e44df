#include "canonical/country.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "canonical/country_table.hpp"

namespace ordergate::canonical {
namespace {

// Latin-1 supplement letters (second byte of a U+00C0–U+00FF UTF-8 sequence) to their ASCII
// base, so "Côte d'Ivoire", "Cote d'Ivoire", "Türkiye" and "Turkiye" meet on one key.
std::string_view foldLatin1(unsigned char second) {
  // Indexed by U+00C0..U+00DF; lower-case letters are 0x20 above their capitals.
  static constexpr std::string_view kBase[32] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss"};
  if (second >= 0xA0) {
    second = static_cast<unsigned char>(second - 0x20);
  }
  if (second < 0x80 || second > 0x9F) {
    return {};
  }
  return kBase[second - 0x80];
}

// Lower case, accents folded, dots dropped, blanks collapsed, curly apostrophes straightened,
// a leading "the " dropped: "  The  Netherlands " and "U.S.A." become "netherlands" and "usa".
std::string lookupKey(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  bool pending_space = false;
  auto put = [&](std::string_view s) {
    if (pending_space && !key.empty()) {
      key.push_back(' ');
    }
    pending_space = false;
    key.append(s);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool has_next = i + 1 < text.size();
    const auto next = has_next ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = true;
    } else if (c == 0xC2 && next == 0xA0) {  // no-break space
      pending_space = true;
      ++i;
    } else if (c == '.') {
      continue;
    } else if (c == '`') {
      put("'");
    } else if (c == 0xE2 && i + 2 < text.size() && next == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0x98 ||
                static_cast<unsigned char>(text[i + 2]) == 0x99)) {
      put("'");
      i += 2;
    } else if (c == 0xC3 && has_next && !foldLatin1(next).empty()) {
      put(foldLatin1(next));
      ++i;
    } else if (c >= 'A' && c <= 'Z') {
      const char lower = static_cast<char>(c - 'A' + 'a');
      put(std::string_view(&lower, 1));
    } else {
      put(std::string_view(&text[i], 1));
    }
  }
  constexpr std::string_view kThe = "the ";
  if (key.starts_with(kThe)) {
    key.erase(0, kThe.size());
  }
  return key;
}

const CountryInfo* searchAlpha2(std::string_view upper) {
  const auto table = countryTable();
  const auto it = std::lower_bound(
      table.begin(), table.end(), upper,
      [](const CountryInfo& info, std::string_view code) { return info.alpha2 < code; });
  if (it == table.end() || it->alpha2 != upper) {
    return nullptr;
  }
  return &*it;
}

// A direct index for two capital letters (every alpha-2 code): looked up twice per order.
struct Alpha2Index {
  std::array<const CountryInfo*, 26 * 26> info{};
  Alpha2Index() {
    for (char a = 'A'; a <= 'Z'; ++a) {
      for (char b = 'A'; b <= 'Z'; ++b) {
        const char code[2] = {a, b};
        info[static_cast<std::size_t>((a - 'A') * 26 + (b - 'A'))] =
            searchAlpha2(std::string_view(code, 2));
      }
    }
  }
};

const CountryInfo* findAlpha2(std::string_view upper) {
  if (upper.size() == 2 && upper[0] >= 'A' && upper[0] <= 'Z' && upper[1] >= 'A' &&
      upper[1] <= 'Z') {
    static const Alpha2Index kIndex;
    return kIndex.info[static_cast<std::size_t>((upper[0] - 'A') * 26 + (upper[1] - 'A'))];
  }
  return searchAlpha2(upper);
}

using NameIndex = std::unordered_map<std::string, std::string_view>;

NameIndex buildIndex() {
  NameIndex index;
  for (const CountryInfo& c : countryTable()) {
    index.emplace(lookupKey(c.alpha3), c.alpha2);
    index.emplace(lookupKey(c.name), c.alpha2);
  }
  for (const CountryAlias& a : countryAliases()) {
    // Point at the table's alpha-2 so every returned view has the same static storage.
    index.emplace(lookupKey(a.name), findAlpha2(a.alpha2)->alpha2);
  }
  return index;
}

const NameIndex& nameIndex() {
  static const NameIndex kIndex = buildIndex();
  return kIndex;
}

}  // namespace

bool isCountryCode(std::string_view code) { return code.size() == 2 && findAlpha2(code); }

std::optional<std::string_view> normalizeCountry(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.size() == 2) {
    char upper[2];
    for (int i = 0; i < 2; ++i) {
      const char c = text[static_cast<std::size_t>(i)];
      upper[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (const CountryInfo* info = findAlpha2(std::string_view(upper, 2))) {
      return info->alpha2;
    }
  }
  if (text.empty()) {
    return std::nullopt;
  }
  const auto& index = nameIndex();
  const auto it = index.find(lookupKey(text));
  if (it == index.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace ordergate::canonical
