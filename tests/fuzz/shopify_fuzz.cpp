// libFuzzer target: arbitrary bytes through the Shopify adapter's verify() and normalize().
// Seed corpus: tests/golden/channels/shopify/*/body.json.
//
// Besides memory errors (ASan) it checks the adapter's contract: exactly one of events /
// errors / ignored, and every emitted order passes canonical::validate().

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/shopify/shopify_adapter.hpp"
#include "canonical/json.hpp"
#include "canonical/validate.hpp"

namespace {

using namespace ordergate;

const adapters::ChannelAdapter& fuzzAdapter() {
  static const adapters::ChannelAdapterPtr adapter = [] {
    adapters::SettingNode root;
    root.kind = adapters::SettingNode::Kind::kMap;
    adapters::SettingNode secret;
    secret.scalar = "fuzz-secret";
    root.map["secret"] = secret;
    auto created = adapters::shopify::createShopifyAdapter(
        adapters::AdapterContext{"fuzz", adapters::Settings("channels.fuzz", root)});
    if (!created) {
      std::abort();
    }
    return *created;
  }();
  return *adapter;
}

constexpr std::string_view kTopics[] = {"orders/updated", "orders/create", "orders/cancelled",
                                        "orders/edited"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const adapters::ChannelAdapter& adapter = fuzzAdapter();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // The topic comes from the size so that the seed bodies (all starting with '{') vary too.
  const adapters::Header headers[] = {
      {"X-Shopify-Topic", kTopics[size % std::size(kTopics)]},
      {"X-Shopify-Hmac-Sha256", "Ni/WSYFk3CgGNitmBYmDPC2hWjvXGATfybgJ+cewtu8="},
      {"X-Shopify-Shop-Domain", "fuzz.myshopify.com"},
      {"X-Shopify-Event-Id", "fuzz-event"},
  };
  adapters::InboundMessage msg;
  msg.channel_id = "fuzz";
  msg.body = body;
  msg.headers = adapters::HeaderView(headers);

  (void)adapter.verify(msg);
  const adapters::Normalized out = adapter.normalize(msg);

  const int shapes =
      (out.errors.empty() ? 0 : 1) + (out.ignored.empty() ? 0 : 1) + (out.events.empty() ? 0 : 1);
  if (shapes != 1) {
    std::abort();
  }
  for (const auto& event : out.events) {
    const auto* order = std::get_if<canonical::Order>(&event.data);
    if (order == nullptr || !canonical::validate(*order).empty()) {
      std::abort();
    }
    const std::string json = canonical::writeOrderJson(*order);
    if (json.empty() || json.front() != '{') {
      std::abort();
    }
  }
  return 0;
}
