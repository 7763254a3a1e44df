#pragma once

#include <string>

#include "gateway/http/message.hpp"

namespace ordergate::gateway::http {

/// The whole HTTP/1.x answer (status line, headers, body) as one buffer: what Beast's
/// serializer writes for the same response (Server, Content-Type, the extra headers,
/// Content-Length, Connection as `keep_alive` and the version need), without building a Beast
/// message per answer (≈ 4 µs of CPU per webhook, docs/PERFORMANCE.md). `version` is 10 or 11.
[[nodiscard]] std::string responseText(const Response& response, unsigned version, bool keep_alive);

}  // namespace ordergate::gateway::http
