#include "canonical/money.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "canonical/currency_table.hpp"

namespace ordergate::canonical {
namespace {

MinorUnits ok(std::string_view text, std::string_view currency) {
  auto r = parseMoney(text, currency);
  EXPECT_TRUE(r.has_value()) << text << " " << currency << ": " << (r ? "" : describe(r.error()));
  return r ? *r : -999999;
}

std::string bad(std::string_view text, std::string_view currency) {
  auto r = parseMoney(text, currency);
  EXPECT_FALSE(r.has_value()) << text << " " << currency << " parsed as " << (r ? *r : 0);
  if (r) {
    return {};
  }
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

TEST(CurrencyExponent, ExponentClasses) {
  for (auto code : {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
                    "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}) {
    EXPECT_EQ(currencyExponent(code), 0) << code;
  }
  for (auto code : {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}) {
    EXPECT_EQ(currencyExponent(code), 3) << code;
  }
  for (auto code : {"CLF", "UYW"}) {
    EXPECT_EQ(currencyExponent(code), 4) << code;
  }
  for (auto code : {"USD", "EUR", "GBP", "IDR", "HUF", "TWD", "SGD", "MYR", "PHP", "THB",
                    "CNY", "AUD", "CAD", "CHF", "INR", "BRL", "MXN", "ZAR", "AED", "SAR"}) {
    EXPECT_EQ(currencyExponent(code), 2) << code;
  }
}

TEST(CurrencyExponent, UnknownAndCaseSensitive) {
  EXPECT_EQ(currencyExponent("XXY"), std::nullopt);
  EXPECT_EQ(currencyExponent("usd"), std::nullopt);
  EXPECT_EQ(currencyExponent(""), std::nullopt);
  EXPECT_EQ(currencyExponent("USDX"), std::nullopt);
  EXPECT_EQ(currencyExponent("XAU"), std::nullopt);  // no minor unit
}

TEST(CurrencyExponent, TableIsSortedUniqueAndComplete) {
  const auto table = currencyTable();
  EXPECT_GE(table.size(), 165u);  // list one minus the N.A. funds and metals
  for (std::size_t i = 1; i < table.size(); ++i) {
    EXPECT_LT(table[i - 1].code, table[i].code);
  }
  for (const auto& c : table) {
    EXPECT_EQ(c.code.size(), 3u);
    EXPECT_EQ(currencyExponent(c.code), c.exponent);
  }
}

TEST(CurrencyExponent, DirectIndexAgreesWithTheTableForEveryThreeLetterCode) {
  std::string code = "AAA";
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      for (char c = 'A'; c <= 'Z'; ++c) {
        code = {a, b, c};
        std::optional<int> expected;
        for (const CurrencyInfo& info : currencyTable()) {
          if (info.code == code) {
            expected = info.exponent;
          }
        }
        ASSERT_EQ(currencyExponent(code), expected) << code;
      }
    }
  }
  for (std::string_view odd : {"", "US", "USDD", "usd", "Usd", "U$D", "EU1"}) {
    EXPECT_FALSE(currencyExponent(odd).has_value()) << odd;
  }
}

TEST(ParseMoney, TwoDecimals) {
  EXPECT_EQ(ok("19.99", "USD"), 1999);
  EXPECT_EQ(ok("0.7", "USD"), 70);
  EXPECT_EQ(ok("0.07", "USD"), 7);
  EXPECT_EQ(ok("-5.00", "USD"), -500);
  EXPECT_EQ(ok("100", "EUR"), 10000);
  EXPECT_EQ(ok("19.990000", "USD"), 1999);
  EXPECT_EQ(ok("150000.00", "IDR"), 15000000);
  EXPECT_EQ(ok("0", "USD"), 0);
  EXPECT_EQ(ok("-0.00", "USD"), 0);
  EXPECT_EQ(ok("007.50", "USD"), 750);
}

TEST(ParseMoney, PlusSignIsAccepted) { EXPECT_EQ(ok("+5", "USD"), 500); }

TEST(ParseMoney, ZeroDecimals) {
  EXPECT_EQ(ok("1500", "JPY"), 1500);
  EXPECT_EQ(ok("1500.00", "JPY"), 1500);
  EXPECT_EQ(ok("-3", "KRW"), -3);
  bad("1500.5", "JPY");
}

TEST(ParseMoney, ThreeDecimals) {
  EXPECT_EQ(ok("1.250", "KWD"), 1250);
  EXPECT_EQ(ok("1.25", "KWD"), 1250);
  EXPECT_EQ(ok("2", "BHD"), 2000);
  bad("1.2505", "KWD");
}

TEST(ParseMoney, FourDecimals) {
  EXPECT_EQ(ok("1.2345", "CLF"), 12345);
  EXPECT_EQ(ok("3", "UYW"), 30000);
  bad("1.23456", "CLF");
}

TEST(ParseMoney, RejectsMalformedText) {
  EXPECT_NE(bad("1,234.50", "USD").find("\"1,234.50\""), std::string::npos);
  bad("", "USD");
  bad("-", "USD");
  bad(".5", "USD");
  bad("5.", "USD");
  bad(" 5", "USD");
  bad("5 ", "USD");
  bad("1e3", "USD");
  bad("5.0.0", "USD");
  bad("--5", "USD");
  bad("USD 5", "USD");
  bad("$5", "USD");
  bad("0x10", "USD");
  bad("1\xd9\xab"
      "5",
      "USD");
}

TEST(ParseMoney, RejectsDigitsBeyondExponentAndNamesValueAndCurrency) {
  const std::string message = bad("19.995", "USD");
  EXPECT_NE(message.find("19.995"), std::string::npos) << message;
  EXPECT_NE(message.find("USD"), std::string::npos) << message;
}

TEST(ParseMoney, RejectsUnknownCurrency) {
  const std::string message = bad("5.00", "XXY");
  EXPECT_NE(message.find("XXY"), std::string::npos) << message;
  EXPECT_NE(message.find("5.00"), std::string::npos) << message;
  bad("5.00", "usd");
  bad("5.00", "");
}

TEST(ParseMoney, Overflow) {
  EXPECT_EQ(ok("9223372036854775807", "JPY"), std::numeric_limits<MinorUnits>::max());
  EXPECT_EQ(ok("-9223372036854775807", "JPY"), -std::numeric_limits<MinorUnits>::max());
  bad("9223372036854775808", "JPY");
  bad("92233720368547758.08", "USD");
  EXPECT_EQ(ok("92233720368547758.07", "USD"), std::numeric_limits<MinorUnits>::max());
  bad("99999999999999999999999999", "USD");
}

TEST(FormatMoney, UsesCurrencyExponent) {
  EXPECT_EQ(formatMoney(1999, "USD"), "19.99");
  EXPECT_EQ(formatMoney(7, "USD"), "0.07");
  EXPECT_EQ(formatMoney(-500, "USD"), "-5.00");
  EXPECT_EQ(formatMoney(0, "USD"), "0.00");
  EXPECT_EQ(formatMoney(1500, "JPY"), "1500");
  EXPECT_EQ(formatMoney(1250, "KWD"), "1.250");
  EXPECT_EQ(formatMoney(-1, "KWD"), "-0.001");
  EXPECT_EQ(formatMoney(12345, "CLF"), "1.2345");
  EXPECT_EQ(formatMoney(1999, "XXY"), "19.99");
  EXPECT_EQ(formatMoney(std::numeric_limits<MinorUnits>::min(), "USD"), "-92233720368547758.08");
}

TEST(FormatMoney, RoundTripsThroughParse) {
  for (auto code : {"USD", "JPY", "KWD", "CLF"}) {
    for (MinorUnits v : {0LL, 1LL, -1LL, 99LL, 100LL, 123456789LL, -987654321LL}) {
      EXPECT_EQ(ok(formatMoney(v, code), code), v) << code << " " << v;
    }
  }
}

}  // namespace
}  // namespace ordergate::canonical
