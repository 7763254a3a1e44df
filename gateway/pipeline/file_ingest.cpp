#include "gateway/pipeline/file_ingest.hpp"

#include "adapters/common/byte_sources.hpp"
#include "adapters/common/crypto.hpp"
#include "canonical/json.hpp"
#include "gateway/app/worker.hpp"
#include "gateway/http/bearer.hpp"
#include "gateway/log/log.hpp"
#include "gateway/pipeline/outbox_event.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/quarantine.hpp"
#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::pipeline {

namespace asio = boost::asio;

namespace {

std::string joinLines(const std::vector<std::size_t>& lines) {
  std::string out;
  for (std::size_t l : lines) {
    if (!out.empty()) out += ',';
    out += std::to_string(l);
  }
  return out;
}

void appendProblems(std::string& out, const std::vector<adapters::FileProblem>& problems) {
  out += '[';
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"line":)" + std::to_string(problems[i].line) + R"(,"column":)";
    canonical::appendJsonString(out, problems[i].column);
    out += R"(,"message":)";
    canonical::appendJsonString(out, problems[i].message);
    out += '}';
  }
  out += ']';
}

FieldErrors toFieldErrors(const std::vector<adapters::FileProblem>& problems) {
  FieldErrors out;
  for (const auto& p : problems) {
    std::string field = "line " + std::to_string(p.line);
    if (!p.column.empty()) field += ": " + p.column;
    out.push_back({std::move(field), p.message});
  }
  return out;
}

std::string_view decisionName(store::Decision d) {
  switch (d) {
    case store::Decision::kAccepted: return "accepted";
    case store::Decision::kDuplicate: return "duplicate";
    case store::Decision::kStale: return "stale";
  }
  return "accepted";
}

}  // namespace

std::string FileIngestResult::toJson(std::string_view file_name) const {
  std::string out = R"({"status":)";
  canonical::appendJsonString(out, !summary.file_errors.empty() ? "rejected"
                                   : storage_failed             ? "incomplete"
                                                                : "processed");
  out += R"(,"file":)";
  canonical::appendJsonString(out, file_name);
  out += R"(,"report_type":)";
  canonical::appendJsonString(out, summary.report_type);
  out += R"(,"encoding":)";
  canonical::appendJsonString(out, summary.encoding);
  out += R"(,"rows":)" + std::to_string(summary.rows);
  out += R"(,"counts":{)";
  bool first = true;
  for (const auto& [status, n] : counts) {
    if (!first) out += ',';
    first = false;
    canonical::appendJsonString(out, status);
    out += ':' + std::to_string(n);
  }
  out += "}";
  if (!summary.file_errors.empty()) {
    out += R"(,"errors":)";
    appendProblems(out, summary.file_errors);
  }
  out += R"(,"orders":[)";
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const FileOrderOutcome& o = orders[i];
    if (i > 0) out += ',';
    out += R"({"order_id":)";
    canonical::appendJsonString(out, o.order_id);
    out += R"(,"lines":)";
    canonical::appendJsonString(out, o.lines);
    out += R"(,"status":)";
    canonical::appendJsonString(out, o.status);
    if (!o.event_id.empty()) {
      out += R"(,"event_id":")" + o.event_id + R"(","type":")" + o.type + '"';
    }
    if (!o.quarantine_id.empty()) {
      out += R"(,"quarantine_id":)";
      canonical::appendJsonString(out, o.quarantine_id);
    }
    if (!o.problems.empty()) {
      out += R"(,"errors":)";
      appendProblems(out, o.problems);
    }
    out += '}';
  }
  out += "]}";
  return out;
}

FileIngest::FileIngest(const config::Config& cfg,
                       std::map<std::string, adapters::FileAdapterPtr, std::less<>> adapters,
                       store::Keys keys, metrics::Registry& metrics)
    : cfg_(cfg),
      adapters_(std::move(adapters)),
      keys_(std::move(keys)),
      orders_(metrics.counter("ordergate_file_orders_total",
                              "Orders read from flat files per channel by outcome",
                              {"channel", "outcome"})) {
  for (const auto& ch : cfg.channels) {
    if (adapters_.count(ch.id) != 0) {
      upload_tokens_[ch.id] = ch.settings.optional("upload_token").value_or("");
    }
  }
}

const adapters::FileAdapter* FileIngest::adapter(std::string_view channel) const {
  auto it = adapters_.find(channel);
  return it == adapters_.end() ? nullptr : it->second.get();
}

asio::awaitable<FileIngestResult> FileIngest::ingest(store::RedisClient& redis,
                                                    const adapters::FileAdapter& adapter,
                                                    std::unique_ptr<adapters::ByteSource> source,
                                                    adapters::FileContext ctx) {
  FileIngestResult result;
  std::unique_ptr<adapters::FileReader> reader = adapter.open(std::move(source), ctx);
  // One FileOrder for the whole file: the reader refills it, reusing its buffers.
  adapters::FileOrder order;
  while (reader->nextInto(order)) {
    FileOrderOutcome out;
    out.order_id = order.order_id;
    out.lines = joinLines(order.lines);
    if (result.storage_failed) {
      out.status = "unavailable";
    } else if (order.event) {
      auto outbox = toOutboxEvent(*order.event, ctx.channel_id);
      if (!outbox) {
        order.problems.push_back({0, "version", outbox.error().message});
      } else {
        auto decided = co_await store::decide(redis, keys_, *outbox, cfg_.pipeline.dedup_ttl);
        if (decided) {
          out.status = decisionName(decided->decision);
          out.event_id = outbox->id;
          out.type = decided->decision == store::Decision::kAccepted ? decided->type : outbox->type;
        } else {
          out.status = "unavailable";
          result.storage_failed = true;
        }
      }
    }
    if (out.status.empty()) {
      out.problems = order.problems;
      store::QuarantineEntry entry;
      entry.channel = ctx.channel_id;
      entry.kind = "file";
      entry.received_at_ms = ctx.received_at.time_since_epoch().count();
      entry.body = std::move(order.raw);
      entry.headers = {{"x-ordergate-file", ctx.file_name}, {"x-ordergate-lines", out.lines},
                       {"content-type", "text/tab-separated-values; charset=utf-8"}};
      entry.errors = toFieldErrors(order.problems);
      auto id = co_await store::quarantine(redis, keys_, std::move(entry));
      if (id) {
        out.status = "quarantined";
        out.quarantine_id = *id;
      } else {
        out.status = "unavailable";
        result.storage_failed = true;
      }
    }
    orders_.with({ctx.channel_id, out.status}).inc();
    ++result.counts[out.status];
    result.orders.push_back(std::move(out));
  }
  result.summary = reader->summary();
  co_return result;
}

asio::awaitable<http::Response> FileIngest::upload(http::Request& req) {
  std::string_view id = req.param("id");
  const adapters::FileAdapter* file_adapter = adapter(id);
  if (file_adapter == nullptr) {
    co_return http::jsonError(404, "not_found",
                              "channel \"" + std::string(id) + "\" does not take flat files");
  }
  // Flat files carry no signature: a channel may require a bearer token for uploads.
  auto token_it = upload_tokens_.find(id);
  const std::string token = token_it == upload_tokens_.end() ? std::string() : token_it->second;
  if (!token.empty()) {
    if (!http::bearerMatches(req, token)) {
      co_return http::jsonError(401, "unauthorized", "missing or wrong bearer token for uploads");
    }
  }
  adapters::FileContext ctx;
  ctx.channel_id = std::string(id);
  ctx.content_type = std::string(req.headerView().get("content-type"));
  ctx.file_name = std::string(req.queryParam("name"));
  if (ctx.file_name.empty()) {
    ctx.file_name = "upload-" + std::to_string(req.received_at.time_since_epoch().count());
  }
  ctx.received_at = std::chrono::time_point_cast<std::chrono::milliseconds>(req.received_at);
  auto source = std::make_unique<adapters::MemoryByteSource>(std::move(req.body));
  FileIngestResult result = co_await ingest(*currentWorker()->redis, *file_adapter,
                                            std::move(source), ctx);
  http::Response r;
  r.status = !result.summary.file_errors.empty() ? 422 : result.storage_failed ? 503 : 200;
  r.body = result.toJson(ctx.file_name);
  log::info("file ingested", {{"channel", id}, {"file", ctx.file_name},
                              {"rows", static_cast<long long>(result.summary.rows)},
                              {"orders", static_cast<long long>(result.orders.size())}});
  co_return r;
}

}  // namespace ordergate::gateway::pipeline
