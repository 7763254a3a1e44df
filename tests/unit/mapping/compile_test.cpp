// Compile-time checks: unknown keys, bad values, every error names file:line and rule path.
#include "tests/unit/mapping/mapping_test_util.hpp"

namespace ordergate::adapters::mapping::test {
namespace {

FieldErrors compileErrors(const std::string& yaml) {
  auto tree = gateway::config::parseYamlTree(yaml, kFile);
  EXPECT_TRUE(tree) << (tree ? "" : describe(tree.error()));
  if (!tree) {
    return {};
  }
  auto plan = compileMappingAll(*tree, kFile);
  return plan ? FieldErrors{} : plan.error();
}

std::string joined(const FieldErrors& errors) {
  std::string out;
  for (const FieldError& e : errors) {
    out += describe(e) + "\n";
  }
  return out;
}

TEST(MappingCompile, ValidMappingCompiles) {
  EXPECT_EQ(joined(compileErrors(channelYaml(""))), "");
}

TEST(MappingCompile, UnknownKeysAreErrorsWithLineAndRule) {
  const std::string e = joined(compileErrors(channelYaml("  totals: {total: t, totl: u}\n")));
  EXPECT_NE(e.find("mappings/t/mapping.yaml:9 order.totals.totl: unknown key \"totl\""),
            std::string::npos)
      << e;
  const std::string top = joined(compileErrors(channelYaml("", "extra: 1\n")));
  EXPECT_NE(top.find("mappings/t/mapping.yaml:4 (top).extra: unknown key \"extra\""),
            std::string::npos)
      << top;
  const std::string mod =
      joined(compileErrors(channelYaml("", "", ", order_number: {path: a, tirm: true}")));
  EXPECT_NE(mod.find("order.channel.order_number.tirm: unknown key \"tirm\""), std::string::npos)
      << mod;
}

TEST(MappingCompile, EnumTargetsAreValidatedAtCompileTime) {
  const std::string e = joined(
      compileErrors(channelYaml("  status: {path: s, map: {paid: opened}, fallback: open}\n")));
  EXPECT_NE(e.find("order.status.map.paid: \"opened\" is not a canonical order status"),
            std::string::npos)
      << e;
}

TEST(MappingCompile, BadPathsFormatsZonesAreErrors) {
  EXPECT_NE(joined(compileErrors(channelYaml("", "", ", order_number: \"a[\"")))
                .find("invalid path \"a[\": missing ]"),
            std::string::npos);
  EXPECT_NE(joined(compileErrors(channelYaml("  placed_at: {path: t, format: \"%Q\"}\n")))
                .find("unsupported directive %Q"),
            std::string::npos);
  EXPECT_NE(joined(compileErrors(channelYaml("  placed_at: {path: t, zone: Mars/Olympus}\n")))
                .find("order.placed_at.zone: unknown time zone"),
            std::string::npos);
  const std::string x = joined(
      compileErrors("name: x\nkind: carrier\nsource: {format: xml}\n"
                    "tracking: {tracking_number: \"//[\", events: {each: a, occurred_at: t}}\n"
                    "status: {table: {A: delivered}}\n"));
  EXPECT_NE(x.find("tracking.tracking_number: invalid path \"//[\": XPath"), std::string::npos)
      << x;
}

TEST(MappingCompile, RequiredPiecesAreNamed) {
  const std::string e =
      joined(compileErrors("name: x\nsource: {format: json}\norder: {lines: {each: a}}\n"));
  EXPECT_NE(e.find("order.channel: required"), std::string::npos) << e;
  EXPECT_NE(e.find("order.currency: required"), std::string::npos) << e;
  EXPECT_NE(e.find("order.lines.line_id: required"), std::string::npos) << e;
  const std::string c =
      joined(compileErrors("name: x\nkind: carrier\nsource: {format: json}\n"
                           "tracking: {tracking_number: n, events: {each: e, occurred_at: t}}\n"
                           "status: {table: {a: arrived}}\n"));
  EXPECT_NE(c.find("status.table.a: \"arrived\" is not a canonical tracking status"),
            std::string::npos)
      << c;
}

TEST(MappingCompile, SignatureTemplateAndSchemeChecked) {
  const std::string e = joined(compileErrors(channelYaml(
      "", "signature: {scheme: hmac-sha256, header: X-Sig, message: \"{bogus}.{body}\"}\n")));
  EXPECT_NE(e.find("signature.message: expected {body} or {header:Name}"), std::string::npos) << e;
  const std::string s = joined(compileErrors(channelYaml("", "signature: {scheme: md5}\n")));
  EXPECT_NE(s.find("signature.scheme: expected hmac-sha256, token or none"), std::string::npos);
}

TEST(MappingCompile, CompileMappingSummarisesErrors) {
  auto tree = gateway::config::parseYamlTree(channelYaml("  totals: {a: 1, b: 2}\n"), kFile);
  ASSERT_TRUE(tree);
  auto plan = compileMapping(*tree, kFile);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kConfig);
  EXPECT_EQ(plan.error().field, "mappings/t/mapping.yaml:9 order.totals.a");
  EXPECT_NE(plan.error().message.find("(+1 more)"), std::string::npos);
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
