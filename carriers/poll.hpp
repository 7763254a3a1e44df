#pragma once

// Polling a carrier's tracking API, described by configuration (the carrier block's `poll:`).
// Everything here is pure: request building, templating, auth headers, token parsing and
// schedule arithmetic. The gateway (gateway/trackings/) does the I/O.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/settings.hpp"
#include "canonical/error.hpp"

namespace ordergate::carriers {

using Headers = std::vector<std::pair<std::string, std::string>>;

enum class AuthKind { kNone, kApiKey, kBasic, kOAuthClientCredentials };

/// `poll.auth`.
struct AuthConfig {
  AuthKind kind = AuthKind::kNone;
  std::string header = "Authorization";  ///< api_key: the header that carries the key
  std::string prefix;                    ///< api_key: put before the key ("Bearer ", "apikey ")
  std::string key;                       ///< api_key
  std::string username;                  ///< basic
  std::string password;                  ///< basic
  std::string token_url;                 ///< oauth_client_credentials
  std::string client_id;
  std::string client_secret;
  std::string scope;                     ///< optional
  bool client_auth_basic = false;        ///< send client id/secret as Basic instead of the form
};

/// A carrier's `poll:` block.
struct PollConfig {
  std::string url;  ///< template: `{tracking_number}` (URL-encoded in the URL)
  std::string method = "GET";
  std::string body;  ///< template for POST APIs (escaped for the content type)
  std::string content_type = "application/json";
  Headers headers;  ///< extra static headers (`headers: {Accept: application/json}`)
  AuthConfig auth;
  std::chrono::milliseconds interval{15 * 60 * 1000};  ///< between polls of one shipment
  double max_requests_per_second = 5.0;                 ///< per carrier, token calls included
  std::chrono::milliseconds timeout{10'000};
  std::string poll_mapping;  ///< optional mapping file for responses (default: the carrier's)
};

/// One HTTP request to make (method, URL, headers, body); plain data.
struct ApiRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
};

/// Parses `poll:` (settings = the poll block, path e.g. "carriers.dhl.poll"). Errors kConfig
/// naming the key: unknown keys, missing url, unknown placeholder, bad auth kind, bad duration.
[[nodiscard]] Result<PollConfig> parsePollConfig(const adapters::Settings& poll);

/// "250ms", "10s", "5m", "2h", "1d" or a bare number of seconds.
[[nodiscard]] std::optional<std::chrono::milliseconds> parseInterval(std::string_view text);

/// RFC 3986 percent-encoding of everything but unreserved characters.
[[nodiscard]] std::string urlEncode(std::string_view text);

enum class Escape { kNone, kUrl, kJson, kXml, kForm };
/// Replaces `{tracking_number}` with `tracking_number`, escaped as asked. `{{` is a literal `{`.
[[nodiscard]] std::string expandTemplate(std::string_view tmpl, std::string_view tracking_number,
                                         Escape escape);
/// Placeholders other than `{tracking_number}` in a template, for config validation.
[[nodiscard]] std::vector<std::string> unknownPlaceholders(std::string_view tmpl);

/// The poll request for one tracking number; `access_token` is used for oauth only.
[[nodiscard]] ApiRequest buildPollRequest(const PollConfig& cfg, std::string_view tracking_number,
                                          std::string_view access_token);
/// The auth headers alone (api_key, basic, bearer token).
[[nodiscard]] Headers authHeaders(const AuthConfig& auth, std::string_view access_token);
/// The client-credentials token request (RFC 6749 §4.4), form-encoded.
[[nodiscard]] ApiRequest buildTokenRequest(const AuthConfig& auth);

/// An access token as the token endpoint returned it.
struct Token {
  std::string access_token;
  std::chrono::seconds expires_in{3600};  ///< 3600 when the answer has none
};
/// Parses `{"access_token": "…", "expires_in": 3599, …}` (expires_in as number or string).
/// Error kInvalidInput when it is not JSON or has no access_token.
[[nodiscard]] Result<Token> parseTokenResponse(std::string_view body);

/// A cached token: valid until shortly before it expires (a tenth of its life, at most 60 s).
class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  void store(const Token& token, Clock::time_point now);
  [[nodiscard]] std::optional<std::string> get(Clock::time_point now) const;
  void invalidate() { token_.clear(); }

 private:
  std::string token_;
  Clock::time_point refresh_at_{};
};

/// Spaces requests `1/max_rps` apart: returns when the next request may start (≥ now) and
/// remembers it. Not thread-safe (one per carrier on the worker thread).
class RateLimiter {
 public:
  explicit RateLimiter(double max_requests_per_second);
  [[nodiscard]] std::int64_t reserve(std::int64_t now_ms);

 private:
  std::int64_t spacing_ms_;
  std::int64_t next_ms_ = 0;
};

/// When a shipment is polled next after a successful poll at `now_ms`.
[[nodiscard]] std::int64_t nextPollMs(const PollConfig& cfg, std::int64_t now_ms);

}  // namespace ordergate::carriers
