#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/common/byte_sources.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"
#include "gateway/ingress/sp_api_impl.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/file_ingest.hpp"

namespace ordergate::gateway::ingress {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kReportsPath = "/reports/2021-06-30/reports";
constexpr std::string_view kDocumentsPath = "/reports/2021-06-30/documents/";
/// SP-API accepts at most this old a dataStartTime for order reports we ask for incrementally.
constexpr milliseconds kMaxWindow{30LL * 24 * 3600'000};

std::int64_t nowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339(std::int64_t ms) {
  return canonical::formatRfc3339(canonical::Timestamp(milliseconds(ms)));
}

std::string formEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// Top-level string members of a JSON object; missing or non-string members are absent.
std::optional<std::string> jsonString(simdjson::dom::parser& parser, const std::string& body,
                                      std::string_view key) {
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::string_view v;
  if (doc[key].get(v) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return std::string(v);
}

std::optional<std::int64_t> jsonInt(simdjson::dom::parser& parser, const std::string& body,
                                    std::string_view key) {
  simdjson::dom::element doc;
  std::int64_t v = 0;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS || doc[key].get(v) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return v;
}

std::string excerpt(const forward::HttpResponse& r) {
  if (r.status == 0) {
    return r.error;
  }
  return "HTTP " + std::to_string(r.status) + ": " + r.body_excerpt.substr(0, 300);
}

forward::HttpRequest apiRequest(const SpApiChannel& ch, std::string method, std::string url) {
  forward::HttpRequest req;
  req.method = std::move(method);
  req.url = std::move(url);
  req.timeout = kApiTimeout;
  req.max_response_body = 1024 * 1024;
  req.headers.emplace_back("x-amz-access-token", ch.access_token);
  req.headers.emplace_back("Accept", "application/json");
  req.headers.emplace_back("User-Agent", "ordergate/1.0 (Language=C++)");
  return req;
}

StepError apiError(const forward::HttpResponse& r, std::string_view step) {
  const bool auth = r.status == 401 || r.status == 403;
  return {auth ? "auth_error" : "api_error", std::string(step) + ": " + excerpt(r)};
}

}  // namespace

asio::awaitable<void> SpApiService::Impl::sleep(milliseconds d) {
  asio::steady_timer t(io, d);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<forward::HttpResponse> SpApiService::Impl::call(SpApiChannel& ch,
                                                                forward::HttpRequest req,
                                                                std::string_view step) {
  forward::HttpResponse r;
  for (int attempt = 1; !stopping; ++attempt) {
    forward::HttpRequest copy = req;
    r = co_await http->post(std::move(copy));
    if (forward::classify(r) != forward::Verdict::kRetry || attempt >= kMaxAttempts) {
      co_return r;
    }
    auto retry_after = forward::parseRetryAfter(r.retry_after, std::chrono::system_clock::now());
    const milliseconds delay = policy.backoff(attempt, retry_after, random);
    log::warn("sp-api call retried", {{"channel", ch.id}, {"step", step},
                                      {"status", r.status}, {"attempt", attempt},
                                      {"delay_ms", static_cast<long long>(delay.count())}});
    co_await sleep(delay);
  }
  co_return r;
}

asio::awaitable<std::optional<StepError>> SpApiService::Impl::refreshToken(SpApiChannel& ch) {
  if (!ch.access_token.empty() && std::chrono::steady_clock::now() < ch.token_expiry) {
    co_return std::nullopt;
  }
  forward::HttpRequest req;
  req.url = ch.lwa_url;
  req.timeout = kApiTimeout;
  req.max_response_body = 64 * 1024;
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
  req.body = "grant_type=refresh_token&refresh_token=" + formEncode(ch.refresh_token) +
             "&client_id=" + formEncode(ch.client_id) + "&client_secret=" + formEncode(ch.client_secret);
  forward::HttpResponse r = co_await call(ch, std::move(req), "lwa_token");
  if (r.status / 100 != 2) {
    // LWA answers 400 invalid_grant / invalid_client for bad credentials.
    const bool auth = r.status == 400 || r.status == 401 || r.status == 403;
    co_return StepError{auth ? "auth_error" : "api_error", "lwa_token: " + excerpt(r)};
  }
  simdjson::dom::parser parser;
  auto token = jsonString(parser, r.body_excerpt, "access_token");
  if (!token || token->empty()) {
    co_return StepError{"api_error", "lwa_token: no access_token in the answer"};
  }
  const std::int64_t expires_in = jsonInt(parser, r.body_excerpt, "expires_in").value_or(3600);
  ch.access_token = std::move(*token);
  ch.token_expiry = std::chrono::steady_clock::now() +
                    std::chrono::seconds(std::max<std::int64_t>(0, expires_in - 60));
  co_return std::nullopt;
}

asio::awaitable<void> SpApiService::Impl::channelLoop(SpApiChannel& ch) {
  while (!stopping) {
    auto state = co_await redis->exec("HGET", ch.state_key, "cursor_ms");
    state = store::asResult(std::move(state));
    if (!state) {
      co_await sleep(milliseconds(1000));
      continue;
    }
    std::optional<std::int64_t> cursor;
    if (state->isString()) {
      cursor = std::atoll(state->str.c_str());
    }
    const std::int64_t now = nowMs();
    if (cursor && now < *cursor + ch.interval.count()) {
      co_await sleep(milliseconds(*cursor + ch.interval.count() - now));
      continue;
    }
    const std::string outcome = co_await run(ch, cursor);
    if (stopping) {
      co_return;
    }
    runs.with({ch.id, outcome}).inc();
    {
      std::lock_guard lock(status_mutex);
      ch.status = outcome == "ingested" || outcome == "cancelled"
                      ? std::string("ok")
                      : "alert: " + outcome + ": " + ch.last_error.substr(0, 300);
    }
    if (outcome != "ingested" && outcome != "cancelled") {
      // The window is asked for again (wider) at the next interval: no retry storm.
      co_await sleep(ch.interval);
    }
  }
}

asio::awaitable<std::string> SpApiService::Impl::run(SpApiChannel& ch,
                                                     std::optional<std::int64_t> cursor_ms) {
  const std::int64_t started = nowMs();
  std::int64_t start = (cursor_ms ? *cursor_ms : started) - ch.lookback.count();
  start = std::max(start, started - kMaxWindow.count());
  const std::string data_start = rfc3339(start);
  auto failed = [&](const StepError& e) {
    log::error("sp-api report run failed", {{"channel", ch.id}, {"outcome", e.outcome},
                                            {"error", e.message}});
    if (e.outcome == "auth_error") {
      ch.access_token.clear();
    }
    ch.last_error = e.message;
    return e.outcome;
  };
  if (auto e = co_await refreshToken(ch)) {
    co_return failed(*e);
  }
  // createReport
  std::string body = R"({"reportType":)";
  canonical::appendJsonString(body, ch.report_type);
  body += R"(,"marketplaceIds":[)";
  for (std::size_t i = 0; i < ch.marketplace_ids.size(); ++i) {
    body += i > 0 ? "," : "";
    canonical::appendJsonString(body, ch.marketplace_ids[i]);
  }
  body += R"(],"dataStartTime":)";
  canonical::appendJsonString(body, data_start);
  body += '}';
  forward::HttpRequest create = apiRequest(ch, "POST", ch.endpoint + std::string(kReportsPath));
  create.headers.emplace_back("Content-Type", "application/json");
  create.body = std::move(body);
  forward::HttpResponse r = co_await call(ch, std::move(create), "create_report");
  simdjson::dom::parser parser;
  auto report_id = r.status / 100 == 2 ? jsonString(parser, r.body_excerpt, "reportId") : std::nullopt;
  if (!report_id) {
    co_return failed(r.status / 100 == 2 ? StepError{"api_error", "create_report: no reportId"}
                                         : apiError(r, "create_report"));
  }
  log::info("sp-api report requested", {{"channel", ch.id}, {"report_id", *report_id},
                                        {"data_start_time", data_start}});
  // getReport until DONE
  std::string document_id;
  const auto deadline = std::chrono::steady_clock::now() + ch.report_timeout;
  while (!stopping) {
    r = co_await call(ch, apiRequest(ch, "GET", ch.endpoint + std::string(kReportsPath) + "/" + *report_id),
                      "get_report");
    if (r.status / 100 != 2) {
      co_return failed(apiError(r, "get_report"));
    }
    const std::string status = jsonString(parser, r.body_excerpt, "processingStatus").value_or("");
    if (status == "DONE") {
      document_id = jsonString(parser, r.body_excerpt, "reportDocumentId").value_or("");
      break;
    }
    if (status == "CANCELLED") {
      // Amazon cancels a report that has no data: the window is done.
      log::info("sp-api report cancelled (no data)", {{"channel", ch.id}, {"report_id", *report_id}});
      co_await redis->exec("HSET", ch.state_key, "cursor_ms", std::to_string(started),
                           "data_start_time", data_start);
      co_return std::string("cancelled");
    }
    if (status == "FATAL") {
      co_return failed({"fatal", "report " + *report_id + " ended FATAL"});
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return failed({"timeout", "report " + *report_id + " still " + status});
    }
    co_await sleep(ch.poll);
  }
  if (stopping) {
    co_return std::string("stopped");
  }
  if (document_id.empty()) {
    co_return failed({"api_error", "get_report: DONE without reportDocumentId"});
  }
  // getReportDocument
  r = co_await call(ch, apiRequest(ch, "GET", ch.endpoint + std::string(kDocumentsPath) + document_id),
                    "get_report_document");
  if (r.status / 100 != 2) {
    co_return failed(apiError(r, "get_report_document"));
  }
  const std::string url = jsonString(parser, r.body_excerpt, "url").value_or("");
  const std::string compression = jsonString(parser, r.body_excerpt, "compressionAlgorithm").value_or("");
  if (url.empty()) {
    co_return failed({"api_error", "get_report_document: no url"});
  }
  // Download: a pre-signed URL (valid 5 minutes); no SP-API token. GZIP is inflated by the reader.
  forward::HttpRequest download;
  download.method = "GET";
  download.url = url;
  download.timeout = kDownloadTimeout;
  download.max_response_body = ch.max_report_size + 1;
  r = co_await call(ch, std::move(download), "download");
  if (r.status / 100 != 2) {
    co_return failed(apiError(r, "download"));
  }
  if (r.body_excerpt.size() > ch.max_report_size) {
    co_return failed({"too_large", "report document larger than max_report_size"});
  }
  adapters::FileContext ctx;
  ctx.channel_id = ch.id;
  ctx.content_type = r.content_type;
  ctx.file_name = ch.report_type + "-" + *report_id + (compression == "GZIP" ? ".tsv.gz" : ".tsv");
  ctx.received_at = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
  const std::string file_name = ctx.file_name;
  auto source = std::make_unique<adapters::MemoryByteSource>(std::move(r.body_excerpt));
  pipeline::FileIngestResult result = co_await files.ingest(*redis, *ch.adapter, std::move(source), std::move(ctx));
  if (!result.summary.file_errors.empty()) {
    co_return failed({"rejected", result.toJson(file_name)});
  }
  if (result.storage_failed) {
    co_return failed({"store_error", "Redis unavailable part-way; the window is asked for again"});
  }
  auto saved = co_await redis->exec("HSET", ch.state_key, "cursor_ms", std::to_string(started),
                                    "data_start_time", data_start, "report_id", *report_id);
  if (!store::asResult(std::move(saved))) {
    co_return failed({"store_error", "cursor not saved; the window is asked for again"});
  }
  log::info("sp-api report ingested",
            {{"channel", ch.id}, {"report_id", *report_id}, {"file", file_name},
             {"rows", static_cast<long long>(result.summary.rows)},
             {"orders", static_cast<long long>(result.orders.size())},
             {"encoding", result.summary.encoding},
             {"quarantined", static_cast<long long>(result.counts["quarantined"])}});
  co_return std::string("ingested");
}

}  // namespace ordergate::gateway::ingress
