#pragma once

#include <optional>
#include <string_view>

#include "adapters/pull.hpp"

namespace ordergate::adapters::lazada {

/// The one table from a Lazada API error to a decision:
///  - token refused (IllegalAccessToken, IllegalRefreshToken, MissingAccessToken, …) →
///    kAuthAlert: the job waits for the credentials to be fixed;
///  - call limits (ApiCallLimit, AppCallLimit, SellerCallLimit, …), service timeouts and every
///    `type` "ISP" error (a backend service error) → kRetry;
///  - anything else (IncompleteSignature, InvalidParameter, order not found …) → kDeadLetter.
[[nodiscard]] PullOutcome::Kind classifyApiError(std::string_view code, std::string_view type);

/// The kind for an HTTP answer without a Lazada envelope: status 0, 408, 425, 429 and 5xx →
/// kRetry; anything else that is not 2xx → kDeadLetter; 2xx → nullopt (read the envelope).
[[nodiscard]] std::optional<PullOutcome::Kind> classifyHttpStatus(int status);

}  // namespace ordergate::adapters::lazada
