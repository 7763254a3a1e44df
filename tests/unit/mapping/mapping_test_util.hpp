#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "adapters/mapping/mapping.hpp"
#include "gateway/config/yaml_tree.hpp"

namespace ordergate::adapters::mapping::test {

inline constexpr const char* kFile = "mappings/t/mapping.yaml";

/// A minimal JSON channel mapping; `extra_order` lines are appended inside `order:` (indented
/// by two spaces), `extra_top` at the top level.
inline std::string channelYaml(const std::string& extra_order, const std::string& extra_top = "",
                               const std::string& extra_channel = "") {
  return "name: t\n"
         "kind: channel\n"
         "source: {format: json}\n" +
         extra_top +
         "order:\n"
         "  channel: {order_id: id" +
         extra_channel +
         "}\n"
         "  currency: {path: currency, default: USD}\n"
         "  updated_at: {path: updated, default: \"2026-03-01T00:00:00Z\"}\n"
         "  lines: {each: \"lines[*]\", line_id: {position: true}, quantity: {literal: \"1\"}}\n" +
         extra_order;
}

struct RunResult {
  int rc = 0;
  std::string out;
  std::string err;
};

inline RunResult run(const std::string& yaml, const std::string& input,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
  RunResult r;
  auto tree = gateway::config::parseYamlTree(yaml, kFile);
  if (!tree) {
    r.rc = 2;
    r.err = describe(tree.error());
    return r;
  }
  r.rc = runMappingTest(*tree, kFile, input, headers, r.out, r.err);
  return r;
}

/// Value at a JSON pointer in the first event's data, as text ("" when absent); numbers as
/// written by the canonical writer.
inline std::string dataAt(const RunResult& r, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (r.rc != 0 || parser.parse(r.out).get(root) != simdjson::SUCCESS) {
    return "<rc " + std::to_string(r.rc) + ": " + r.err + ">";
  }
  simdjson::dom::element v;
  if (root.at_pointer("/0/data" + pointer).get(v) != simdjson::SUCCESS) {
    return "";
  }
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) {
    return std::string(s);
  }
  return simdjson::minify(v);
}

/// Evaluates `expr` as order.channel.order_number on `input` (an object with "id": 1 added).
inline std::string textOf(const std::string& expr, const std::string& fields,
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
  const RunResult r =
      run(channelYaml("", "", ", order_number: " + expr),
          "{\"id\": 1, \"lines\": [{}]" + (fields.empty() ? "" : ", " + fields) + "}",
          std::move(headers));
  return dataAt(r, "/channel/order_number");
}

}  // namespace ordergate::adapters::mapping::test
