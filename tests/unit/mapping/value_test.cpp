// Value functions, one construct at a time, through the public runMappingTest path.
#include "tests/unit/mapping/mapping_test_util.hpp"

namespace ordergate::adapters::mapping::test {
namespace {

TEST(MappingValue, PathsRelativeAbsoluteQuotedIndexed) {
  EXPECT_EQ(textOf("a.b", R"("a": {"b": "x"})"), "x");
  EXPECT_EQ(textOf("\"$.a.b\"", R"("a": {"b": "x"})"), "x");
  EXPECT_EQ(textOf("'a.\"k.with.dots\"'", R"("a": {"k.with.dots": "y"})"), "y");
  EXPECT_EQ(textOf("'a[\"k y\"]'", R"("a": {"k y": "z"})"), "z");
  EXPECT_EQ(textOf("'a[1]'", R"("a": ["p", "q"])"), "q");
  EXPECT_EQ(textOf("'a[-1]'", R"("a": ["p", "q", "r"])"), "r");
  EXPECT_EQ(textOf("'a[*].n'", R"("a": [{"m": 1}, {"n": "second"}])"), "second");
  EXPECT_EQ(textOf("missing", R"("a": 1)"), "");
}

TEST(MappingValue, NumbersAndBooleansAreWrittenExactly) {
  EXPECT_EQ(textOf("n", R"("n": 12345678901234)"), "12345678901234");
  EXPECT_EQ(textOf("n", R"("n": 18446744073709551615)"), "18446744073709551615");
  EXPECT_EQ(textOf("n", R"("n": 19.99)"), "19.99");
  EXPECT_EQ(textOf("n", R"("n": 5.4)"), "5.4");
  EXPECT_EQ(textOf("b", R"("b": true)"), "true");
  EXPECT_EQ(textOf("z", R"("z": null)"), "");
  EXPECT_EQ(textOf("e", R"("e": "")"), "");
}

TEST(MappingValue, LiteralHeaderDefault) {
  EXPECT_EQ(textOf("{literal: fixed}", ""), "fixed");
  EXPECT_EQ(textOf("{header: X-Shop}", "", {{"x-shop", " shop-1 "}}), "shop-1");
  EXPECT_EQ(textOf("{path: nope, default: dflt}", ""), "dflt");
  EXPECT_EQ(textOf("{path: e, default: dflt}", R"("e": "")"), "dflt");
}

TEST(MappingValue, RequiredNamesRuleAndSource) {
  const RunResult r = run(channelYaml("", "", ", order_number: {path: a.num, required: true}"),
                          R"({"id": 1, "lines": [{}], "a": {}})");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err,
            "mappings/t/mapping.yaml:5 order.channel.order_number (source $.a.num): required\n");
}

TEST(MappingValue, ConcatTrimCaseSplitJoinReplacePad) {
  EXPECT_EQ(textOf("{concat: [f, l], separator: \" \"}", R"("f": "Ada", "l": "Lovelace")"),
            "Ada Lovelace");
  EXPECT_EQ(textOf("{concat: [f, l], separator: \" \"}", R"("f": "Ada")"), "Ada");
  EXPECT_EQ(textOf("{concat: [f, {literal: \"-\"}]}", R"("x": 1)"), "");  // literals alone: absent
  EXPECT_EQ(textOf("{path: s, trim: true}", R"("s": "  a b  ")"), "a b");
  EXPECT_EQ(textOf("{path: s, case: upper}", R"("s": "gb")"), "GB");
  EXPECT_EQ(textOf("{path: s, case: lower}", R"("s": "MiXed")"), "mixed");
  EXPECT_EQ(textOf("{split: s, separator: \",\", index: 1}", R"("s": "a, b, c")"), "b");
  EXPECT_EQ(textOf("{split: s, separator: \",\", index: -1}", R"("s": "a,b,c")"), "c");
  EXPECT_EQ(textOf("{join: \"t[*]\", separator: \"|\"}", R"("t": ["x", "y", "z"])"), "x|y|z");
  EXPECT_EQ(textOf("{join: {split: s, separator: \";\"}, separator: \"+\"}", R"("s": "1;2")"),
            "1+2");
  EXPECT_EQ(textOf("{path: z, replace: {\"'\": \"\", \" \": \"\"}}", R"("z": "'021 34")"), "02134");
  EXPECT_EQ(textOf("{path: t, pad: 6}", R"("t": "74700")"), "074700");
}

TEST(MappingValue, MapWithFallbackAndIgnoreCase) {
  const std::string m = "{path: s, map: {paid: P, open: O}, fallback: other}";
  EXPECT_EQ(textOf(m, R"("s": "paid")"), "P");
  EXPECT_EQ(textOf(m, R"("s": "weird")"), "other");
  EXPECT_EQ(textOf("{path: s, map: {paid: P}, map_ignore_case: true}", R"("s": "PAID")"), "P");
  const RunResult r = run(channelYaml("", "", ", order_number: {path: s, map: {paid: P}}"),
                          R"({"id": 1, "lines": [{}], "s": "weird"})");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("order.channel.order_number (source $.s): unmapped value \"weird\""),
            std::string::npos)
      << r.err;
}

TEST(MappingValue, WhenAndFirstOf) {
  const std::string e =
      "{first_of: [{literal: A, when: {path: k, equals: a}}, "
      "{literal: B, when: {path: k, in: [b, bb]}}, "
      "{literal: P, when: {path: k, prefix: \"p-\"}}, "
      "{literal: C, when: {path: k, contains: MID, ignore_case: true}}, "
      "{literal: E, when: {path: q, exists: true}}, "
      "{literal: N, when: {not: {path: k, exists: true}}}], default: Z}";
  EXPECT_EQ(textOf(e, R"("k": "a")"), "A");
  EXPECT_EQ(textOf(e, R"("k": "bb")"), "B");
  EXPECT_EQ(textOf(e, R"("k": "p-1")"), "P");
  EXPECT_EQ(textOf(e, R"("k": "xxmidxx")"), "C");
  EXPECT_EQ(textOf(e, R"("k": "other", "q": 1)"), "E");
  EXPECT_EQ(textOf(e, ""), "N");
  EXPECT_EQ(textOf(e, R"("k": "other")"), "Z");
  EXPECT_EQ(textOf("{literal: Y, when: {all: [{path: a, equals: \"1\"}, {any: [{path: b, "
                   "equals: \"2\"}, {path: c, equals: \"3\"}]}]}}",
                   R"("a": 1, "c": 3)"),
            "Y");
}

TEST(MappingValue, SettingAndPosition) {
  auto tree = gateway::config::parseYamlTree(
      channelYaml("", "", ", store: {setting: store_id}, order_number: {position: true}"), kFile);
  ASSERT_TRUE(tree);
  auto plan = compileMapping(*tree, kFile);
  ASSERT_TRUE(plan) << describe(plan.error());
  EXPECT_EQ(mappingSettingKeys(**plan), std::vector<std::string>{"store_id"});
}

std::string moneyOf(const std::string& expr, const std::string& fields,
                    const std::string& currency = "USD") {
  const RunResult r = run(channelYaml("  totals: {total: " + expr + "}\n"),
                          "{\"id\": 1, \"currency\": \"" + currency + "\", \"lines\": [{}]" +
                              (fields.empty() ? "" : ", " + fields) + "}");
  if (r.rc != 0) {
    return r.err;
  }
  return dataAt(r, "/totals/total");
}

TEST(MappingValue, MoneyIsExactInMinorUnits) {
  EXPECT_EQ(moneyOf("t", R"("t": "19.99")"), "1999");
  EXPECT_EQ(moneyOf("t", R"("t": "1500")", "JPY"), "1500");
  EXPECT_EQ(moneyOf("t", R"("t": "1.250")", "KWD"), "1250");
  EXPECT_EQ(moneyOf("t", R"("t": "1500.00")", "JPY"), "1500");
  EXPECT_EQ(moneyOf("t", R"("t": 12.5)"), "1250");
  EXPECT_EQ(moneyOf("t", R"("t": "12,50")"),
            "mappings/t/mapping.yaml:9 order.totals.total (source $.t): invalid amount \"12,50\" "
            "USD: unexpected character ','\n");
  EXPECT_NE(moneyOf("t", R"("t": "19.995")").find("19.995"), std::string::npos);
}

TEST(MappingValue, MoneyArithmetic) {
  const std::string lines = R"("l": [{"p": "2.50", "q": 3}, {"p": "1.00", "q": 2}])";
  EXPECT_EQ(moneyOf("{sum: \"l[*].p\"}", lines), "350");
  EXPECT_EQ(moneyOf("{each: \"l[*]\", sum: {multiply: [p, q]}}", lines), "950");
  EXPECT_EQ(moneyOf("{subtract: [a, b]}", R"("a": "10.00", "b": "2.55")"), "745");
  EXPECT_EQ(moneyOf("{subtract: [a, b]}", R"("a": "10.00")"), "1000");  // absent term = 0
  EXPECT_EQ(moneyOf("{add: [a, b, c]}", R"("a": "1.00", "b": "2.00", "c": "0.01")"), "301");
  EXPECT_EQ(moneyOf("{negate: a}", R"("a": "1.00")"), "-100");
  EXPECT_EQ(moneyOf("{divide: [a, n]}", R"("a": "10.00", "n": 4)"), "250");
  EXPECT_EQ(moneyOf("{divide: [a, n], inexact: absent}", R"("a": "10.00", "n": 3)"), "");
  EXPECT_NE(moneyOf("{divide: [a, n]}", R"("a": "10.00", "n": 3)").find("do not divide exactly"),
            std::string::npos);
  EXPECT_NE(moneyOf("{multiply: [a, n]}", R"("a": "1.00", "n": "x")").find("not an integer"),
            std::string::npos);
}

std::string timeOf(const std::string& expr, const std::string& fields) {
  const RunResult r =
      run(channelYaml("  placed_at: " + expr + "\n"),
          "{\"id\": 1, \"lines\": [{}]" + (fields.empty() ? "" : ", " + fields) + "}");
  return r.rc != 0 ? r.err : dataAt(r, "/placed_at");
}

TEST(MappingValue, TimeFormatsZonesOffsetsEpochs) {
  EXPECT_EQ(timeOf("t", R"("t": "2026-03-01T08:15:00+01:00")"), "2026-03-01T07:15:00Z");
  EXPECT_EQ(timeOf("t", R"("t": "2026-03-01 08:15:00")"), "2026-03-01T08:15:00Z");  // plan zone UTC
  EXPECT_EQ(timeOf("{path: t, zone: Asia/Singapore}", R"("t": "2026-03-01 08:15:00")"),
            "2026-03-01T00:15:00Z");
  EXPECT_EQ(timeOf("{path: t, zone: America/New_York}", R"("t": "2026-03-08T03:30:00")"),
            "2026-03-08T07:30:00Z");  // after the spring-forward gap: EDT
  EXPECT_EQ(timeOf("{path: t, offset: \"+08:00\"}", R"("t": "2026-03-01T08:15:00")"),
            "2026-03-01T00:15:00Z");
  EXPECT_EQ(timeOf("{path: t, offset: \"+08:00\"}", R"("t": "2026-03-01T08:15:00Z")"),
            "2026-03-01T08:15:00Z");  // an explicit offset wins
  EXPECT_EQ(timeOf("{path: t, format: \"%B %d, %Y %I:%M %p\", zone: America/Chicago}",
                   R"("t": "January 6, 2026 10:45 pm")"),
            "2026-01-07T04:45:00Z");
  EXPECT_EQ(timeOf("{path: t, format: \"%d/%m/%Y %H:%M%z\"}", R"("t": "01/03/2026 08:15-0500")"),
            "2026-03-01T13:15:00Z");
  EXPECT_EQ(timeOf("{path: t, format: \"%Y%m%d%H%M%S\", zone: {path: z}}",
                   R"("t": "20260301081500", "z": "Europe/Paris")"),
            "2026-03-01T07:15:00Z");
  EXPECT_EQ(timeOf("{path: t, epoch: seconds}", R"("t": 1767225600)"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(timeOf("{path: t, epoch: millis}", R"("t": 1767225600123)"),
            "2026-01-01T00:00:00.123Z");
  EXPECT_NE(timeOf("{path: t, format: \"%Y-%m-%d\"}", R"("t": "2026-02-30")").find("no such date"),
            std::string::npos);
}

TEST(MappingValue, CountriesIntegersBooleans) {
  const RunResult r = run(channelYaml("  ship_to: {country_code: c}\n  taxes_included: b\n"),
                          R"({"id": 1, "lines": [{}], "c": "United Kingdom", "b": "yes"})");
  EXPECT_EQ(dataAt(r, "/ship_to/country_code"), "GB");
  EXPECT_EQ(dataAt(r, "/taxes_included"), "true");
  const RunResult bad = run(channelYaml("  ship_to: {country_code: c}\n  taxes_included: b\n"),
                            R"({"id": 1, "lines": [{}], "c": "Atlantis", "b": "maybe"})");
  EXPECT_NE(bad.err.find("order.ship_to.country_code (source $.c): unknown country \"Atlantis\""),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("not a boolean"), std::string::npos);
}

TEST(MappingValue, EnumsAreCheckedAtRunTimeWithoutMap) {
  const RunResult r =
      run(channelYaml("  status: s\n"), R"({"id": 1, "lines": [{}], "s": "processing"})");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("\"processing\" is not a canonical order status"), std::string::npos);
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
