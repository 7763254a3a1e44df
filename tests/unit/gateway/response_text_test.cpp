#include <sstream>

#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "gateway/http/response_text.hpp"

namespace ordergate::gateway::http {
namespace {

namespace bhttp = boost::beast::http;

// What the server wrote with Beast's serializer before responseText() replaced it.
std::string beastText(const Response& r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "ordergate/" ORDERGATE_VERSION);
  res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [k, v] : r.headers) {
    res.set(k, v);
  }
  res.body() = r.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  std::ostringstream out;
  out << res;
  return out.str();
}

TEST(ResponseText, IsWhatBeastWritesForTheSameAnswer) {
  Response accepted;
  accepted.body = R"({"status":"accepted","events":[]})";
  Response too_large = jsonError(413, "too_large", "body of 9 bytes exceeds the limit of 8");
  Response metrics;
  metrics.content_type = "text/plain; version=0.0.4; charset=utf-8";
  metrics.body = "ordergate_up 1\n";
  Response extra;
  extra.status = 503;
  extra.headers = {{"Retry-After", "1"}, {"X-Reason", "redis"}};
  for (const Response* r : {&accepted, &too_large, &metrics, &extra}) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {true, false}) {
        EXPECT_EQ(responseText(*r, version, keep_alive), beastText(*r, version, keep_alive))
            << r->status << " HTTP/" << version << " keep-alive " << keep_alive;
      }
    }
  }
}

TEST(ResponseText, SpellsOutStatusLengthAndConnection) {
  Response r;
  r.status = 202;
  r.body = "{}";
  EXPECT_EQ(responseText(r, 11, false),
            "HTTP/1.1 202 Accepted\r\nServer: ordergate/" ORDERGATE_VERSION
            "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
}

// Beast 1.81 writes "Content-Length: 0" here too; RFC 9110 (8.6) forbids it on a 204.
TEST(ResponseText, NoContentHasNoLength) {
  Response r;
  r.status = 204;
  EXPECT_EQ(responseText(r, 11, true),
            "HTTP/1.1 204 No Content\r\nServer: ordergate/" ORDERGATE_VERSION
            "\r\nContent-Type: application/json\r\n\r\n");
}

}  // namespace
}  // namespace ordergate::gateway::http
