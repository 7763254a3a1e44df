#include "tests/support/json_compare.hpp"
#include <gtest/gtest.h>
TEST(JsonCompare, Works) {
  using ordergate::testing::jsonDiff;
  EXPECT_EQ(jsonDiff(R"({"a":1,"b":[1,2]})", R"({"b":[1,2],"a":1})"), "");
  EXPECT_EQ(jsonDiff(R"({"a":1})", R"({"a":2})"), "$.a: expected 1, got 2");
  EXPECT_EQ(jsonDiff(R"({"a":[1]})", R"({"a":[1,3]})"), "$.a[1]: unexpected in actual (3)");
  EXPECT_NE(jsonDiff(R"({"a":"1"})", R"({"a":1})"), "");
}
