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
                                   EncodingPolicy encoding, ReaderLimits limits)
    : source_(std::move(source)), lines_(*source_), config_(std::move(config)),
      policy_(std::move(encoding)), limits_(limits) {
  limits_.window_lines = std::max<std::size_t>(limits_.window_lines, 1);
}

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
  ScatterScan scan(limits_.window_lines, limits_.filter_bytes);
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
    if (line_no > UINT32_MAX - limits_.window_lines) {
      fileError("more than 2^32 lines");
      return false;
    }
    scan.add(id, static_cast<std::uint32_t>(line_no));
  }
  if (status == LineReader::Status::kError) {
    fileError(describe(lines_.error()));
    return false;
  }
  scan.finish();
  index_bytes_ = scan.memoryBytes();
  scattered_orders_ = scan.scatteredCount();
  scattered_ = scan.takeScattered();  // the filter and the window go when indexPass returns
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

void AmazonFileReader::holdRow(std::string_view raw_id, std::string_view line,
                               std::uint32_t line_no) {
  const OrderKey key = OrderKey::of(raw_id);
  std::uint32_t slot = 0;
  std::uint32_t* existing = raw_id.empty() ? nullptr : open_ids_.find(key);
  if (existing != nullptr) {
    slot = *existing;
  } else {
    if (free_slots_.empty()) {
      free_slots_.push_back(static_cast<std::uint32_t>(slots_.size()));
      slots_.emplace_back();
    }
    slot = free_slots_.back();
    free_slots_.pop_back();
    OpenOrder& open = slots_[slot];
    // Room for a second row and four line numbers: most multi-row orders then grow neither
    // (one allocation each instead of two or three).
    open.raw.reserve(header_utf8_.size() + 2 * (line.size() + 1));
    open.lines.reserve(4);
    open.raw.append(header_utf8_);
    open.no_id = raw_id.empty();
    open.final_line = 0;
    open.row_sizes.clear();
    open.packed_id = key.packed;
    open.id_text.clear();
    if (!open.no_id) {
      if (key.packed == 0) {
        open.id_text.assign(raw_id);
      }
      if (const std::uint32_t* last = scattered_.find(key); last != nullptr) {
        open.final_line = *last;
      }
      open_ids_.set(key, slot);
    }
    peak_open_orders_ = std::max(peak_open_orders_, ++open_orders_);
  }
  OpenOrder& open = slots_[slot];
  open.raw.append(line).push_back('\n');
  open.row_sizes.push_back(static_cast<std::uint32_t>(line.size()));
  open.lines.push_back(line_no);
  open.last_line = line_no;
  due_.push_back(Due{line_no, slot});
  peak_open_rows_ = std::max(peak_open_rows_, ++open_rows_);
}

// Returns the first complete order among the rows `window_lines` or more lines behind
// `horizon`. A local order with no row in that span cannot get another one (pass 1 would have
// made it scattered); a scattered order is complete at the last row pass 1 saw. Popping in line
// order returns orders in the order of their last row.
bool AmazonFileReader::popDue(std::uint64_t horizon, FileOrder& out) {
  while (!due_.empty() && std::uint64_t{due_.front().line} + limits_.window_lines <= horizon) {
    const Due due = due_.front();
    due_.pop_front();
    const OpenOrder& open = slots_[due.slot];
    if (open.last_line == due.line && (open.final_line == 0 || open.final_line == due.line)) {
      emit(due.slot, true, out);
      return true;
    }
  }
  return false;
}

void AmazonFileReader::emit(std::uint32_t slot, bool complete, FileOrder& out) {
  OpenOrder& open = slots_[slot];
  // Swap, not move: the slot gets `out`'s old buffers back for its next order.
  out.lines.swap(open.lines);
  out.raw.swap(open.raw);
  open.lines.clear();
  open.raw.clear();
  out.order_id.clear();
  out.problems.clear();
  free_slots_.push_back(slot);
  --open_orders_;
  open_rows_ -= out.lines.size();
  ++summary_.orders;
  if (row_cells_.size() < out.lines.size()) {
    row_cells_.resize(out.lines.size());
  }
  rows_.clear();
  std::size_t at = header_utf8_.size();
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    splitTabs(std::string_view(out.raw).substr(at, open.row_sizes[i]), row_cells_[i]);
    at += open.row_sizes[i] + 1;
    rows_.push_back(RowView{out.lines[i], row_cells_[i]});
  }
  const std::size_t id_column = layout_->at(Column::kOrderId);
  if (open.no_id) {
    out.event.reset();
    out.problems.push_back(FileProblem{out.lines.front(),
                                       std::string(columnName(layout_->kind, Column::kOrderId)),
                                       "empty order id"});
    return;
  }
  const auto& first = row_cells_[0];
  out.order_id = id_column < first.size() ? trimId(first[id_column]) : std::string_view{};
  open_ids_.erase(OrderKey{open.packed_id, open.id_text});
  if (complete) {
    normalizeOrder(*layout_, config_, rows_, out);
  } else {
    out.event.reset();
    out.problems.push_back(FileProblem{out.lines.front(), {},
                                       "the order's last row was not found in the second pass"});
  }
}

bool AmazonFileReader::drainLeftovers(FileOrder& out) {
  // Only reachable when the file changed between the passes: a scattered order whose last row
  // was not found. Reported whole, in slot order.
  for (std::uint32_t slot = 0; slot < slots_.size(); ++slot) {
    if (slots_[slot].lines.empty()) {
      continue;
    }
    emit(slot, false, out);
    return true;
  }
  done_ = true;
  return false;
}

// Every path returns `out`, so the FileOrder (with its large Order) is built in place in the
// caller's optional instead of being moved.
std::optional<FileOrder> AmazonFileReader::next() {
  std::optional<FileOrder> out;
  if (!nextInto(out.emplace())) {
    out.reset();
  }
  return out;
}

bool AmazonFileReader::nextInto(FileOrder& out) {
  if (done_) {
    return false;
  }
  if (!prepared_) {
    prepared_ = true;
    if (!indexPass()) {
      return false;
    }
  }
  const std::size_t id_column = layout_->at(Column::kOrderId);
  std::string_view raw;
  for (;;) {
    if (popDue(at_end_ ? UINT64_MAX : lines_.lineNumber(), out)) {
      return true;
    }
    if (at_end_) {
      return drainLeftovers(out);
    }
    const LineReader::Status status = lines_.next(raw);
    if (status == LineReader::Status::kError) {
      fileError(describe(lines_.error()));
      return false;
    }
    if (status == LineReader::Status::kEnd) {
      at_end_ = true;
      continue;
    }
    if (isBlank(raw)) {
      continue;
    }
    if (lines_.lineNumber() > UINT32_MAX - limits_.window_lines) {
      fileError("more than 2^32 lines");
      return false;
    }
    ++summary_.rows;
    const std::string_view raw_id = trimId(fieldAt(raw, id_column));
    std::string_view line = raw;
    if (!transcoder_->passThrough()) {
      transcoder_->toUtf8(raw, decoded_);
      line = decoded_;
    }
    holdRow(raw_id, line, static_cast<std::uint32_t>(lines_.lineNumber()));
  }
}

}  // namespace ordergate::adapters::amazon
