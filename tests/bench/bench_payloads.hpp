#pragma once
// Shared inputs of the micro benchmarks: the Shopify golden payloads (tests/golden/channels/
// shopify/*/body.json), minified as Shopify sends them, with their headers, and a channel
// adapter built the way the gateway builds it.

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/shopify/shopify_adapter.hpp"

#ifndef ORDERGATE_SOURCE_DIR
#define ORDERGATE_SOURCE_DIR "."
#endif

namespace ordergate::bench {

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Shopify webhooks arrive as compact JSON; the golden files are pretty-printed for review.
inline std::string minify(const std::string& json) {
  std::string out(json.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), out.data(), length) != simdjson::SUCCESS) {
    return json;
  }
  out.resize(length);
  return out;
}

struct ShopifyCase {
  std::string name;
  std::string body;
  std::vector<std::pair<std::string, std::string>> header_storage;
  std::vector<adapters::Header> headers;  // views into header_storage

  [[nodiscard]] adapters::InboundMessage message(std::string_view channel_id) const {
    adapters::InboundMessage m;
    m.channel_id = channel_id;
    m.body = body;
    m.headers = adapters::HeaderView(headers);
    m.received_at = canonical::Timestamp(std::chrono::milliseconds(1772900000000));
    return m;
  }
  void addHeader(std::string name, std::string value) {
    header_storage.emplace_back(std::move(name), std::move(value));
  }
  void bindHeaders() {
    headers.clear();
    for (const auto& [k, v] : header_storage) {
      headers.push_back({k, v});
    }
  }
};

inline constexpr std::string_view kShopifySecret = "bench-shopify-secret";

// Cases with a full order payload whose normalisation succeeds (malformed, truncated and
// ignored topics are left out: they are not the hot path). Sorted by name.
inline std::vector<ShopifyCase> loadShopifyCases() {
  namespace fs = std::filesystem;
  std::vector<ShopifyCase> out;
  const fs::path root = fs::path(ORDERGATE_SOURCE_DIR) / "tests/golden/channels/shopify";
  for (const auto& dir : fs::directory_iterator(root)) {
    const std::string name = dir.path().filename().string();
    if (!dir.is_directory() || name.find("ignored") != std::string::npos ||
        name == "malformed_money" || name == "truncated_json") {
      continue;
    }
    ShopifyCase c;
    c.name = name;
    c.body = minify(readFile(dir.path() / "body.json"));
    simdjson::dom::parser parser;
    std::string headers_text = readFile(dir.path() / "headers.json");
    simdjson::dom::object headers;
    if (parser.parse(headers_text).get(headers) == simdjson::SUCCESS) {
      for (auto field : headers) {
        std::string_view value;
        if (field.value.get(value) == simdjson::SUCCESS) {
          c.addHeader(std::string(field.key), std::string(value));
        }
      }
    }
    c.addHeader("Content-Type", "application/json");
    adapters::HmacSha256 mac{std::string(kShopifySecret)};
    c.addHeader("X-Shopify-Hmac-Sha256", adapters::base64Encode(mac.digest(c.body)));
    c.bindHeaders();
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

inline adapters::SettingNode scalarNode(std::string v) {
  adapters::SettingNode n;
  n.scalar = std::move(v);
  return n;
}

inline adapters::ChannelAdapterPtr makeShopifyAdapter() {
  adapters::SettingNode root;
  root.kind = adapters::SettingNode::Kind::kMap;
  root.map["adapter"] = scalarNode("shopify");
  root.map["secret"] = scalarNode(std::string(kShopifySecret));
  auto adapter = adapters::shopify::createShopifyAdapter(
      adapters::AdapterContext{"shopify", adapters::Settings("channels.shopify", root)});
  return adapter ? *adapter : nullptr;
}

}  // namespace ordergate::bench
