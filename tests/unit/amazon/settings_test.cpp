#include <gtest/gtest.h>

#include "adapters/adapter.hpp"
#include "amazon_test_util.hpp"

namespace ordergate::adapters::amazon {
namespace {

using testing::makeSettings;

TEST(AmazonSettings, DefaultsAndAcceptedKeys) {
  auto s = parseSettings(makeSettings({}));
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->encoding.has_value());
  EXPECT_EQ(s->fallback_encoding, Encoding::kWindows1252);
  auto full = parseSettings(makeSettings({{"timezone", "Asia/Tokyo"},
                                          {"encoding", "Cp1252"},
                                          {"fallback_encoding", "cp932"},
                                          {"marketplace", "A1VC38T7YXB528"},
                                          {"seller_id", "A2SELLER"},
                                          {"inbox", "x"},
                                          {"sp_api", "y"}}));
  ASSERT_TRUE(full.has_value()) << full.error().message;
  EXPECT_EQ(full->encoding, Encoding::kWindows1252);
  EXPECT_EQ(full->fallback_encoding, Encoding::kShiftJis);
  EXPECT_EQ(full->marketplace, "A1VC38T7YXB528");
}

TEST(AmazonSettings, ErrorsNameTheKey) {
  auto unknown = parseSettings(makeSettings({{"secret", "x"}}));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kConfig);
  EXPECT_NE(describe(unknown.error()).find("channels.amazon.secret"), std::string::npos);
  auto encoding = parseSettings(makeSettings({{"encoding", "utf-16"}}));
  ASSERT_FALSE(encoding.has_value());
  EXPECT_EQ(encoding.error().field, "channels.amazon.encoding");
  auto zone = parseSettings(makeSettings({{"timezone", "Mars/Olympus"}}));
  ASSERT_FALSE(zone.has_value());
  EXPECT_EQ(zone.error().field, "channels.amazon.timezone");
}

TEST(AmazonSettings, RegisteredAsAmazonFlatFile) {
  AdapterRegistry registry;
  registerBuiltinAdapters(registry);
  EXPECT_TRUE(registry.containsFile("amazon_flat_file"));
  AdapterContext ctx{"amz", makeSettings({{"marketplace", "ATVPDKIKX0DER"}})};
  auto adapter = registry.createFile("amazon_flat_file", ctx);
  ASSERT_TRUE(adapter.has_value());
  EXPECT_EQ((*adapter)->type(), "amazon_flat_file");
}

}  // namespace
}  // namespace ordergate::adapters::amazon
