// Source readers: CSV/TSV quoting and rows, encodings, XML paths, JSON path compile errors.
#include "adapters/mapping/source.hpp"

#include "tests/unit/mapping/mapping_test_util.hpp"

namespace ordergate::adapters::mapping::test {
namespace {

struct Cells {
  std::vector<std::string> values;
  std::vector<std::uint32_t> lines;
  std::string error;
};

Cells readColumn(std::string_view text, const std::string& column, char sep = ',',
                 bool quoting = true) {
  Cells c;
  ColumnList columns;
  auto path = compilePath(SourceFormat::kCsv, column, columns);
  auto doc = parseDelimited(text, sep, quoting, columns);
  if (!doc) {
    c.error = doc.error().message;
    return c;
  }
  std::vector<Node> rows;
  (*doc)->allRows(rows);
  Arena arena;
  for (const Node& row : rows) {
    Node cell;
    std::string_view v;
    if ((*doc)->selectFirst(*path, row, cell) &&
        (*doc)->text(cell, arena, v) == TextStatus::kValue) {
      c.values.emplace_back(v);
    } else {
      c.values.emplace_back("<absent>");
    }
    c.lines.push_back((*doc)->lineOf(row));
  }
  return c;
}

TEST(MappingSource, CsvQuotingRfc4180) {
  const Cells c = readColumn(
      "a,b,c\r\n1,\"x, y\",3\r\n2,\"say \"\"hi\"\"\",\r\n\r\n3,\"multi\nline\",z\n4,,\n", "b");
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.values, (std::vector<std::string>{"x, y", "say \"hi\"", "multi\nline", "<absent>"}));
  EXPECT_EQ(c.lines, (std::vector<std::uint32_t>{2, 3, 5, 7}));
}

TEST(MappingSource, CsvErrorsNameTheLine) {
  EXPECT_EQ(readColumn("a,b\n1,\"open\n", "a").error, "line 2: quoted field is never closed");
  EXPECT_EQ(readColumn("a,b\n1,\"x\"y\n", "a").error,
            "line 2: unexpected \"y\" after a closing quote (RFC 4180)");
  EXPECT_EQ(readColumn("a,b\n1,2,3\n", "a").error, "line 2: 3 fields, but the header has 2");
  EXPECT_EQ(readColumn("a,b\n1,2,,\n", "a").values, std::vector<std::string>{"1"});  // empty extras
  EXPECT_EQ(readColumn("", "a").error, "empty file: no header row");
}

TEST(MappingSource, TsvTakesQuotesLiterally) {
  const Cells c = readColumn("sku\tname\nA1\t\"quoted\"\tx\n", "name", '\t', false);
  EXPECT_EQ(c.error, "line 2: 3 fields, but the header has 2");
  const Cells ok = readColumn("sku\tname\nA1\t\"q, r\"\n", "name", '\t', false);
  EXPECT_EQ(ok.values, std::vector<std::string>{"\"q, r\""});
}

TEST(MappingSource, MissingColumnIsAbsent) {
  EXPECT_EQ(readColumn("a,b\n1,2\n", "zz").values, std::vector<std::string>{"<absent>"});
}

TEST(MappingSource, Encodings) {
  std::string buffer;
  auto bom = toUtf8("\xEF\xBB\xBFname", Encoding::kUtf8, "", buffer);
  ASSERT_TRUE(bom);
  EXPECT_EQ(*bom, "name");
  auto bad = toUtf8("M\xFCller", Encoding::kUtf8, "", buffer);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not valid UTF-8 at byte 1"), std::string::npos);
  auto cp = toUtf8("M\xFCller \x80 \x93q\x94", Encoding::kWindows1252, "", buffer);
  ASSERT_TRUE(cp);
  EXPECT_EQ(*cp, "Müller € “q”");
  auto latin = toUtf8("M\xFCller \x80", Encoding::kLatin1, "", buffer);
  ASSERT_TRUE(latin);
  EXPECT_EQ(*latin, "Müller \xC2\x80");
  auto sjis = parseEncoding("SHIFT_JIS");
  ASSERT_TRUE(sjis);
  auto jp = toUtf8("\x93\xfa\x96\x7b", *sjis, "SHIFT_JIS", buffer);  // 日本
  ASSERT_TRUE(jp) << jp.error().message;
  EXPECT_EQ(*jp, "日本");
  EXPECT_FALSE(parseEncoding("klingon-8"));
}

TEST(MappingSource, Windows1252CsvEndToEnd) {
  const std::string yaml =
      "name: t\nsource: {format: csv, encoding: windows-1252}\n"
      "order:\n  group_by: order\n  channel: {order_id: order}\n  currency: {literal: EUR}\n"
      "  updated_at: {literal: \"2026-03-01T00:00:00Z\"}\n"
      "  customer: {name: buyer}\n"
      "  lines: {line_id: sku, quantity: qty, unit_price: price}\n";
  const RunResult r = run(yaml,
                          "order,buyer,sku,qty,price\r\n7,J\xFCrgen,A,1,\x31\x30.00\r\n9,X,C,1,1."
                          "00\r\n7,,B,2,5.00\r\n");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(dataAt(r, "/customer/name"), "Jürgen");
  EXPECT_EQ(dataAt(r, "/lines/1/sku"), "");
  EXPECT_EQ(dataAt(r, "/lines/1/line_id"), "B");
  EXPECT_EQ(dataAt(r, "/lines/1/unit_price"), "500");
  EXPECT_EQ(dataAt(r, "/source/line"), "2,4");
}

TEST(MappingSource, XmlPathsAndAttributes) {
  const std::string yaml =
      "name: t\nsource: {format: xml}\n"
      "order:\n  each: /Orders/Order\n  channel: {order_id: \"@id\", order_number: Number}\n"
      "  currency: \"^/@currency\"\n  updated_at: /Orders/@at\n"
      "  lines: {each: Line, line_id: \"@n\", sku: Sku, quantity: \"@qty\"}\n";
  const RunResult r = run(yaml,
                          "<Orders at=\"2026-03-01T00:00:00Z\"><Order id=\"A1\" currency=\"GBP\">"
                          "<Number>1001</Number><Line n=\"1\" qty=\"2\"><Sku>S-1</Sku></Line>"
                          "<Line n=\"2\" qty=\"x\"><Sku>S-2</Sku></Line></Order></Orders>");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(
      r.err.find("order.lines.quantity (source /Orders/Order/Line[2]/@qty): not an integer: \"x\""),
      std::string::npos)
      << r.err;
}

TEST(MappingSource, JsonPathCompileErrors) {
  ColumnList columns;
  EXPECT_FALSE(compilePath(SourceFormat::kJson, "a..b", columns));
  EXPECT_FALSE(compilePath(SourceFormat::kJson, "a[x]", columns));
  EXPECT_FALSE(compilePath(SourceFormat::kJson, "a[\"b]", columns));
  auto p = compilePath(SourceFormat::kJson, "$.a[*][\"b.c\"][-2]", columns);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->origin, Path::Origin::kRoot);
  ASSERT_EQ(p->steps.size(), 4u);
  EXPECT_EQ(p->steps[2].key, "b.c");
  EXPECT_EQ(p->steps[3].index, -2);
  EXPECT_TRUE(p->multi);
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test

namespace ordergate::adapters::mapping::test {
namespace {

// The same default text in two orders of one file must be read with each order's currency.
TEST(MappingSource, MoneyPerOrderCurrencyInOneFile) {
  const std::string yaml =
      "name: t\nsource: {format: csv}\n"
      "order:\n  group_by: order\n  channel: {order_id: order}\n  currency: cur\n"
      "  updated_at: {literal: \"2026-03-01T00:00:00Z\"}\n"
      "  totals: {shipping: {path: ship, default: \"1.000\"}}\n"
      "  lines: {line_id: sku, quantity: qty}\n";
  const RunResult r = run(yaml, "order,cur,sku,qty,ship\n1,USD,A,1,\n2,KWD,B,1,\n");
  ASSERT_EQ(r.rc, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(r.out).get(root), simdjson::SUCCESS);
  int64_t usd = 0;
  int64_t kwd = 0;
  ASSERT_EQ(root.at_pointer("/0/data/totals/shipping").get(usd), simdjson::SUCCESS);
  ASSERT_EQ(root.at_pointer("/1/data/totals/shipping").get(kwd), simdjson::SUCCESS);
  EXPECT_EQ(usd, 100);
  EXPECT_EQ(kwd, 1000);
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
