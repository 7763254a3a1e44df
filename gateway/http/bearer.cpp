#include "gateway/http/bearer.hpp"

#include "adapters/common/crypto.hpp"

namespace ordergate::gateway::http {

bool bearerMatches(const Request& req, std::string_view token) {
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view auth = req.headerView().get("authorization");
  return !token.empty() && auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer &&
         adapters::constantTimeEquals(auth.substr(kBearer.size()), token);
}

}  // namespace ordergate::gateway::http
