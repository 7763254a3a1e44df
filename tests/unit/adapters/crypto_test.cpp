#include "adapters/common/crypto.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ordergate::adapters {
namespace {

std::string unhex(std::string_view hex) {
  auto bytes = hexDecode(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or(std::string{});
}

struct Rfc4231Case {
  std::string name;
  std::string key;
  std::string data;
  std::string expected_hex;  // may be a prefix (test case 5 truncates to 128 bits)
};

std::vector<Rfc4231Case> rfc4231Cases() {
  return {
      {"case1", std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case3", std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case4", unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
       std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case5", std::string(20, '\x0c'), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b"},
      {"case6", std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case7", std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

TEST(HmacSha256, MatchesRfc4231Vectors) {
  for (const auto& c : rfc4231Cases()) {
    HmacSha256 mac(c.key);
    const std::string digest = mac.digest(c.data);
    ASSERT_EQ(digest.size(), HmacSha256::kDigestSize) << c.name;
    EXPECT_EQ(hexEncode(digest).substr(0, c.expected_hex.size()), c.expected_hex) << c.name;
    // A second call reuses the cached, re-initialised context and must give the same answer.
    EXPECT_EQ(mac.digest(c.data), digest) << c.name;
  }
}

TEST(HmacSha256, DigestPartsEqualsDigestOfConcatenation) {
  HmacSha256 mac("Jefe");
  EXPECT_EQ(mac.digestParts({"what do ya ", "", "want for nothing?"}),
            mac.digest("what do ya want for nothing?"));
  EXPECT_EQ(hexEncode(mac.digestParts({"what do ya want", " for nothing?"})),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, InterleavedKeysAndCopiesDoNotMixContexts) {
  HmacSha256 a("Jefe");
  HmacSha256 b(std::string(20, '\x0b'));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(hexEncode(a.digest("what do ya want for nothing?")).substr(0, 8), "5bdcc146");
    EXPECT_EQ(hexEncode(b.digest("Hi There")).substr(0, 8), "b0344c61");
  }
  HmacSha256 copy = a;
  EXPECT_EQ(copy.digest("x"), a.digest("x"));
  {
    HmacSha256 temporary("other");
    (void)temporary.digest("x");
  }
  EXPECT_EQ(hexEncode(a.digest("what do ya want for nothing?")).substr(0, 8), "5bdcc146");
}

TEST(HmacSha256, ManyKeysBeyondTheCacheSizeStayCorrect) {
  std::vector<HmacSha256> macs;
  for (int i = 0; i < 80; ++i) {
    macs.emplace_back("key-" + std::to_string(i));
  }
  std::vector<std::string> first;
  for (const auto& m : macs) {
    first.push_back(m.digest("payload"));
  }
  for (std::size_t i = 0; i < macs.size(); ++i) {
    EXPECT_EQ(macs[i].digest("payload"), first[i]);
  }
  EXPECT_NE(first[0], first[1]);
}

TEST(HmacSha256, ConcurrentUseFromSeveralThreads) {
  const HmacSha256 mac("Jefe");
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (hexEncode(mac.digest("what do ya want for nothing?")).starts_with("5bdcc146")) {
          ++ok[t];
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (int count : ok) {
    EXPECT_EQ(count, 200);
  }
}

TEST(HmacSha256, EmptyKeyAndEmptyData) {
  HmacSha256 mac("");
  // HMAC-SHA256("", "") — a well-known value.
  EXPECT_EQ(hexEncode(mac.digest("")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Base64, RoundTripsAllLengthsAndRfc4648Vectors) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64Encode(std::string("\xfb\xff\xfe", 3)), "+//+");
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  for (std::size_t len = 0; len <= all.size(); len += 7) {
    const std::string part = all.substr(0, len);
    EXPECT_EQ(base64Decode(base64Encode(part)), part) << len;
  }
  EXPECT_EQ(base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64Decode(""), "");
}

TEST(Base64, DecodingIsStrict) {
  EXPECT_FALSE(base64Decode("Zg"));        // missing padding
  EXPECT_FALSE(base64Decode("Zg="));       // wrong length
  EXPECT_FALSE(base64Decode("Zg==="));     // too much padding
  EXPECT_FALSE(base64Decode("Z==="));      // three padding characters
  EXPECT_FALSE(base64Decode("Zh=="));      // non-zero unused bits
  EXPECT_FALSE(base64Decode("Zm8+Zg=a"));  // data after padding
  EXPECT_FALSE(base64Decode("Zg==Zm9v"));  // padding in the middle
  EXPECT_FALSE(base64Decode("Zm9 v"));     // whitespace
  EXPECT_FALSE(base64Decode("-_-_"));      // URL-safe alphabet
  EXPECT_FALSE(base64Decode("Zm9v\n"));    // trailing newline
  EXPECT_TRUE(base64Decode("+/+/"));
}

TEST(Hex, RoundTripsAndDecodesCaseInsensitively) {
  EXPECT_EQ(hexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(hexDecode("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(hexDecode(""), "");
  EXPECT_FALSE(hexDecode("abc"));
  EXPECT_FALSE(hexDecode("zz"));
  EXPECT_FALSE(hexDecode("0x12"));
  const std::string bytes = "\x10\x7f\x80\xfe hello";
  EXPECT_EQ(hexDecode(hexEncode(bytes)), bytes);
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "ab"));
  EXPECT_FALSE(constantTimeEquals("ab", "abc"));
  EXPECT_FALSE(constantTimeEquals("", "a"));
  EXPECT_TRUE(constantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace ordergate::adapters
