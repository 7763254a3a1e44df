#include "canonical/country.hpp"

#include <gtest/gtest.h>

#include <set>

#include "canonical/country_table.hpp"

namespace ordergate::canonical {
namespace {

std::string norm(std::string_view text) {
  auto r = normalizeCountry(text);
  return r ? std::string(*r) : "<none>";
}

TEST(Country, DirectIndexAgreesWithTheTableForEveryTwoLetterCode) {
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const std::string code = {a, b};
      bool expected = false;
      for (const CountryInfo& info : countryTable()) {
        expected = expected || info.alpha2 == code;
      }
      ASSERT_EQ(isCountryCode(code), expected) << code;
      if (expected) {
        ASSERT_EQ(norm(code), code);
      }
    }
  }
  for (std::string_view odd : {"", "U", "USA", "us", "u$", "1A"}) {
    EXPECT_FALSE(isCountryCode(odd)) << odd;
  }
}

TEST(CountryTable, AllOfficiallyAssignedCodes) {
  const auto table = countryTable();
  EXPECT_EQ(table.size(), 249u);
  std::set<std::string_view> alpha2;
  std::set<std::string_view> alpha3;
  for (const auto& c : table) {
    EXPECT_EQ(c.alpha2.size(), 2u);
    EXPECT_EQ(c.alpha3.size(), 3u);
    alpha2.insert(c.alpha2);
    alpha3.insert(c.alpha3);
    EXPECT_TRUE(isCountryCode(c.alpha2));
    EXPECT_EQ(norm(c.alpha3), c.alpha2) << c.alpha3;
    EXPECT_EQ(norm(c.name), c.alpha2) << c.name;
  }
  EXPECT_EQ(alpha2.size(), 249u);
  EXPECT_EQ(alpha3.size(), 249u);
  for (const auto& a : countryAliases()) {
    EXPECT_TRUE(isCountryCode(a.alpha2)) << a.name;
    EXPECT_EQ(norm(a.name), a.alpha2) << a.name;
  }
}

TEST(IsCountryCode, UpperCaseAssignedOnly) {
  EXPECT_TRUE(isCountryCode("GB"));
  EXPECT_TRUE(isCountryCode("SS"));
  EXPECT_TRUE(isCountryCode("AX"));
  EXPECT_FALSE(isCountryCode("UK"));  // exceptionally reserved, not assigned
  EXPECT_FALSE(isCountryCode("EU"));
  EXPECT_FALSE(isCountryCode("XK"));
  EXPECT_FALSE(isCountryCode("gb"));
  EXPECT_FALSE(isCountryCode("GBR"));
  EXPECT_FALSE(isCountryCode(""));
}

TEST(NormalizeCountry, Alpha2AnyCase) {
  EXPECT_EQ(norm("GB"), "GB");
  EXPECT_EQ(norm("gb"), "GB");
  EXPECT_EQ(norm("sG"), "SG");
  EXPECT_EQ(norm(" us "), "US");
  EXPECT_EQ(norm("ZZ"), "<none>");
}

TEST(NormalizeCountry, Alpha3) {
  EXPECT_EQ(norm("GBR"), "GB");
  EXPECT_EQ(norm("usa"), "US");
  EXPECT_EQ(norm("Deu"), "DE");
  EXPECT_EQ(norm("VNM"), "VN");
  EXPECT_EQ(norm("IDN"), "ID");
  EXPECT_EQ(norm("XXX"), "<none>");
}

TEST(NormalizeCountry, CommonNames) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"United Kingdom", "GB"},
      {"Great Britain", "GB"},
      {"UK", "GB"},
      {"uk", "GB"},
      {"U.K.", "GB"},
      {"United States", "US"},
      {"USA", "US"},
      {"U.S.A.", "US"},
      {"United States of America", "US"},
      {"Viet Nam", "VN"},
      {"Vietnam", "VN"},
      {"South Korea", "KR"},
      {"Korea, Republic of", "KR"},
      {"Russia", "RU"},
      {"Russian Federation", "RU"},
      {"Czech Republic", "CZ"},
      {"Czechia", "CZ"},
      {"Taiwan", "TW"},
      {"Hong Kong", "HK"},
      {"Macau", "MO"},
      {"Macao", "MO"},
      {"Ivory Coast", "CI"},
      {"Côte d'Ivoire", "CI"},
      {"Côte d\u2019Ivoire", "CI"},
      {"Cote d'Ivoire", "CI"},
      {"CÔTE D'IVOIRE", "CI"},
      {"Türkiye", "TR"},
      {"Turkiye", "TR"},
      {"Turkey", "TR"},
      {"The Netherlands", "NL"},
      {"Netherlands", "NL"},
      {"Holland", "NL"},
      {"Indonesia", "ID"},
      {"Malaysia", "MY"},
      {"Philippines", "PH"},
      {"the Philippines", "PH"},
      {"Thailand", "TH"},
      {"Singapore", "SG"},
      {"Germany", "DE"},
      {"Deutschland", "DE"},
      {"Japan", "JP"},
      {"China", "CN"},
      {"Åland Islands", "AX"},
      {"Aland Islands", "AX"},
      {"Réunion", "RE"},
      {"Curacao", "CW"},
      {"north korea", "KP"},
      {"Congo", "CG"},
      {"Democratic Republic of the Congo", "CD"},
      {"Eswatini", "SZ"},
      {"Swaziland", "SZ"},
  };
  for (const auto& [text, code] : cases) {
    EXPECT_EQ(norm(text), code) << text;
  }
}

TEST(NormalizeCountry, CaseAndSpaceInsensitive) {
  EXPECT_EQ(norm("  united   KINGDOM  "), "GB");
  EXPECT_EQ(norm("\tnew zealand"), "NZ");
  EXPECT_EQ(norm("SAINT KITTS AND NEVIS"), "KN");
}

TEST(NormalizeCountry, Unknown) {
  EXPECT_EQ(norm(""), "<none>");
  EXPECT_EQ(norm("   "), "<none>");
  EXPECT_EQ(norm("Atlantis"), "<none>");
  EXPECT_EQ(norm("United"), "<none>");
  EXPECT_EQ(norm("Europe"), "<none>");
}

TEST(NormalizeCountry, ReturnsStaticStorage) {
  std::string text = "germany";
  auto r = normalizeCountry(text);
  text.assign("xxxxxxx");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "DE");
}

}  // namespace
}  // namespace ordergate::canonical
