#pragma once

// Helpers shared by the Amazon adapter tests: build an adapter from settings, read a whole
// file, render the results as the golden JSON shape.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/amazon/amazon_file_adapter.hpp"
#include "adapters/common/byte_sources.hpp"
#include "canonical/event.hpp"
#include "canonical/json.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::amazon::testing {

inline Settings makeSettings(const std::map<std::string, std::string>& values) {
  SettingNode root;
  root.kind = SettingNode::Kind::kMap;
  for (const auto& [key, value] : values) {
    SettingNode node;
    node.scalar = value;
    root.map[key] = node;
  }
  return Settings("channels.amazon", std::move(root));
}

inline std::shared_ptr<const AmazonFileAdapter> makeAdapter(
    const std::map<std::string, std::string>& values = {}, std::string channel_id = "amazon") {
  auto settings = parseSettings(makeSettings(values));
  if (!settings) {
    return nullptr;
  }
  return std::make_shared<const AmazonFileAdapter>(std::move(channel_id), std::move(*settings));
}

inline canonical::Timestamp fixedReceivedAt() {
  return *canonical::parseRfc3339("2026-03-02T10:00:00Z");
}

inline FileContext makeContext(std::string file_name = "report.tsv", std::string content_type = {}) {
  FileContext ctx;
  ctx.channel_id = "amazon";
  ctx.file_name = std::move(file_name);
  ctx.content_type = std::move(content_type);
  ctx.received_at = fixedReceivedAt();
  return ctx;
}

struct ReadResult {
  std::vector<FileOrder> orders;
  FileSummary summary;
};

inline ReadResult readAll(FileReader& reader) {
  ReadResult result;
  while (auto order = reader.next()) {
    result.orders.push_back(std::move(*order));
  }
  result.summary = reader.summary();
  return result;
}

inline ReadResult readBytes(const AmazonFileAdapter& adapter, std::string bytes,
                            const FileContext& ctx = makeContext()) {
  auto reader = adapter.open(std::make_unique<MemoryByteSource>(std::move(bytes)), ctx);
  return readAll(*reader);
}

inline void appendProblems(std::string& out, const std::vector<FileProblem>& problems) {
  out.push_back('[');
  for (std::size_t i = 0; i < problems.size(); ++i) {
    out.append(i == 0 ? "" : ",").append("{\"line\":").append(std::to_string(problems[i].line));
    out.append(",\"column\":");
    canonical::appendJsonString(out, problems[i].column);
    out.append(",\"message\":");
    canonical::appendJsonString(out, problems[i].message);
    out.push_back('}');
  }
  out.push_back(']');
}

/// [{order_id, lines, event:{type, subject, version, time, data} | problems:[…]}, …]
inline std::string ordersJson(const std::vector<FileOrder>& orders) {
  std::string out = "[";
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const FileOrder& o = orders[i];
    out.append(i == 0 ? "" : ",").append("{\"order_id\":");
    canonical::appendJsonString(out, o.order_id);
    out.append(",\"lines\":[");
    for (std::size_t k = 0; k < o.lines.size(); ++k) {
      out.append(k == 0 ? "" : ",").append(std::to_string(o.lines[k]));
    }
    out.push_back(']');
    if (o.event) {
      out.append(",\"event\":{\"type\":");
      canonical::appendJsonString(out, canonical::toString(o.event->type));
      out.append(",\"source\":");
      canonical::appendJsonString(out, o.event->source);
      out.append(",\"subject\":");
      canonical::appendJsonString(out, o.event->subject);
      out.append(",\"version\":");
      canonical::appendJsonString(out, o.event->version);
      out.append(",\"time\":");
      canonical::appendJsonString(out, canonical::formatRfc3339(o.event->time));
      out.append(",\"data\":");
      out.append(canonical::writeOrderJson(std::get<canonical::Order>(o.event->data)));
      out.push_back('}');
    }
    if (!o.problems.empty()) {
      out.append(",\"problems\":");
      appendProblems(out, o.problems);
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

inline std::string summaryJson(const FileSummary& s) {
  std::string out = "{\"report_type\":";
  canonical::appendJsonString(out, s.report_type);
  out.append(",\"encoding\":");
  canonical::appendJsonString(out, s.encoding);
  out.append(",\"rows\":").append(std::to_string(s.rows));
  out.append(",\"orders\":").append(std::to_string(s.orders));
  out.append(",\"file_errors\":");
  appendProblems(out, s.file_errors);
  out.push_back('}');
  return out;
}

inline std::string resultJson(const ReadResult& r) {
  return "{\"orders\":" + ordersJson(r.orders) + ",\"summary\":" + summaryJson(r.summary) + "}";
}

// The all-orders report's columns, and a builder of such reports for reader tests.
inline const std::vector<std::string> kColumns = {
    "amazon-order-id", "purchase-date", "last-updated-date", "order-status", "sales-channel",
    "product-name",    "sku",           "asin",              "item-status",  "quantity",
    "currency",        "item-price",    "item-tax",          "shipping-price",
    "item-promotion-discount", "ship-promotion-discount", "ship-country"};

// Builds an all-orders report; cells not given are empty.
struct Report {
  std::string text;
  std::string eol = "\n";
  Report() {
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      text += (i ? "\t" : "") + kColumns[i];
    }
    text += eol;
  }
  Report& row(std::map<std::string, std::string> cells) {
    std::map<std::string, std::string> base = {
        {"purchase-date", "2026-03-01T08:00:00+00:00"},
        {"last-updated-date", "2026-03-01T09:00:00+00:00"},
        {"order-status", "Unshipped"}, {"sales-channel", "Amazon.com"}, {"sku", "SKU-1"},
        {"asin", "B000000001"}, {"item-status", "Unshipped"}, {"quantity", "1"},
        {"currency", "USD"}, {"item-price", "10.00"}, {"ship-country", "US"}};
    for (auto& [k, v] : cells) {
      base[k] = v;
    }
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      text += (i ? "\t" : "") + base[kColumns[i]];
    }
    text += eol;
    return *this;
  }
};

inline const canonical::Order& orderOf(const FileOrder& o) {
  return std::get<canonical::Order>(o.event->data);
}

}  // namespace ordergate::adapters::amazon::testing
