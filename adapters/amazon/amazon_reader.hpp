#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "adapters/amazon/encoding.hpp"
#include "adapters/amazon/normalize.hpp"
#include "adapters/amazon/order_index.hpp"
#include "adapters/amazon/report.hpp"
#include "adapters/amazon/tsv_reader.hpp"
#include "adapters/file_adapter.hpp"

namespace ordergate::adapters::amazon {

/// How the reader decides the file's encoding: `configured` (channel `encoding`) wins, then the
/// Content-Type charset, then a UTF-8 byte order mark, then detection over the whole file
/// (valid UTF-8 → UTF-8, otherwise `fallback`).
struct EncodingPolicy {
  std::optional<Encoding> configured;
  Encoding fallback = Encoding::kWindows1252;
  std::string content_type;
};

/// Reads an Amazon order report in two passes over the (rewindable) source:
///  1. raw lines: recognise the header, build an OrderIndex (order id → last line) and from it
///     one bit per line, "this row is its order's last"; check whether the bytes are valid UTF-8.
///     The index is freed once the pass ends.
///  2. decode each line to UTF-8, split on TAB; an order whose last row has been read is
///     normalised and returned at once. Only orders with rows still ahead are held (their rows
///     as text), so memory is bounded by the open orders plus the pass-1 index (≤ 46 bytes per
///     distinct order) and the bitmap (1 bit per line) — never by the bytes of the file. Rows of
///     one order may be anywhere in the file.
/// A source that cannot rewind, a read error or an unrecognised header is a file error.
/// Not thread-safe; one reader per file.
class AmazonFileReader final : public FileReader {
 public:
  AmazonFileReader(std::unique_ptr<ByteSource> source, NormalizeConfig config,
                   EncodingPolicy encoding);

  [[nodiscard]] std::optional<FileOrder> next() override;
  [[nodiscard]] const FileSummary& summary() const override { return summary_; }

  /// Most orders held open at once in pass 2 (the memory bound), and their rows.
  [[nodiscard]] std::size_t peakOpenOrders() const { return peak_open_orders_; }
  [[nodiscard]] std::size_t peakOpenRows() const { return peak_open_rows_; }
  /// Heap bytes of the pass-1 index (at its largest) and of the last-row bitmap.
  [[nodiscard]] std::size_t indexBytes() const { return index_bytes_; }

 private:
  struct OpenOrder {
    std::string raw;  // header + rows, each ending in '\n'
    std::vector<std::size_t> lines;
  };

  bool indexPass();
  void decideEncoding(bool valid_utf8, std::size_t first_invalid_line, bool bom);
  void fileError(std::string message);
  FileOrder finish(std::string_view order_id, OpenOrder&& open);
  FileOrder single(std::string_view order_id, std::string_view line);
  std::optional<FileOrder> drainLeftovers();

  std::unique_ptr<ByteSource> source_;
  LineReader lines_;
  NormalizeConfig config_;
  EncodingPolicy policy_;
  FileSummary summary_;
  std::optional<ReportLayout> layout_;
  std::optional<Transcoder> transcoder_;
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  [[nodiscard]] bool isLastRow(std::size_t line) const {
    return (last_row_[line / 64] >> (line % 64)) & 1U;
  }

  std::vector<std::uint64_t> last_row_;  // bit per line: the row completes its order
  std::size_t index_bytes_ = 0;
  std::unordered_map<std::string, OpenOrder, IdHash, std::equal_to<>> open_;
  std::string header_utf8_;
  std::string decoded_;
  std::vector<std::string_view> cells_;
  std::vector<std::vector<std::string_view>> row_cells_;
  std::vector<RowView> rows_;
  std::size_t open_rows_ = 0;
  std::size_t peak_open_orders_ = 0;
  std::size_t peak_open_rows_ = 0;
  bool prepared_ = false;
  bool done_ = false;
};

}  // namespace ordergate::adapters::amazon
