#include "gateway/http/message.hpp"

namespace ordergate::gateway::http {
namespace {

// Splits off the next '/'-separated segment of `path`.
std::string_view nextSegment(std::string_view& path) {
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  auto slash = path.find('/');
  std::string_view seg = path.substr(0, slash);
  path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  return seg;
}

bool matchPattern(std::string_view pattern, std::string_view path, Request* req) {
  std::vector<std::pair<std::string_view, std::string_view>> params;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) {
      return false;
    }
    std::string_view p = nextSegment(pattern);
    std::string_view s = nextSegment(path);
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (s.empty()) {
        return false;
      }
      params.emplace_back(p.substr(1, p.size() - 2), s);
    } else if (p != s) {
      return false;
    }
  }
  if (req != nullptr) {
    req->params = std::move(params);
  }
  return true;
}

}  // namespace

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

std::string_view Request::queryParam(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
  }
  return {};
}

void Router::add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::match(std::string_view method, std::string_view path, Request* req) const {
  Match m;
  for (const Route& r : routes_) {
    if (matchPattern(r.pattern, path, nullptr)) {
      m.path_known = true;
      if (r.method == method) {
        matchPattern(r.pattern, path, req);
        m.route = &r;
        return m;
      }
    }
  }
  return m;
}

}  // namespace ordergate::gateway::http
