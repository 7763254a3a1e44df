#include "adapters/amazon/amazon_reader.hpp"

#include <algorithm>

namespace ordergate::adapters::amazon {
namespace {

bool isBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string_view trimId(std::string_view id) {
  while (!id.empty() && id.front() == ' ') {
    id.remove_prefix(1);
  }
  while (!id.empty() && id.back() == ' ') {
    id.remove_suffix(1);
  }
  return id;
}

}  // namespace

AmazonFileReader::AmazonFileReader(std::unique_ptr<ByteSource> source, NormalizeConfig config,
                                   EncodingPolicy encoding)
    : source_(std::move(source)), lines_(*source_), config_(std::move(config)),
      policy_(std::move(encoding)) {}

void AmazonFileReader::fileError(std::string message) {
  summary_.file_errors.push_back(FileProblem{0, {}, std::move(message)});
  done_ = true;
}

void AmazonFileReader::decideEncoding(bool valid_utf8, std::size_t first_invalid_line,
                                      bool bom) {
  Encoding encoding = Encoding::kUtf8;
  std::string how;
  const std::string_view charset = charsetOf(policy_.content_type);
  const std::optional<Encoding> declared =
      charset.empty() ? std::nullopt : parseEncodingName(charset);
  if (policy_.configured) {
    encoding = *policy_.configured;
    how = "config encoding";
  } else if (declared) {
    encoding = *declared;
    how = "Content-Type charset=" + std::string(charset);
  } else if (bom) {
    how = "byte order mark";
  } else if (valid_utf8) {
    how = "detected: valid UTF-8";
  } else {
    encoding = policy_.fallback;
    how = "fallback_encoding: not valid UTF-8 from line " + std::to_string(first_invalid_line);
  }
  if (!charset.empty() && !declared) {
    how += "; Content-Type charset=" + std::string(charset) + " not supported";
  }
  if (bom && how != "byte order mark") {
    how += "; UTF-8 byte order mark dropped";
  }
  const bool sanitize = encoding == Encoding::kUtf8 && !valid_utf8;
  if (sanitize) {
    how += "; not valid UTF-8 from line " + std::to_string(first_invalid_line) +
           ": invalid bytes become U+FFFD";
  }
  summary_.encoding = std::string(encodingName(encoding)) + " (" + how + ")";
  auto transcoder = Transcoder::create(encoding, sanitize);
  if (!transcoder) {
    fileError(transcoder.error().message);
    return;
  }
  transcoder_.emplace(std::move(*transcoder));
}

bool AmazonFileReader::indexPass() {
  std::string_view line;
  LineReader::Status status = lines_.next(line);
  if (status == LineReader::Status::kEnd) {
    fileError("empty file: no header row");
    return false;
  }
  if (status == LineReader::Status::kError) {
    fileError(describe(lines_.error()));
    return false;
  }
  splitTabs(line, cells_);
  auto layout = recognizeReport(cells_, config_.file_name);
  if (!layout) {
    summary_.file_errors = std::move(layout.error());
    done_ = true;
    return false;
  }
  layout_ = std::move(*layout);
  summary_.report_type = layout_->report_type;
  const std::size_t id_column = layout_->at(Column::kOrderId);
  bool valid_utf8 = isValidUtf8(line);
  std::size_t first_invalid = valid_utf8 ? 0 : 1;
  OrderIndex index;
  while ((status = lines_.next(line)) == LineReader::Status::kLine) {
    const std::size_t line_no = lines_.lineNumber();
    if (valid_utf8 && !isValidUtf8(line)) {
      valid_utf8 = false;
      first_invalid = line_no;
    }
    if (isBlank(line)) {
      continue;
    }
    const std::string_view id = trimId(fieldAt(line, id_column));
    if (id.empty()) {
      continue;
    }
    if (line_no > UINT32_MAX) {
      fileError("more than 2^32 lines");
      return false;
    }
    if (last_row_.size() <= line_no / 64) {
      last_row_.resize(std::max(last_row_.size() * 2, line_no / 64 + 1), 0);
    }
    const std::uint32_t previous = index.add(id, static_cast<std::uint32_t>(line_no));
    last_row_[previous / 64] &= ~(std::uint64_t{1} << (previous % 64));
    last_row_[line_no / 64] |= std::uint64_t{1} << (line_no % 64);
  }
  if (status == LineReader::Status::kError) {
    fileError(describe(lines_.error()));
    return false;
  }
  index_bytes_ = index.memoryBytes() + last_row_.capacity() * sizeof(std::uint64_t);
  index = OrderIndex{};  // pass 2 needs only the bitmap
  const bool bom = lines_.hadBom();
  decideEncoding(valid_utf8, first_invalid, bom);
  if (done_) {
    return false;
  }
  if (!lines_.rewind()) {
    fileError("the source cannot be rewound: the reader needs two passes");
    return false;
  }
  if (lines_.next(line) != LineReader::Status::kLine) {
    fileError("the file changed between the two passes");
    return false;
  }
  transcoder_->toUtf8(line, header_utf8_);
  header_utf8_.push_back('\n');
  return true;
}

FileOrder AmazonFileReader::single(std::string_view order_id, std::string_view line) {
  FileOrder out;
  out.order_id = order_id;
  out.lines.push_back(lines_.lineNumber());
  out.raw.reserve(header_utf8_.size() + line.size() + 1);
  out.raw.append(header_utf8_).append(line).push_back('\n');
  rows_.clear();
  rows_.push_back(RowView{lines_.lineNumber(), cells_});
  normalizeOrder(*layout_, config_, rows_, out);
  return out;
}

FileOrder AmazonFileReader::finish(std::string_view order_id, OpenOrder&& open) {
  FileOrder out;
  out.order_id = order_id;
  out.lines = std::move(open.lines);
  out.raw = std::move(open.raw);
  if (row_cells_.size() < out.lines.size()) {
    row_cells_.resize(out.lines.size());
  }
  rows_.clear();
  std::string_view rest = std::string_view(out.raw).substr(header_utf8_.size());
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    const std::size_t nl = rest.find('\n');
    splitTabs(rest.substr(0, nl), row_cells_[i]);
    rest.remove_prefix(nl + 1);
    rows_.push_back(RowView{out.lines[i], row_cells_[i]});
  }
  normalizeOrder(*layout_, config_, rows_, out);
  return out;
}

std::optional<FileOrder> AmazonFileReader::drainLeftovers() {
  // Only reachable when the file changed between the passes: report what is left whole.
  if (open_.empty()) {
    done_ = true;
    return std::nullopt;
  }
  auto node = open_.extract(open_.begin());
  FileOrder out;
  out.order_id = node.key();
  out.lines = std::move(node.mapped().lines);
  out.raw = std::move(node.mapped().raw);
  out.problems.push_back(FileProblem{out.lines.empty() ? 0 : out.lines.front(), {},
                                     "the order's last row was not found in the second pass"});
  ++summary_.orders;
  return out;
}

std::optional<FileOrder> AmazonFileReader::next() {
  if (done_) {
    return std::nullopt;
  }
  if (!prepared_) {
    prepared_ = true;
    if (!indexPass()) {
      return std::nullopt;
    }
  }
  const std::size_t id_column = layout_->at(Column::kOrderId);
  std::string_view raw;
  LineReader::Status status;
  while ((status = lines_.next(raw)) == LineReader::Status::kLine) {
    if (isBlank(raw)) {
      continue;
    }
    ++summary_.rows;
    const std::size_t line_no = lines_.lineNumber();
    const std::string_view raw_id = trimId(fieldAt(raw, id_column));
    std::string_view line = raw;
    if (!transcoder_->passThrough()) {
      transcoder_->toUtf8(raw, decoded_);
      line = decoded_;
    }
    splitTabs(line, cells_);
    const std::string_view id = id_column < cells_.size() ? trimId(cells_[id_column]) : "";
    if (raw_id.empty()) {
      FileOrder out;
      out.lines.push_back(line_no);
      out.raw.append(header_utf8_).append(line).push_back('\n');
      out.problems.push_back(FileProblem{
          line_no, std::string(columnName(layout_->kind, Column::kOrderId)), "empty order id"});
      ++summary_.orders;
      return out;
    }
    const bool last = line_no / 64 < last_row_.size() && isLastRow(line_no);
    auto it = open_.find(raw_id);
    if (it == open_.end() && last) {
      ++summary_.orders;
      return single(id, line);
    }
    if (it == open_.end()) {
      it = open_.emplace(std::string(raw_id), OpenOrder{}).first;
      it->second.raw.append(header_utf8_);
      peak_open_orders_ = std::max(peak_open_orders_, open_.size());
    }
    it->second.raw.append(line).push_back('\n');
    it->second.lines.push_back(line_no);
    ++open_rows_;
    peak_open_rows_ = std::max(peak_open_rows_, open_rows_);
    if (last) {
      auto node = open_.extract(it);
      open_rows_ -= node.mapped().lines.size();
      ++summary_.orders;
      return finish(id, std::move(node.mapped()));
    }
  }
  if (status == LineReader::Status::kError) {
    fileError(describe(lines_.error()));
    return std::nullopt;
  }
  return drainLeftovers();
}

}  // namespace ordergate::adapters::amazon
