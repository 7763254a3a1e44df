#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ordergate::gateway::forward {

/// One outbound HTTP request (POST unless `method` says "GET"). Plain data; no I/O types.
struct HttpRequest {
  std::string method = "POST";  ///< "POST" or "GET" (a GET sends no body)
  std::string url;
  std::string body;
  /// Sent as given ("Name", "value"); no folding or de-duplication.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The whole transfer: connect, send, wait, receive.
  std::chrono::milliseconds timeout{5000};
  /// Response bytes kept in HttpResponse::body_excerpt; the rest is read and dropped. Channel
  /// API reads (gateway/pulls/) raise it to keep whole answers.
  std::size_t max_response_body = 2048;
};

/// The outcome of one HttpRequest. Failures are values here, never exceptions.
struct HttpResponse {
  /// The HTTP status, or 0 when there was no (complete) HTTP answer: connection refused, DNS
  /// failure, timeout, reset, cancelled.
  int status = 0;
  /// The first HttpRequest::max_response_body bytes of the response body (the rest is read
  /// and dropped).
  std::string body_excerpt;
  /// The raw Retry-After header of the final response ("" when absent).
  std::string retry_after;
  /// The raw Content-Type header of the final response ("" when absent), e.g. for its charset.
  std::string content_type;
  /// libcurl's description of the failure when status == 0 ("cancelled" after stop()).
  std::string error;
  /// The transfer hit HttpRequest::timeout (or the connect timeout).
  bool timed_out = false;
  /// From send() to completion.
  std::chrono::microseconds elapsed{};

  static constexpr std::size_t kBodyExcerptLimit = 2048;
};

}  // namespace ordergate::gateway::forward
