#include "canonical/json.hpp"
#include "gateway/http/message.hpp"

namespace ordergate::gateway::http {

// The one table from error codes to HTTP answers (see STYLE.md, "Errors").
unsigned httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kUnsupported: return 415;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kConfig: return 500;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {
std::string_view codeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kUnauthenticated: return "unauthorized";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kConfig: return "config";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}
}  // namespace

Response jsonError(unsigned status, std::string_view code, std::string_view message,
                   std::string_view field) {
  Response r;
  r.status = status;
  r.body.reserve(64 + message.size());
  r.body += "{\"error\":";
  canonical::appendJsonString(r.body, code);
  r.body += ",\"message\":";
  canonical::appendJsonString(r.body, message);
  if (!field.empty()) {
    r.body += ",\"field\":";
    canonical::appendJsonString(r.body, field);
  }
  r.body += "}";
  return r;
}

Response errorResponse(const Error& error) {
  return jsonError(httpStatus(error.code), codeName(error.code), error.message, error.field);
}

}  // namespace ordergate::gateway::http
