#include "canonical/time.hpp"

#include <gtest/gtest.h>

namespace ordergate::canonical {
namespace {

TimeZone zone(std::string_view name) {
  auto z = findTimeZone(name);
  EXPECT_TRUE(z.has_value()) << name;
  return z ? *z : utcZone();
}

std::string parsed(std::string_view text, TimeZone z) {
  auto r = parseTimestamp(text, z);
  if (!r) {
    return "error: " + describe(r.error());
  }
  return formatRfc3339(*r);
}

std::string parsed(std::string_view text) { return parsed(text, utcZone()); }

TEST(FindTimeZone, KnownAndUnknown) {
  EXPECT_NE(utcZone(), nullptr);
  EXPECT_TRUE(findTimeZone("Asia/Singapore").has_value());
  auto bad = findTimeZone("Nowhere/City");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  EXPECT_NE(bad.error().message.find("Nowhere/City"), std::string::npos);
  EXPECT_FALSE(findTimeZone("").has_value());
}

TEST(ParseTimestamp, Offsets) {
  EXPECT_EQ(parsed("2024-11-05T14:22:31-05:00"), "2024-11-05T19:22:31Z");
  EXPECT_EQ(parsed("2024-11-04T16:05:11+00:00"), "2024-11-04T16:05:11Z");
  EXPECT_EQ(parsed("2024-11-05 16:15:31 +0800"), "2024-11-05T08:15:31Z");
  EXPECT_EQ(parsed("2024-11-05 16:15:31+0800"), "2024-11-05T08:15:31Z");
  EXPECT_EQ(parsed("2024-11-05T16:15:31+08"), "2024-11-05T08:15:31Z");
  EXPECT_EQ(parsed("2024-11-05T05:15:31+05:30"), "2024-11-04T23:45:31Z");
  EXPECT_EQ(parsed("2024-12-31T23:30:00-01:00"), "2025-01-01T00:30:00Z");
  EXPECT_EQ(parsed("2024-11-05 16:15:31 GMT"), "2024-11-05T16:15:31Z");
}

TEST(ParseTimestamp, OffsetWinsOverZone) {
  EXPECT_EQ(parsed("2024-11-05T14:22:31-05:00", zone("Asia/Tokyo")), "2024-11-05T19:22:31Z");
}

TEST(ParseTimestamp, FractionsTruncatedToMilliseconds) {
  EXPECT_EQ(parsed("2024-11-05T16:15:31.123456Z"), "2024-11-05T16:15:31.123Z");
  EXPECT_EQ(parsed("2024-11-05T16:15:31.9999Z"), "2024-11-05T16:15:31.999Z");
  EXPECT_EQ(parsed("2024-11-05T16:15:31.5Z"), "2024-11-05T16:15:31.500Z");
  EXPECT_EQ(parsed("2024-11-05T16:15:31.000Z"), "2024-11-05T16:15:31Z");
}

TEST(ParseTimestamp, LowercaseSeparators) {
  EXPECT_EQ(parsed("2024-11-05t16:15:31z"), "2024-11-05T16:15:31Z");
}

TEST(ParseTimestamp, NoOffsetUsesZone) {
  EXPECT_EQ(parsed("2024-11-05T16:15:31", zone("Asia/Singapore")), "2024-11-05T08:15:31Z");
  EXPECT_EQ(parsed("2024-11-05 16:15", zone("Asia/Singapore")), "2024-11-05T08:15:00Z");
  EXPECT_EQ(parsed("2024-11-05T16:15:31"), "2024-11-05T16:15:31Z");
  EXPECT_EQ(parsed("2024-07-01T12:00:00", zone("America/New_York")), "2024-07-01T16:00:00Z");
  EXPECT_EQ(parsed("2024-01-01T12:00:00.250", zone("America/New_York")),
            "2024-01-01T17:00:00.250Z");
}

TEST(ParseTimestamp, SpringForwardGapMovesForward) {
  const TimeZone ny = zone("America/New_York");
  EXPECT_EQ(parsed("2026-03-08 01:59:59", ny), "2026-03-08T06:59:59Z");
  // 02:30 does not exist; read with the pre-gap offset it is 03:30 EDT.
  EXPECT_EQ(parsed("2026-03-08 02:30:00", ny), "2026-03-08T07:30:00Z");
  EXPECT_EQ(parsed("2026-03-08 03:00:00", ny), "2026-03-08T07:00:00Z");
  EXPECT_EQ(parsed("2026-03-08 03:30:00", ny), "2026-03-08T07:30:00Z");
  const TimeZone london = zone("Europe/London");
  EXPECT_EQ(parsed("2026-03-29 01:30:00", london), "2026-03-29T01:30:00Z");
}

TEST(ParseTimestamp, AutumnFoldTakesEarlierInstant) {
  const TimeZone ny = zone("America/New_York");
  EXPECT_EQ(parsed("2026-11-01 00:59:00", ny), "2026-11-01T04:59:00Z");
  EXPECT_EQ(parsed("2026-11-01 01:30:00", ny), "2026-11-01T05:30:00Z");  // EDT, not EST
  EXPECT_EQ(parsed("2026-11-01 02:00:00", ny), "2026-11-01T07:00:00Z");
  const TimeZone london = zone("Europe/London");
  EXPECT_EQ(parsed("2026-10-25 01:30:00", london), "2026-10-25T00:30:00Z");
}

TEST(ParseTimestamp, RejectsGarbageQuotingTheText) {
  for (std::string_view text : {"yesterday",
                                "",
                                "2024-11-05",
                                "2024-11-05T",
                                "2024/11/05 10:00:00",
                                "2024-11-05T10",
                                "2024-11-05T10:00:00+",
                                "2024-11-05T10:00:00+8",
                                "2024-11-05T10:00:00 ",
                                "2024-11-05T10:00:00Zjunk",
                                "2024-11-05T10:00:00.Z",
                                "2024-11-05 10:00:00 +0800 extra",
                                "2024-13-01T00:00:00Z",
                                "2023-02-29T00:00:00Z",
                                "2024-04-31T00:00:00Z",
                                "2024-11-05T24:00:00Z",
                                "2024-11-05T10:60:00Z",
                                "2024-11-05T10:00:60Z",
                                "2024-11-05T10:00:00+24:00",
                                "20241105T100000Z"}) {
    auto r = parseTimestamp(text, utcZone());
    if (text == "2024-11-05T10:00:00 ") {
      // Surrounding blanks are trimmed.
      EXPECT_TRUE(r.has_value());
      continue;
    }
    ASSERT_FALSE(r.has_value()) << text << " → " << formatRfc3339(*r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find("\"" + std::string(text) + "\""), std::string::npos)
        << r.error().message;
  }
  EXPECT_EQ(parsed("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00Z");
}

TEST(ParseRfc3339, StrictForm) {
  auto ok = parseRfc3339("2024-11-05T14:22:31.123Z");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(formatRfc3339(*ok), "2024-11-05T14:22:31.123Z");
  EXPECT_TRUE(parseRfc3339("2024-11-05T14:22:31-05:00").has_value());
  EXPECT_TRUE(parseRfc3339("2024-11-05T14:22:31+00:00").has_value());
  EXPECT_FALSE(parseRfc3339("2024-11-05T14:22:31").has_value());
  EXPECT_FALSE(parseRfc3339("2024-11-05T14:22Z").has_value());
  EXPECT_FALSE(parseRfc3339("2024-11-05 16:15:31 +0800").has_value());
  EXPECT_FALSE(parseRfc3339("2024-11-05T16:15:31+0800").has_value());
  EXPECT_FALSE(parseRfc3339("2024-11-05T16:15:31 GMT").has_value());
}

TEST(ParseTimestampWithOffset, RequiresOffset) {
  EXPECT_TRUE(parseTimestampWithOffset("2024-11-05 16:15:31 +0800").has_value());
  EXPECT_TRUE(parseTimestampWithOffset("2024-11-05T16:15:31Z").has_value());
  auto r = parseTimestampWithOffset("2024-11-05T16:15:31");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("2024-11-05T16:15:31"), std::string::npos);
}

TEST(FromEpoch, SecondsOrMillis) {
  EXPECT_EQ(formatRfc3339(fromEpoch(1700000000)), "2023-11-14T22:13:20Z");
  EXPECT_EQ(formatRfc3339(fromEpoch(1700000000123)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(formatRfc3339(fromEpoch(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatRfc3339(fromEpoch(100000000000)), "5138-11-16T09:46:40Z");
}

TEST(FormatRfc3339, BeforeEpochAndMillis) {
  EXPECT_EQ(formatRfc3339(fromEpoch(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(formatRfc3339(Timestamp{std::chrono::milliseconds{-1}}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatRfc3339(Timestamp{std::chrono::milliseconds{1772352900000}}),
            "2026-03-01T08:15:00Z");
  EXPECT_EQ(formatRfc3339(Timestamp{std::chrono::milliseconds{1772352900123}}),
            "2026-03-01T08:15:00.123Z");
}

TEST(FormatRfc3339, RoundTripsManyInstants) {
  for (std::int64_t ms = -5'000'000'000'000; ms < 5'000'000'000'000; ms += 77'777'777'777) {
    const Timestamp t{std::chrono::milliseconds{ms}};
    auto back = parseRfc3339(formatRfc3339(t));
    ASSERT_TRUE(back.has_value()) << formatRfc3339(t);
    EXPECT_EQ(*back, t);
  }
}

TEST(IsoDate, ParseAndFormat) {
  auto d = parseIsoDate("2026-03-14");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (CalendarDate{2026, 3, 14}));
  EXPECT_EQ(formatIsoDate(*d), "2026-03-14");
  EXPECT_EQ(formatIsoDate(CalendarDate{987, 1, 2}), "0987-01-02");
  EXPECT_TRUE(parseIsoDate("2024-02-29").has_value());
  EXPECT_FALSE(parseIsoDate("2025-02-29").has_value());
  EXPECT_FALSE(parseIsoDate("2026-3-14").has_value());
  EXPECT_FALSE(parseIsoDate("2026-03-14T00:00:00Z").has_value());
  EXPECT_FALSE(parseIsoDate("").has_value());
  auto bad = parseIsoDate("14/03/2026");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("14/03/2026"), std::string::npos);
}

}  // namespace
}  // namespace ordergate::canonical
