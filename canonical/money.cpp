#include "canonical/money.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <charconv>
#include <limits>

#include "canonical/currency_table.hpp"

namespace ordergate::canonical {
namespace {

constexpr std::uint64_t kMaxMagnitude =
    static_cast<std::uint64_t>(std::numeric_limits<MinorUnits>::max());

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q.append("\"").append(text).append("\"");
  return q;
}

tl::unexpected<Error> moneyError(std::string_view text, std::string_view currency,
                                 std::string_view why) {
  std::string message = "invalid amount ";
  message.append(quoted(text)).append(" ").append(currency).append(": ").append(why);
  return fail(ErrorCode::kInvalidInput, std::move(message));
}

// magnitude = magnitude * 10 + digit, false on overflow past int64 max.
bool pushDigit(std::uint64_t& magnitude, int digit) {
  if (magnitude > (kMaxMagnitude - static_cast<std::uint64_t>(digit)) / 10) {
    return false;
  }
  magnitude = magnitude * 10 + static_cast<std::uint64_t>(digit);
  return true;
}

}  // namespace

namespace {

constexpr std::size_t kLetters3 = 26 * 26 * 26;

bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::size_t letterIndex(std::string_view code) {
  std::size_t index = 0;
  for (char c : code) {
    index = index * 26 + static_cast<std::size_t>(c - 'A');
  }
  return index;
}

// currencyExponent runs several times per order (adapters, validate): a direct index for the
// shape every ISO 4217 code has ([A-Z]{3}) replaces the binary search of string compares.
struct ExponentIndex {
  std::array<std::int8_t, kLetters3> exponent{};
  ExponentIndex() {
    exponent.fill(-1);
    for (const CurrencyInfo& info : currencyTable()) {
      if (info.code.size() == 3 && std::all_of(info.code.begin(), info.code.end(), isUpper)) {
        exponent[letterIndex(info.code)] = static_cast<std::int8_t>(info.exponent);
      }
    }
  }
};

}  // namespace

std::optional<int> currencyExponent(std::string_view code) {
  if (code.size() == 3 && isUpper(code[0]) && isUpper(code[1]) && isUpper(code[2])) {
    static const ExponentIndex kIndex;
    const int exponent = kIndex.exponent[letterIndex(code)];
    return exponent < 0 ? std::nullopt : std::optional<int>(exponent);
  }
  const auto table = currencyTable();
  const auto it =
      std::lower_bound(table.begin(), table.end(), code,
                       [](const CurrencyInfo& info, std::string_view c) { return info.code < c; });
  if (it == table.end() || it->code != code) {
    return std::nullopt;
  }
  return it->exponent;
}

// Grammar: [+-]? digits ( "." digits )?  — both sides of the point need a digit, so ".5" and
// "5." are rejected: a channel that sends them is sending something we do not understand.
// A leading "+" is accepted because some spreadsheets export positive amounts that way.
Result<MinorUnits> parseMoney(std::string_view text, std::string_view currency) {
  const auto exponent = currencyExponent(currency);
  if (!exponent) {
    std::string message = "unknown ISO 4217 currency ";
    message.append(quoted(currency)).append(" for amount ").append(quoted(text));
    return fail(ErrorCode::kInvalidInput, std::move(message));
  }
  return parseMinorUnits(text, *exponent, currency);
}

Result<MinorUnits> parseMinorUnits(std::string_view text, int exponent, std::string_view currency) {
  if (text.empty()) {
    return moneyError(text, currency, "empty");
  }
  std::size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  const std::size_t int_begin = pos;
  while (pos < text.size() && isDigit(text[pos])) {
    ++pos;
  }
  const std::string_view int_part = text.substr(int_begin, pos - int_begin);
  std::string_view frac_part;
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t frac_begin = ++pos;
    while (pos < text.size() && isDigit(text[pos])) {
      ++pos;
    }
    frac_part = text.substr(frac_begin, pos - frac_begin);
    if (frac_part.empty()) {
      return moneyError(text, currency, "no digit after the decimal point");
    }
  }
  if (pos != text.size()) {
    return moneyError(text, currency, "unexpected character '" + std::string(1, text[pos]) + "'");
  }
  if (int_part.empty()) {
    return moneyError(text, currency, "no digit before the decimal point");
  }

  std::uint64_t magnitude = 0;
  for (char c : int_part) {
    if (!pushDigit(magnitude, c - '0')) {
      return moneyError(text, currency, "out of range");
    }
  }
  for (int i = 0; i < exponent; ++i) {
    const int digit = static_cast<std::size_t>(i) < frac_part.size() ? frac_part[i] - '0' : 0;
    if (!pushDigit(magnitude, digit)) {
      return moneyError(text, currency, "out of range");
    }
  }
  for (std::size_t i = static_cast<std::size_t>(exponent); i < frac_part.size(); ++i) {
    if (frac_part[i] != '0') {
      return moneyError(text, currency,
                        "more decimals than the currency's " + std::to_string(exponent));
    }
  }
  const auto value = static_cast<MinorUnits>(magnitude);
  return negative ? -value : value;
}

std::string formatMoney(MinorUnits amount, std::string_view currency) {
  const int exponent = currencyExponent(currency).value_or(2);
  // Unsigned magnitude so that int64 min formats without overflow.
  const std::uint64_t magnitude =
      amount < 0 ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), magnitude);
  std::string_view all(digits, static_cast<std::size_t>(end - digits));
  std::string out;
  out.reserve(all.size() + 6);
  if (amount < 0) {
    out.push_back('-');
  }
  const auto exp = static_cast<std::size_t>(exponent);
  if (exp == 0) {
    out.append(all);
    return out;
  }
  if (all.size() <= exp) {
    out.append("0.");
    out.append(exp - all.size(), '0');
    out.append(all);
    return out;
  }
  out.append(all.substr(0, all.size() - exp));
  out.push_back('.');
  out.append(all.substr(all.size() - exp));
  return out;
}

}  // namespace ordergate::canonical
