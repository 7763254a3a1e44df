#include "gateway/http/response_text.hpp"

#include <charconv>

#include <boost/beast/http/status.hpp>

namespace ordergate::gateway::http {

namespace {

void appendNumber(std::string& out, std::size_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  (void)ec;
  out.append(digits, end);
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

std::string responseText(const Response& r, unsigned version, bool keep_alive) {
  const auto reason = boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(r.status));
  std::string out;
  out.reserve(160 + r.content_type.size() + r.body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  appendNumber(out, r.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  appendHeader(out, "Server", "ordergate/" ORDERGATE_VERSION);
  appendHeader(out, "Content-Type", r.content_type);
  for (const auto& [name, value] : r.headers) {
    appendHeader(out, name, value);
  }
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (version >= 11 && !keep_alive) {
    appendHeader(out, "Connection", "close");
  } else if (version < 11 && keep_alive) {
    appendHeader(out, "Connection", "keep-alive");
  }
  // Informational, 204 and 304 answers carry no body and no Content-Length.
  const bool bodyless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodyless) {
    out += "Content-Length: ";
    appendNumber(out, r.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  if (!bodyless) {
    out += r.body;
  }
  return out;
}

}  // namespace ordergate::gateway::http
