#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace ordergate {

/// What kind of failure an Error is. The gateway maps each code to an HTTP status and to a
/// retry / dead-letter / quarantine decision in one table (gateway/http/error_status.cpp).
enum class ErrorCode {
  kInvalidInput,     ///< a payload that cannot be read or normalised (quarantine)
  kUnauthenticated,  ///< missing or wrong signature / credential (401)
  kNotFound,         ///< unknown channel, carrier, entry (404)
  kUnsupported,      ///< unsupported media type, topic, report (415 / ignored)
  kTooLarge,         ///< over a configured limit (413)
  kUnavailable,      ///< a dependency (Redis, OMS, channel API) is down: retry later (503)
  kConfig,           ///< invalid configuration (exit status 2)
  kInternal,         ///< a bug: our own invariant failed (500)
};

/// A small, copyable description of an expected failure.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  ///< human readable, names the offending value
  std::string field;    ///< path of the offending field / key / line, may be empty
};

template <class T>
using Result = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string message,
                                                std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

/// One problem found while normalising or validating, e.g. {"lines[1].quantity", "must be > 0"}.
struct FieldError {
  std::string field;
  std::string message;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

/// "field: message" (or just the message when the field is empty).
inline std::string describe(const FieldError& e) {
  return e.field.empty() ? e.message : e.field + ": " + e.message;
}
inline std::string describe(const Error& e) {
  return e.field.empty() ? e.message : e.field + ": " + e.message;
}

}  // namespace ordergate
