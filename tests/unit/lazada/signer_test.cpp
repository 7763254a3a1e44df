#include <gtest/gtest.h>

#include "adapters/lazada/lazada_api.hpp"
#include "adapters/lazada/lazada_signer.hpp"
#include "lazada_test_util.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace testing;

// Lazada's published worked example ("HTTP request sample", GetOrder): secret "helloworld".
TEST(LazadaSigner, PublishedExample) {
  Params params = {{"app_key", "123456"},
                   {"access_token", "test"},
                   {"timestamp", "1517820392000"},
                   {"sign_method", "sha256"},
                   {"order_id", "1234"}};
  EXPECT_EQ(signingString("/order/get", params),
            "/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000");
  HmacSha256 secret{"helloworld"};
  EXPECT_EQ(signApiRequest(secret, "/order/get", params),
            "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A");
}

// The signature-algorithm page's sorting example; digest computed with
// printf '%s' '/test/apibar2foo1foo_bar3foobar4' | openssl dgst -sha256 -hmac helloworld
TEST(LazadaSigner, SortsByNameInByteOrder) {
  Params params = {{"foo", "1"}, {"bar", "2"}, {"foo_bar", "3"}, {"foobar", "4"}};
  EXPECT_EQ(signingString("/test/api", params), "/test/apibar2foo1foo_bar3foobar4");
  EXPECT_EQ(signApiRequest(HmacSha256{"helloworld"}, "/test/api", params),
            "BD011266EC150C787B2201495AA2D6F326BB6910DE77E84EA28F5215DCD7FA5E");
  // `sign` itself is never signed.
  params.emplace_back("sign", "XYZ");
  EXPECT_EQ(signingString("/test/api", params), "/test/apibar2foo1foo_bar3foobar4");
}

// Gateway vector of docs/formats/lazada.md, re-checked with openssl.
TEST(LazadaSigner, SignedUrl) {
  Params params = {{"app_key", "123456"},
                   {"timestamp", "1730794600000"},
                   {"sign_method", "sha256"},
                   {"access_token", "test_token_abc"},
                   {"order_id", "781234567890123"}};
  EXPECT_EQ(signedUrl(HmacSha256{"lzd_test_secret_abc"}, "https://api.lazada.sg/rest/", "/order/get", params),
            "https://api.lazada.sg/rest/order/get?access_token=test_token_abc&app_key=123456"
            "&order_id=781234567890123&sign_method=sha256&timestamp=1730794600000"
            "&sign=EC1AB73A2B82E48F1CCA959D7AC778D5DEF229F898D3BB5734FEBA4CACDE527E");
}

// Values are signed raw and URL-encoded only in the query string.
TEST(LazadaSigner, RawValuesSignedEncodedInQuery) {
  Params params = {{"app_key", "123456"}, {"timestamp", "1"}, {"sign_method", "sha256"},
                   {"access_token", "a b/c+d"}, {"order_id", "1"}};
  EXPECT_EQ(signedUrl(HmacSha256{"helloworld"}, "http://h/rest", "/order/get", params),
            "http://h/rest/order/get?access_token=a%20b%2Fc%2Bd&app_key=123456&order_id=1"
            "&sign_method=sha256&timestamp=1"
            "&sign=A337F0C5B32A06FAB087ABD5E2C68ACC7E4216F2776D8985C526DCBC4E8B63A4");
  EXPECT_EQ(urlEncode("Aa0-_.~ é"), "Aa0-_.~%20%C3%A9");
}

TEST(LazadaPuller, CallsAreSignedGets) {
  LazadaAdapter adapter(config());
  const PullRequest request{"781234567890123", "{}"};
  auto calls = adapter.puller()->calls(
      request, canonical::Timestamp(std::chrono::milliseconds(1730794600000)));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].url,
            "https://api.lazada.vn/rest/order/get?access_token=test_token_abc&app_key=123456"
            "&order_id=781234567890123&sign_method=sha256&timestamp=1730794600000"
            "&sign=4F7011D913DDC1F900FA1962A935BC7AF56C6106DCCE99326487D3443A73985B");
  EXPECT_EQ(calls[1].url,
            "https://api.lazada.vn/rest/order/items/get?access_token=test_token_abc&app_key=123456"
            "&order_id=781234567890123&sign_method=sha256&timestamp=1730794600000"
            "&sign=05F91D7F769F94EF0DDBA4A79EACBD8E81ABC0F7A0C3A8B5BAD4588E49D3582A");
}

TEST(LazadaApiErrors, Table) {
  EXPECT_EQ(classifyApiError("IllegalAccessToken", "ISV"), PullOutcome::kAuthAlert);
  EXPECT_EQ(classifyApiError("IllegalRefreshToken", ""), PullOutcome::kAuthAlert);
  EXPECT_EQ(classifyApiError("ApiCallLimit", "ISV"), PullOutcome::kRetry);
  EXPECT_EQ(classifyApiError("AppCallLimit", ""), PullOutcome::kRetry);
  EXPECT_EQ(classifyApiError("SellerCallLimit", ""), PullOutcome::kRetry);
  EXPECT_EQ(classifyApiError("SomeBackendError", "ISP"), PullOutcome::kRetry);
  EXPECT_EQ(classifyApiError("IncompleteSignature", "ISV"), PullOutcome::kDeadLetter);
  EXPECT_EQ(classifyApiError("MISSING_PARAMETER", "ISV"), PullOutcome::kDeadLetter);
  EXPECT_EQ(classifyHttpStatus(0), PullOutcome::kRetry);
  EXPECT_EQ(classifyHttpStatus(503), PullOutcome::kRetry);
  EXPECT_EQ(classifyHttpStatus(429), PullOutcome::kRetry);
  EXPECT_EQ(classifyHttpStatus(404), PullOutcome::kDeadLetter);
  EXPECT_FALSE(classifyHttpStatus(200));
}

ApiResponse ok(std::string body) { return ApiResponse{200, std::move(body), "", ""}; }

TEST(LazadaPuller, InterpretsFailures) {
  LazadaAdapter adapter(config());
  const ChannelPuller& p = *adapter.puller();
  const PullRequest request{"1", "{}"};
  const canonical::Timestamp t{};
  const std::string items = R"({"code":"0","data":[]})";

  auto net = p.interpret(request, {ApiResponse{0, "", "Connection refused", ""}, ok(items)}, t);
  EXPECT_EQ(net.kind, PullOutcome::kRetry);
  EXPECT_EQ(net.code, "network");

  auto down = p.interpret(request, {ApiResponse{503, "busy", "", "7"}, ok(items)}, t);
  EXPECT_EQ(down.kind, PullOutcome::kRetry);
  EXPECT_EQ(down.code, "HTTP 503");
  EXPECT_EQ(down.retry_after, std::chrono::milliseconds(7000));

  auto limit = p.interpret(
      request, {ok(R"({"code":"ApiCallLimit","type":"ISV","message":"too many","request_id":"r"})"), ok(items)}, t);
  EXPECT_EQ(limit.kind, PullOutcome::kRetry);
  EXPECT_EQ(limit.code, "ApiCallLimit");

  auto token = p.interpret(
      request, {ok(items), ok(R"({"code":"IllegalAccessToken","type":"ISV","message":"The specified access token is invalid or expired"})")}, t);
  EXPECT_EQ(token.kind, PullOutcome::kAuthAlert);
  EXPECT_EQ(token.message, "/order/items/get: The specified access token is invalid or expired");
  EXPECT_EQ(token.retry_after, std::chrono::milliseconds(300000));

  auto sig = p.interpret(
      request, {ok(R"({"code":"IncompleteSignature","type":"ISV","message":"The request signature does not conform to platform standards"})"), ok(items)}, t);
  EXPECT_EQ(sig.kind, PullOutcome::kDeadLetter);
  EXPECT_EQ(sig.code, "IncompleteSignature");
  EXPECT_EQ(sig.message, "/order/get: The request signature does not conform to platform standards");

  auto garbage = p.interpret(request, {ok("<html>"), ok(items)}, t);
  EXPECT_EQ(garbage.kind, PullOutcome::kRetry);
  EXPECT_EQ(garbage.code, "malformed_response");
}

}  // namespace
}  // namespace ordergate::adapters::lazada
