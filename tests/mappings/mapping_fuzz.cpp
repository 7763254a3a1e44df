// libFuzzer entry for the mapping engine's JSON and XML readers and carrier/channel runners:
// the bytes go through the shipped easypost (JSON carrier), ups-xml (XML carrier) and
// woocommerce (JSON channel) plans. Invariant: every result is events that pass canonical
// validation, or errors, or an ignore reason — never a crash, never an invalid event.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "adapters/mapping/mapping.hpp"
#include "canonical/validate.hpp"
#include "gateway/config/yaml_tree.hpp"

namespace {

using namespace ordergate;

std::vector<adapters::ChannelAdapterPtr> buildAdapters() {
  std::vector<adapters::ChannelAdapterPtr> out;
  for (const char* name : {"easypost", "ups-xml", "woocommerce"}) {
    std::string path = std::string(ORDERGATE_SOURCE_DIR) + "/mappings/" + name + "/mapping.yaml";
    auto tree = gateway::config::loadYamlTree(path);
    if (!tree) std::abort();
    auto plan = adapters::mapping::compileMapping(*tree, path);
    if (!plan) std::abort();
    adapters::SettingNode settings;
    settings.kind = adapters::SettingNode::Kind::kMap;
    for (const std::string& key : adapters::mapping::mappingSettingKeys(**plan)) {
      adapters::SettingNode v;
      v.scalar = "fuzz-setting";
      settings.map.emplace(key, v);
    }
    adapters::SettingNode secret;
    secret.scalar = "fuzz-secret";
    settings.map.emplace("secret", secret);
    auto adapter = adapters::mapping::createMappingAdapter(
        adapters::AdapterContext{name, adapters::Settings(std::string("carriers.") + name, settings)}, *plan);
    if (!adapter) std::abort();
    out.push_back(*adapter);
  }
  return out;
}

}  // namespace

/// Valid events produced so far (the replay test checks the seeds really normalise).
long g_mapping_fuzz_events = 0;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<adapters::ChannelAdapterPtr> adapters = buildAdapters();
  const std::string body(reinterpret_cast<const char*>(data), size);
  adapters::Header headers[] = {{"X-WC-Webhook-Topic", "order.updated"},
                                {"Content-Type", "application/json"}};
  adapters::InboundMessage msg;
  msg.channel_id = "fuzz";
  msg.body = body;
  msg.headers = adapters::HeaderView(headers);
  msg.received_at = canonical::Timestamp(std::chrono::milliseconds(1767225600000));
  for (const auto& adapter : adapters) {
    adapters::Normalized n = adapter->normalize(msg);
    if (!n.errors.empty() || !n.ignored.empty()) {
      continue;
    }
    for (const auto& ev : n.events) {
      const bool valid = std::visit([](const auto& d) { return canonical::validate(d).empty(); }, ev.data);
      if (!valid) std::abort();
      ++g_mapping_fuzz_events;
    }
  }
  return 0;
}
