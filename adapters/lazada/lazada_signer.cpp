#include "adapters/lazada/lazada_signer.hpp"

#include <algorithm>

namespace ordergate::adapters::lazada {
namespace {

Params sorted(Params params) {
  std::sort(params.begin(), params.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return params;
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return text;
}

}  // namespace

std::string signingString(std::string_view api_path, const Params& params) {
  std::string out(api_path);
  for (const auto& [name, value] : sorted(params)) {
    if (name == "sign") {
      continue;
    }
    out += name;
    out += value;
  }
  return out;
}

std::string signApiRequest(const HmacSha256& secret, std::string_view api_path,
                           const Params& params) {
  return upper(hexEncode(secret.digest(signingString(api_path, params))));
}

std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string signedUrl(const HmacSha256& secret, std::string_view gateway,
                      std::string_view api_path, Params params) {
  params = sorted(std::move(params));
  std::string sign = signApiRequest(secret, api_path, params);
  std::string url(gateway);
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  url += api_path;
  char sep = '?';
  for (const auto& [name, value] : params) {
    url += sep;
    url += urlEncode(name);
    url += '=';
    url += urlEncode(value);
    sep = '&';
  }
  url += sep;
  url += "sign=";
  url += sign;
  return url;
}

}  // namespace ordergate::adapters::lazada
