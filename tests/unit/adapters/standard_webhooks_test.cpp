#include "adapters/common/standard_webhooks.hpp"

#include <gtest/gtest.h>

namespace ordergate::adapters {
namespace {

// The published test vector of the Standard Webhooks / Svix reference libraries.
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr long long kTimestamp = 1614265330;
constexpr std::string_view kPayload = R"({"test": 2432232314})";
constexpr std::string_view kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

StandardWebhooksSigner signer() {
  auto s = StandardWebhooksSigner::create(std::string(kSecret));
  EXPECT_TRUE(s.has_value());
  return *s;
}

TEST(StandardWebhooks, SignsThePublishedTestVector) {
  EXPECT_EQ(signer().sign(kMsgId, kTimestamp, kPayload), kExpected);
}

TEST(StandardWebhooks, VerifiesThePublishedTestVector) {
  auto ok = signer().verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp);
  EXPECT_TRUE(ok.has_value()) << (ok ? "" : ok.error().message);
}

TEST(StandardWebhooks, AcceptsAnyOfSeveralSignatures) {
  const std::string header = "v1,bm9wZQ== v1a,abcdef " + std::string(kExpected) + " v1,Zm9v";
  EXPECT_TRUE(signer().verify(kMsgId, "1614265330", header, kPayload, kTimestamp).has_value());
  auto none = signer().verify(kMsgId, "1614265330", "v1,bm9wZQ== v1,Zm9v", kPayload, kTimestamp);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(none.error().message, "no matching signature");
}

TEST(StandardWebhooks, RejectsTamperedBodyIdOrTimestamp) {
  auto s = signer();
  EXPECT_FALSE(s.verify(kMsgId, "1614265330", kExpected, R"({"test": 2432232315})", kTimestamp));
  EXPECT_FALSE(s.verify("msg_other", "1614265330", kExpected, kPayload, kTimestamp));
  EXPECT_FALSE(s.verify(kMsgId, "1614265331", kExpected, kPayload, kTimestamp));
  // The MAC without its version prefix is not a valid entry.
  EXPECT_FALSE(s.verify(kMsgId, "1614265330", kExpected.substr(3), kPayload, kTimestamp));
}

TEST(StandardWebhooks, EnforcesTimestampTolerance) {
  auto s = signer();
  EXPECT_TRUE(s.verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp + 300));
  EXPECT_TRUE(s.verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp - 300));
  auto late = s.verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp + 301);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "timestamp outside tolerance");
  auto early = s.verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp - 301);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message, "timestamp outside tolerance");
  EXPECT_TRUE(s.verify(kMsgId, "1614265330", kExpected, kPayload, kTimestamp + 3000, 3600));
}

TEST(StandardWebhooks, NamesMissingAndMalformedHeaders) {
  auto s = signer();
  auto no_sig = s.verify(kMsgId, "1614265330", "", kPayload, kTimestamp);
  ASSERT_FALSE(no_sig);
  EXPECT_EQ(no_sig.error().message, "missing webhook-signature");
  EXPECT_EQ(no_sig.error().code, ErrorCode::kUnauthenticated);
  auto no_id = s.verify("", "1614265330", kExpected, kPayload, kTimestamp);
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().message, "missing webhook-id");
  auto no_ts = s.verify(kMsgId, "", kExpected, kPayload, kTimestamp);
  ASSERT_FALSE(no_ts);
  EXPECT_EQ(no_ts.error().message, "missing webhook-timestamp");
  auto bad_ts = s.verify(kMsgId, "16142653x0", kExpected, kPayload, kTimestamp);
  ASSERT_FALSE(bad_ts);
  EXPECT_EQ(bad_ts.error().message, "invalid webhook-timestamp");
}

TEST(StandardWebhooks, SecretFormats) {
  auto bad = StandardWebhooksSigner::create("whsec_not base64!");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  EXPECT_FALSE(StandardWebhooksSigner::create(""));
  EXPECT_FALSE(StandardWebhooksSigner::create("whsec_"));

  // A raw secret (no prefix) is used as the key bytes: it equals a whsec_ secret carrying the
  // same bytes base64-encoded.
  auto raw = StandardWebhooksSigner::create("plain-text-key");
  auto prefixed = StandardWebhooksSigner::create("whsec_" + base64Encode("plain-text-key"));
  ASSERT_TRUE(raw && prefixed);
  EXPECT_EQ(raw->sign("msg_1", 1700000000, "{}"), prefixed->sign("msg_1", 1700000000, "{}"));
  EXPECT_NE(raw->sign("msg_1", 1700000000, "{}"), signer().sign("msg_1", 1700000000, "{}"));
  EXPECT_TRUE(
      raw->verify("msg_1", "1700000000", raw->sign("msg_1", 1700000000, "{}"), "{}", 1700000000));
}

}  // namespace
}  // namespace ordergate::adapters
