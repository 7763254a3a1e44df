// The JSON object index of the plan executor: keys resolved once per object against the plan's
// key table. Each test fails if the index returns a stale, missing or wrong child.
#include "adapters/mapping/json_object_index.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace ordergate::adapters::mapping::test {
namespace {

namespace dom = simdjson::dom;

std::string textAt(dom::element e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) {
    return std::string(s);
  }
  return simdjson::minify(e);
}

TEST(MappingJsonKeyTable, FindsEveryKeyAndNothingElse) {
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("key_" + std::to_string(i) + (i % 7 == 0 ? "_with_a_longer_tail" : ""));
  }
  keys.push_back("");
  keys.push_back("a");
  keys.push_back("x.y");
  const JsonKeyTable table(keys);
  ASSERT_EQ(table.size(), keys.size());
  for (std::uint32_t id = 0; id < keys.size(); ++id) {
    EXPECT_EQ(table.find(keys[id]), id) << keys[id];
  }
  EXPECT_EQ(table.find("key_300"), JsonKeyTable::kNone);
  EXPECT_EQ(table.find("key_7"), JsonKeyTable::kNone);  // only "key_7_with_a_longer_tail"
  EXPECT_EQ(table.find("b"), JsonKeyTable::kNone);
  EXPECT_EQ(JsonKeyTable().find("a"), JsonKeyTable::kNone);
}

TEST(MappingJsonObjectIndex, SmallObjectsAreIndexedAfterSomeLookupsWithTheSameAnswers) {
  const std::vector<std::string> keys = {"a", "b", "inner", "missing"};
  const JsonKeyTable table(keys);
  dom::parser parser;
  dom::element root;
  const std::string json = R"({"a": 1, "b": "x", "a": 2, "other": 3, "inner": {"a": "deep"}})";
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  JsonObjectIndex index;
  index.reset(table);
  // Before and after the object is indexed (the answers must not change when it is).
  for (std::uint32_t round = 0; round < JsonObjectIndex::kIndexAfterLookups; ++round) {
    dom::element v;
    ASSERT_TRUE(index.child(root, 0, v));
    EXPECT_EQ(textAt(v), "1");  // as at_key(): the first occurrence
    ASSERT_TRUE(index.child(root, 1, v));
    EXPECT_EQ(textAt(v), "x");
    EXPECT_FALSE(index.child(root, 3, v));
    dom::element inner;
    ASSERT_TRUE(index.child(root, 2, inner));
    ASSERT_TRUE(index.child(inner, 0, v));
    EXPECT_EQ(textAt(v), "deep");
    EXPECT_FALSE(index.child(inner, 1, v));
    EXPECT_FALSE(index.child(v, 0, v));  // not an object
    if (round == 0) {
      EXPECT_EQ(index.indexedObjects(), 0u);  // small and read once: at_key()
    }
  }
  EXPECT_EQ(index.indexedObjects(), 2u);  // root and inner, each scanned once
}

TEST(MappingJsonObjectIndex, LargeObjectsAreIndexedOnTheirFirstLookup) {
  std::vector<std::string> keys;
  std::string json = "{\"dup\": \"first\"";
  for (std::size_t i = 0; i < JsonObjectIndex::kIndexAtOnceFields; ++i) {
    keys.push_back("k" + std::to_string(i));
    json += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
  }
  json += ", \"dup\": \"second\"}";
  keys.push_back("dup");
  keys.push_back("absent");
  const JsonKeyTable table(keys);
  dom::parser parser;
  dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  JsonObjectIndex index;
  index.reset(table);
  dom::element v;
  ASSERT_TRUE(index.child(root, static_cast<std::uint32_t>(keys.size() - 2), v));
  EXPECT_EQ(textAt(v), "first");
  EXPECT_EQ(index.indexedObjects(), 1u);
  for (std::uint32_t i = 0; i < JsonObjectIndex::kIndexAtOnceFields; ++i) {
    ASSERT_TRUE(index.child(root, i, v));
    EXPECT_EQ(textAt(v), std::to_string(i));
  }
  EXPECT_FALSE(index.child(root, static_cast<std::uint32_t>(keys.size() - 1), v));
  EXPECT_EQ(index.indexedObjects(), 1u);
}

TEST(MappingJsonObjectIndex, ManyObjectsAndResetBetweenDocuments) {
  const std::vector<std::string> keys = {"n", "s"};
  const JsonKeyTable table(keys);
  const auto document = [](int first) {
    std::string json = "[";
    for (int i = 0; i < 500; ++i) {
      json += (i ? "," : "") + std::string("{\"s\": \"v") + std::to_string(first + i) +
              "\", \"n\": " + std::to_string(first + i) + "}";
    }
    return json + "]";
  };
  JsonObjectIndex index;
  dom::parser parser;  // reused, as per thread: the second document has the same tape indexes
  for (int first : {0, 1000}) {
    dom::array items;
    ASSERT_EQ(parser.parse(document(first)).get(items), simdjson::SUCCESS);
    index.reset(table);
    // Enough passes that every object gets indexed (map growth), and one more that reads them
    // all from the index.
    for (std::uint32_t pass = 0; pass <= JsonObjectIndex::kIndexAfterLookups / 2; ++pass) {
      int i = first;
      for (dom::element item : items) {
        dom::element v;
        ASSERT_TRUE(index.child(item, 1, v));
        EXPECT_EQ(textAt(v), "v" + std::to_string(i));
        ASSERT_TRUE(index.child(item, 0, v));
        EXPECT_EQ(textAt(v), std::to_string(i));
        ++i;
      }
    }
    EXPECT_EQ(index.indexedObjects(), 500u);
  }
}

}  // namespace
}  // namespace ordergate::adapters::mapping::test
