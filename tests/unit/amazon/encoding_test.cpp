#include "adapters/amazon/encoding.hpp"

#include <gtest/gtest.h>

namespace ordergate::adapters::amazon {
namespace {

std::string convert(Encoding encoding, std::string_view in, bool sanitize = false) {
  auto t = Transcoder::create(encoding, sanitize);
  EXPECT_TRUE(t.has_value());
  std::string out;
  t->toUtf8(in, out);
  return out;
}

TEST(Encoding, NamesAsConfigsAndHeadersWriteThem) {
  EXPECT_EQ(parseEncodingName("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(parseEncodingName("utf8"), Encoding::kUtf8);
  EXPECT_EQ(parseEncodingName("Cp1252"), Encoding::kWindows1252);
  EXPECT_EQ(parseEncodingName("windows-1252"), Encoding::kWindows1252);
  EXPECT_EQ(parseEncodingName("ISO-8859-1"), Encoding::kIso88591);
  EXPECT_EQ(parseEncodingName("latin1"), Encoding::kIso88591);
  EXPECT_EQ(parseEncodingName("Shift_JIS"), Encoding::kShiftJis);
  EXPECT_EQ(parseEncodingName("cp932"), Encoding::kShiftJis);
  EXPECT_EQ(parseEncodingName("Windows-31J"), Encoding::kShiftJis);
  EXPECT_EQ(parseEncodingName("utf-16"), std::nullopt);
  EXPECT_EQ(parseEncodingName(""), std::nullopt);
}

TEST(Encoding, CharsetParameterOfContentType) {
  EXPECT_EQ(charsetOf("text/plain; charset=Cp1252"), "Cp1252");
  EXPECT_EQ(charsetOf("text/plain;charset=\"utf8\""), "utf8");
  EXPECT_EQ(charsetOf("text/plain; format=flowed; CHARSET=UTF-8 "), "UTF-8");
  EXPECT_EQ(charsetOf("text/plain"), "");
  EXPECT_EQ(charsetOf(""), "");
}

TEST(Encoding, Utf8Validation) {
  EXPECT_TRUE(isValidUtf8("plain ascii text, long enough for the word loop"));
  EXPECT_TRUE(isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6"));
  EXPECT_FALSE(isValidUtf8("caf\xE9"));             // Latin-1 é
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));            // overlong
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));        // surrogate
  EXPECT_FALSE(isValidUtf8("\x93Smart\x94 quotes"));  // Windows-1252 quotes
}

TEST(Encoding, Windows1252SmartQuotesEuroAndAccents) {
  // “Kork” – 4,99 € café
  EXPECT_EQ(convert(Encoding::kWindows1252, "\x93Kork\x94 \x96 4,99 \x80 caf\xE9"),
            "\xE2\x80\x9CKork\xE2\x80\x9D \xE2\x80\x93 4,99 \xE2\x82\xAC caf\xC3\xA9");
  EXPECT_EQ(convert(Encoding::kWindows1252, "\x84Kaffee\x93"), "\xE2\x80\x9EKaffee\xE2\x80\x9C");
  EXPECT_EQ(convert(Encoding::kWindows1252, "a\x81z"), "a\xEF\xBF\xBDz");  // undefined byte
}

TEST(Encoding, Iso88591MapsBytesToTheSameCodePoints) {
  EXPECT_EQ(convert(Encoding::kIso88591, "M\xFCnchen \x80"), "M\xC3\xBCnchen \xC2\x80");
  EXPECT_EQ(convert(Encoding::kIso88591, "\xA3\xE9"), "\xC2\xA3\xC3\xA9");
}

TEST(Encoding, ShiftJisJapaneseNames) {
  // 東京都 渋谷区 (Shift_JIS bytes) and half-width katakana ｱ (0xB1).
  const std::string sjis = "\x93\x8C\x8B\x9E\x93\x73\t\x8F\x61\x92\x4A\x8B\xE6 \xB1";
  EXPECT_EQ(convert(Encoding::kShiftJis, sjis),
            "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD\t\xE6\xB8\x8B\xE8\xB0\xB7\xE5\x8C\xBA "
            "\xEF\xBD\xB1");
  // CP932 extension: ① (0x8740) and the wave dash as Windows maps it.
  EXPECT_EQ(convert(Encoding::kShiftJis, "\x87\x40"), "\xE2\x91\xA0");
  // A truncated double-byte character becomes U+FFFD, the rest survives.
  EXPECT_EQ(convert(Encoding::kShiftJis, "ok\x93"), "ok\xEF\xBF\xBD");
}

TEST(Encoding, Utf8PassThroughOrSanitised) {
  auto t = Transcoder::create(Encoding::kUtf8);
  EXPECT_TRUE(t->passThrough());
  EXPECT_EQ(convert(Encoding::kUtf8, "caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(convert(Encoding::kUtf8, "caf\xE9!", true), "caf\xEF\xBF\xBD!");
}

}  // namespace
}  // namespace ordergate::adapters::amazon
