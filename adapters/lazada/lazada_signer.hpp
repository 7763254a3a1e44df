#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/crypto.hpp"

namespace ordergate::adapters::lazada {

using Params = std::vector<std::pair<std::string, std::string>>;

/// The string Lazada signs: `api_path` followed by name + value of every parameter, sorted by
/// name in byte order, values raw (not URL-encoded). `sign` itself is skipped.
[[nodiscard]] std::string signingString(std::string_view api_path, const Params& params);

/// Lazada's API signature: upper-case hex HMAC-SHA256(app_secret, signingString()). `secret` is
/// keyed with the app secret. Thread-safe.
[[nodiscard]] std::string signApiRequest(const HmacSha256& secret, std::string_view api_path,
                                         const Params& params);

/// RFC 3986 percent-encoding of a query value (unreserved characters kept).
[[nodiscard]] std::string urlEncode(std::string_view text);

/// `gateway + api_path + "?" + name=value&…` (sorted, encoded) with `sign` appended.
[[nodiscard]] std::string signedUrl(const HmacSha256& secret, std::string_view gateway,
                                    std::string_view api_path, Params params);

}  // namespace ordergate::adapters::lazada
