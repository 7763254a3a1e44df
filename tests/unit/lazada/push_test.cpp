#include <gtest/gtest.h>

#include "adapters/lazada/lazada_push.hpp"
#include "lazada_test_util.hpp"

namespace ordergate::adapters::lazada {
namespace {

using namespace testing;

// Lazada's documented trade-order sample, compact, byte for byte.
constexpr std::string_view kTradePush =
    R"({"seller_id":"1234567","message_type":0,"data":{"order_status":"unpaid","trade_order_id":"260422900198363","trade_order_line_id":"260422900298363","status_update_time":1603698638},"timestamp":1603766859530,"site":"lazada_vn"})";
// openssl: printf '%s' '123456<body>' | openssl dgst -sha256 -hmac 3412gyo124goi3124
constexpr std::string_view kTradeSignature =
    "59e04e1b1f307b7180fd58126161907cd20d33ac17cbce90ec2ae19907e701e6";

// The documented reverse-order sample.
constexpr std::string_view kReversePush =
    R"({"seller_id":"1000114855","message_type":0,"data":{"order_status":"returned","reverse_order_id":"501977696648153","reverse_order_line_id":"502491640048153","status_update_time":1603703663,"trade_order_id":"252883361348153","trade_order_line_id":"252883361948153"},"timestamp":1603715010436,"site":"lazada_vn"})";
constexpr std::string_view kReverseSignature =
    "8a7d803e1878e9f5231baef9eb590cbb9808edc835ffa3e7c6883ebe999eb225";

InboundMessage message(std::string_view body, const std::vector<Header>& headers) {
  InboundMessage m;
  m.channel_id = "lz";
  m.body = body;
  m.headers = HeaderView(headers);
  return m;
}

TEST(LazadaPushSignature, MatchesOpensslVectors) {
  HmacSha256 secret{std::string(kAppSecret)};
  EXPECT_EQ(pushSignature(secret, kAppKey, kTradePush), kTradeSignature);
  EXPECT_EQ(pushSignature(secret, kAppKey, kReversePush), kReverseSignature);
}

TEST(LazadaPushSignature, CaseInsensitiveHexAndBlanks) {
  HmacSha256 secret{std::string(kAppSecret)};
  std::string upper(kTradeSignature);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(verifyPushSignature(secret, kAppKey, kTradePush, upper));
  EXPECT_TRUE(verifyPushSignature(secret, kAppKey, kTradePush, " " + std::string(kTradeSignature)));
  EXPECT_FALSE(verifyPushSignature(secret, kAppKey, kTradePush, kReverseSignature));
  EXPECT_FALSE(verifyPushSignature(secret, kAppKey, kTradePush, kTradeSignature.substr(1)));
  // Re-serialised JSON (a blank added) no longer verifies: the raw bytes are signed.
  std::string spaced(kTradePush);
  spaced.insert(1, " ");
  EXPECT_FALSE(verifyPushSignature(secret, kAppKey, spaced, kTradeSignature));
  // The app key is part of the signed text.
  EXPECT_FALSE(verifyPushSignature(secret, "654321", kTradePush, kTradeSignature));
}

TEST(LazadaAdapterVerify, AcceptsGoodRejectsBad) {
  LazadaAdapter adapter(config());
  std::vector<Header> good = {{"Authorization", kTradeSignature}};
  EXPECT_TRUE(adapter.verify(message(kTradePush, good)));
  std::vector<Header> none;
  auto missing = adapter.verify(message(kTradePush, none));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(missing.error().message, "missing Authorization");
  std::vector<Header> bad = {{"authorization", kReverseSignature}};
  auto mismatch = adapter.verify(message(kTradePush, bad));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message, "signature mismatch");
}

TEST(LazadaAdapterVerify, ExpectedSeller) {
  LazadaAdapter adapter(config({{"seller_id", "1234567"}}));
  std::vector<Header> trade = {{"Authorization", kTradeSignature}};
  EXPECT_TRUE(adapter.verify(message(kTradePush, trade)));
  std::vector<Header> reverse = {{"Authorization", kReverseSignature}};
  auto other = adapter.verify(message(kReversePush, reverse));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message, "seller not allowed");
}

TEST(LazadaSite, SpellingsAreOneSite) {
  for (std::string_view text : {"lazada_sg", "lazada-sg", "LAZADA_SG", "Lazada-SG", " sg ", "SG"}) {
    auto site = findSite(text);
    ASSERT_TRUE(site) << text;
    EXPECT_EQ(site->code, "lazada_sg");
    EXPECT_EQ(site->country, "SG");
    EXPECT_EQ(site->currency, "SGD");
  }
  EXPECT_EQ(findSite("lazada_vn")->currency, "VND");
  EXPECT_EQ(findSite("LAZADA-ID")->zone, "Asia/Jakarta");
  EXPECT_FALSE(findSite("lazada_xx"));
  EXPECT_FALSE(findSite(""));
  EXPECT_EQ(normalizeSiteText("LAZADA-SG"), "lazada_sg");
}

TEST(LazadaTime, SecondsAndMilliseconds) {
  // 1603698638 s = 2020-10-26T07:50:38Z; 1603766859530 ms = 2020-10-27T02:47:39.530Z.
  EXPECT_EQ(canonical::formatRfc3339(epochTime(1603698638)), "2020-10-26T07:50:38Z");
  EXPECT_EQ(canonical::formatRfc3339(epochTime(1603698638000)), "2020-10-26T07:50:38Z");
  EXPECT_EQ(canonical::formatRfc3339(epochTime(1603766859530)), "2020-10-27T02:47:39.530Z");
}

TEST(LazadaPush, ParsesDocumentedSamples) {
  auto push = parsePush(kTradePush);
  ASSERT_TRUE(push);
  EXPECT_EQ(push->seller_id, "1234567");
  EXPECT_EQ(push->message_type, 0);
  EXPECT_EQ(push->site, "lazada_vn");
  EXPECT_EQ(push->order_id, "260422900198363");
  EXPECT_EQ(push->line_id, "260422900298363");
  EXPECT_EQ(push->status, "unpaid");
  EXPECT_EQ(canonical::formatRfc3339(*push->status_time), "2020-10-26T07:50:38Z");
  EXPECT_EQ(canonical::formatRfc3339(*push->pushed_at), "2020-10-27T02:47:39.530Z");

  auto reverse = parsePush(kReversePush);
  ASSERT_TRUE(reverse);
  EXPECT_EQ(reverse->reverse_order_id, "501977696648153");
  EXPECT_EQ(reverse->order_id, "252883361348153");
}

TEST(LazadaPush, NumbersForIdsAndUpperCaseStatus) {
  auto push = parsePush(
      R"({"seller_id":1234567,"message_type":"0","data":{"order_status":"READY_TO_SHIP","trade_order_id":260422900198363,"trade_order_line_id":260422900298363,"status_update_time":"1603698638000"},"timestamp":1603766859,"site":"LAZADA-VN"})");
  ASSERT_TRUE(push) << describe(push.error().front());
  EXPECT_EQ(push->seller_id, "1234567");
  EXPECT_EQ(push->order_id, "260422900198363");
  EXPECT_EQ(push->status, "ready_to_ship");
  EXPECT_EQ(push->site, "lazada_vn");
  EXPECT_EQ(canonical::formatRfc3339(*push->status_time), "2020-10-26T07:50:38Z");
  EXPECT_EQ(canonical::formatRfc3339(*push->pushed_at), "2020-10-27T02:47:39Z");
}

TEST(LazadaPush, Errors) {
  EXPECT_EQ(parsePush("{").error().front().message, "not valid JSON");
  EXPECT_EQ(parsePush(R"({"message_type":0,"data":{}})").error().front().field,
            "data.trade_order_id");
  EXPECT_EQ(parsePush(R"({"message_type":0})").error().front().field, "data");
  EXPECT_EQ(parsePush(R"({"seller_id":"1"})").error().front().field, "message_type");
}

TEST(LazadaPush, DedupTupleIgnoresPushTimeAndBodyShape) {
  auto a = parsePush(kTradePush);
  // Same change, retried 30 minutes later (new push timestamp, fields reordered).
  auto b = parsePush(
      R"({"site":"lazada_vn","timestamp":1603768659530,"message_type":0,"seller_id":"1234567","data":{"trade_order_line_id":"260422900298363","trade_order_id":"260422900198363","status_update_time":1603698638,"order_status":"unpaid"}})");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(dedupKey(*a), "1234567|260422900198363|260422900298363|unpaid|1603698638000");
  EXPECT_EQ(dedupKey(*a), dedupKey(*b));
  // A retry that carries the latest status is a new push.
  auto c = parsePush(
      R"({"seller_id":"1234567","message_type":0,"data":{"order_status":"pending","trade_order_id":"260422900198363","trade_order_line_id":"260422900298363","status_update_time":1603699000},"timestamp":1603768659530,"site":"lazada_vn"})");
  ASSERT_TRUE(c);
  EXPECT_NE(dedupKey(*a), dedupKey(*c));
  // Another line of the same order is a distinct message.
  auto d = parsePush(
      R"({"seller_id":"1234567","message_type":0,"data":{"order_status":"unpaid","trade_order_id":"260422900198363","trade_order_line_id":"260422900298364","status_update_time":1603698638},"timestamp":1603766859530,"site":"lazada_vn"})");
  ASSERT_TRUE(d);
  EXPECT_NE(dedupKey(*a), dedupKey(*d));
}

TEST(LazadaAdapterNormalize, TradePushBecomesOnePullKeyedByOrder) {
  LazadaAdapter adapter(config());
  std::vector<Header> headers;
  Normalized n = adapter.normalize(message(kTradePush, headers));
  EXPECT_TRUE(n.errors.empty());
  EXPECT_TRUE(n.ignored.empty());
  EXPECT_TRUE(n.events.empty());
  ASSERT_EQ(n.pulls.size(), 1u);
  EXPECT_EQ(n.pulls[0].key, "260422900198363");
  EXPECT_EQ(n.pulls[0].payload, kTradePush);
  EXPECT_EQ(n.delivery_id, "1234567|260422900198363|260422900298363|unpaid|1603698638000");
  // Both lines of one order coalesce on the same key.
  Normalized other = adapter.normalize(message(kReversePush, headers));
  ASSERT_EQ(other.pulls.size(), 1u);
  EXPECT_EQ(other.pulls[0].key, "252883361348153");
  std::vector<Header> refetch = {{"X-Ordergate-Refetch", "1700000000000"}};
  EXPECT_EQ(adapter.normalize(message(kTradePush, refetch)).delivery_id,
            "1234567|260422900198363|260422900298363|unpaid|1603698638000#refetch:1700000000000");
}

TEST(LazadaAdapterNormalize, OtherMessageTypesAreIgnored) {
  LazadaAdapter adapter(config());
  std::vector<Header> headers;
  Normalized n = adapter.normalize(message(
      R"({"seller_id":"1","message_type":3,"data":{"item_id":1},"timestamp":1603766859,"site":"lazada_sg"})",
      headers));
  EXPECT_TRUE(n.pulls.empty());
  EXPECT_EQ(n.ignored, "message_type 3 (product created) carries no order; acknowledged, nothing forwarded");
  Normalized token = adapter.normalize(message(R"({"seller_id":"1","message_type":8,"data":{}})", headers));
  EXPECT_NE(token.ignored.find("token about to expire"), std::string::npos);
  Normalized broken = adapter.normalize(message(R"({"message_type":0,"data":{"order_status":"x"}})", headers));
  ASSERT_EQ(broken.errors.size(), 1u);
  EXPECT_EQ(broken.errors[0].field, "data.trade_order_id");
}

TEST(LazadaConfig, Errors) {
  auto bad_url = parseConfig(AdapterContext{"lz", settings({{"api_url", "api.lazada.sg"}})});
  ASSERT_FALSE(bad_url);
  EXPECT_EQ(bad_url.error().field, "channels.lz.api_url");
  auto unknown = parseConfig(AdapterContext{"lz", settings({{"secret", "x"}})});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "channels.lz.secret");
  auto site = parseConfig(AdapterContext{"lz", settings({{"site", "lazada_xx"}})});
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().field, "channels.lz.site");
  auto ok = parseConfig(AdapterContext{"lz", settings({{"site", "LAZADA-MY"}, {"api_url", "https://api.lazada.com.my/rest/"}})});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->site->code, "lazada_my");
  EXPECT_EQ(ok->api_url, "https://api.lazada.com.my/rest");
}

}  // namespace
}  // namespace ordergate::adapters::lazada
