#pragma once

#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/lazada/lazada_adapter.hpp"

namespace ordergate::adapters::lazada::testing {

/// Key and secret of the signature example in Lazada's push documentation (its body is elided
/// there, so the vectors in these tests are computed with openssl over the exact bytes).
inline constexpr std::string_view kAppKey = "123456";
inline constexpr std::string_view kAppSecret = "3412gyo124goi3124";

/// A settings tree for a lazada channel with the given extra scalar keys.
inline Settings settings(std::vector<std::pair<std::string, std::string>> extra = {}) {
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  auto put = [&](const std::string& k, const std::string& v) {
    SettingNode n;
    n.scalar = v;
    root.map[k] = n;
  };
  put("adapter", "lazada");
  put("app_key", std::string(kAppKey));
  put("app_secret", std::string(kAppSecret));
  put("api_url", "https://api.lazada.vn/rest");
  put("access_token", "test_token_abc");
  for (const auto& [k, v] : extra) {
    put(k, v);
  }
  return Settings("channels.lz", root);
}

inline LazadaConfig config(std::vector<std::pair<std::string, std::string>> extra = {}) {
  auto c = parseConfig(AdapterContext{"lz", settings(std::move(extra))});
  return c ? std::move(*c) : LazadaConfig{};
}

}  // namespace ordergate::adapters::lazada::testing
