#pragma once

#include <string_view>

#include "gateway/http/message.hpp"

namespace ordergate::gateway::http {

/// True when `token` is not empty and the request carries `Authorization: Bearer <token>`
/// (compared in constant time).
[[nodiscard]] bool bearerMatches(const Request& req, std::string_view token);

}  // namespace ordergate::gateway::http
