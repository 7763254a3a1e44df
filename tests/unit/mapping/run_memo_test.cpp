// Per-run memos of the plan executor: path values (one slot per distinct path text, keyed by the
// node the path starts from) and the currency exponent. Each test fails if a memo returns a
// value of another node, another run or another currency.
#include "tests/unit/mapping/mapping_test_util.hpp"

namespace ordergate::adapters::mapping::test {
namespace {

TEST(MappingPathMemo, SamePathTextAtDifferentNodesKeepsItsOwnValue) {
  // "id" at the order (root) and at each line; "sku" read by two line fields; "n" twice.
  const std::string yaml =
      "name: t\nsource: {format: json}\n"
      "order:\n  channel: {order_id: id, order_number: id}\n  currency: {literal: USD}\n"
      "  updated_at: {literal: \"2026-03-01T00:00:00Z\"}\n"
      "  lines:\n    each: \"lines[*]\"\n    line_id: id\n    sku: sku\n"
      "    title: {concat: [sku, n], separator: \"/\"}\n    quantity: n\n";
  const RunResult r = run(
      yaml,
      R"({"id": 7, "lines": [{"id": 10, "sku": "A", "n": 1}, {"id": 11, "sku": "B", "n": 2}]})");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(dataAt(r, "/channel/order_id"), "7");
  EXPECT_EQ(dataAt(r, "/channel/order_number"), "7");
  EXPECT_EQ(dataAt(r, "/lines/0/line_id"), "10");
  EXPECT_EQ(dataAt(r, "/lines/1/line_id"), "11");
  EXPECT_EQ(dataAt(r, "/lines/0/title"), "A/1");
  EXPECT_EQ(dataAt(r, "/lines/1/title"), "B/2");
  EXPECT_EQ(dataAt(r, "/lines/1/quantity"), "2");
}

TEST(MappingPathMemo, ErrorsOfEveryRuleReadingANonScalarAreReported) {
  const RunResult r = run(channelYaml("  customer: {email: obj, phone: obj}\n"),
                          R"({"id": 1, "lines": [{}], "obj": {"x": 1}})");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("order.customer.email (source $.obj): expected a single value"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("order.customer.phone (source $.obj): expected a single value"),
            std::string::npos)
      << r.err;
}

TEST(MappingPathMemo, ValuesDoNotLeakIntoTheNextRun) {
  const std::string yaml = channelYaml("", "", ", order_number: n");
  EXPECT_EQ(dataAt(run(yaml, R"({"id": 1, "lines": [{}], "n": "first"})"), "/channel/order_number"),
            "first");
  EXPECT_EQ(
      dataAt(run(yaml, R"({"id": 1, "lines": [{}], "n": "second"})"), "/channel/order_number"),
      "second");
  EXPECT_EQ(dataAt(run(yaml, R"({"id": 1, "lines": [{}]})"), "/channel/order_number"), "");
}

TEST(MappingCurrencyMemo, EachOrderUsesItsOwnCurrencyExponent) {
  const std::string yaml =
      "name: t\nsource: {format: json}\n"
      "order:\n  each: \"orders[*]\"\n  channel: {order_id: id}\n  currency: cur\n"
      "  updated_at: {literal: \"2026-03-01T00:00:00Z\"}\n  totals: {total: amount}\n"
      "  lines: {each: \"lines[*]\", line_id: {position: true}, quantity: {literal: \"1\"}}\n";
  const RunResult r = run(yaml, R"({"orders": [
      {"id": 1, "cur": "USD", "amount": "12.50", "lines": [{}]},
      {"id": 2, "cur": "JPY", "amount": "1250", "lines": [{}]},
      {"id": 3, "cur": "KWD", "amount": "1.250", "lines": [{}]},
      {"id": 4, "cur": "USD", "amount": "0.07", "lines": [{}]}]})");
  ASSERT_EQ(r.rc, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(r.out).get(root), simdjson::SUCCESS);
  const std::int64_t expected[] = {1250, 1250, 1250, 7};
  for (int i = 0; i < 4; ++i) {
    std::int64_t total = 0;
    ASSERT_EQ(root.at_pointer("/" + std::to_string(i) + "/data/totals/total").get(total),
              simdjson::SUCCESS);
    EXPECT_EQ(total, expected[i]) << i;
  }
  const RunResult bad = run(yaml, R"({"orders": [{"id": 1, "cur": "XXY", "amount": "1",
                                      "lines": [{}]}]})");
  EXPECT_NE(bad.err.find("unknown ISO 4217 currency \"XXY\" for amount \"1\""), std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
