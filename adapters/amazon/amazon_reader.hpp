#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <cstdint>
#include <deque>
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

/// Memory knobs of the reader. The defaults suit real reports; tests shrink them to force the
/// scattered path.
struct ReaderLimits {
  /// Rows of one order less than this many lines apart are "local": pass 2 holds an order until
  /// this many lines have passed after its latest row, then emits it.
  std::size_t window_lines = 512;
  /// Size of pass 1's Bloom filter of order ids that left the window (fixed, whatever the file).
  std::size_t filter_bytes = std::size_t{4} << 20;
};

/// Reads an Amazon order report in two passes over the (rewindable) source:
///  1. raw lines: recognise the header, check whether the bytes are valid UTF-8, and find the
///     "scattered" orders (two consecutive rows `window_lines` or more apart) with the line of
///     their last row (ScatterScan: fixed Bloom filter + window; exact map of scattered ids).
///  2. decode each line to UTF-8, split on TAB; rows are held per order. A local order is
///     complete once `window_lines` lines have passed after its latest row, a scattered one at
///     its last row; orders are returned in the order of their last row (as if each were
///     returned at its last row), normalised. Rows of one order may be anywhere in the file.
/// Memory: the read buffer + the filter (4 MiB) + the rows of the last `window_lines` lines +
/// the rows of open scattered orders + one map entry per scattered order. Real reports (sorted
/// by date) have none; when every order is scattered the map is ≈ 23 bytes per order.
/// A source that cannot rewind, a read error or an unrecognised header is a file error.
/// Not thread-safe; one reader per file.
class AmazonFileReader final : public FileReader {
 public:
  AmazonFileReader(std::unique_ptr<ByteSource> source, NormalizeConfig config,
                   EncodingPolicy encoding, ReaderLimits limits = {});

  [[nodiscard]] std::optional<FileOrder> next() override;
  /// Reuses `out`'s buffers (raw text, line numbers, the Order's strings).
  [[nodiscard]] bool nextInto(FileOrder& out) override;
  [[nodiscard]] const FileSummary& summary() const override { return summary_; }

  /// Most orders held at once in pass 2, and their rows.
  [[nodiscard]] std::size_t peakOpenOrders() const { return peak_open_orders_; }
  [[nodiscard]] std::size_t peakOpenRows() const { return peak_open_rows_; }
  /// Heap bytes of the pass-1 structures at their largest (filter, window, scattered map).
  [[nodiscard]] std::size_t indexBytes() const { return index_bytes_; }
  /// Orders pass 1 sent down the scattered path (true scattered orders + filter false positives).
  [[nodiscard]] std::size_t scatteredOrders() const { return scattered_orders_; }

 private:
  // An order being collected in pass 2. Slots are reused; raw and lines move into the FileOrder.
  struct OpenOrder {
    std::string raw;  // header + rows, each ending in '\n'
    std::vector<std::size_t> lines;
    std::vector<std::uint32_t> row_sizes;  // kept across orders (capacity reused)
    std::uint64_t packed_id = 0;  // the id as looked up (raw bytes): packed, or
    std::string id_text;          // as text when it does not pack
    std::uint32_t last_line = 0;   // latest row read
    std::uint32_t final_line = 0;  // scattered orders: their last row from pass 1; else 0
    bool no_id = false;            // a row without an order id: its own entry with a problem
  };
  struct Due {
    std::uint32_t line = 0;
    std::uint32_t slot = 0;
  };

  bool indexPass();
  void decideEncoding(bool valid_utf8, std::size_t first_invalid_line, bool bom);
  void fileError(std::string message);
  void holdRow(std::string_view raw_id, std::string_view line, std::uint32_t line_no);
  bool popDue(std::uint64_t horizon, FileOrder& out);
  void emit(std::uint32_t slot, bool complete, FileOrder& out);
  bool drainLeftovers(FileOrder& out);

  std::unique_ptr<ByteSource> source_;
  LineReader lines_;
  NormalizeConfig config_;
  EncodingPolicy policy_;
  ReaderLimits limits_;
  FileSummary summary_;
  std::optional<ReportLayout> layout_;
  std::optional<Transcoder> transcoder_;

  OrderIdMap scattered_;  // id → line of its last row (pass 1)
  OrderIdMap open_ids_;   // id → slot of its open order (pass 2)
  std::vector<OpenOrder> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::deque<Due> due_;  // one entry per held row, in line order
  std::size_t index_bytes_ = 0;
  std::size_t scattered_orders_ = 0;
  std::string header_utf8_;
  std::string decoded_;
  std::vector<std::string_view> cells_;
  std::vector<std::vector<std::string_view>> row_cells_;
  std::vector<RowView> rows_;
  std::size_t open_orders_ = 0;
  std::size_t open_rows_ = 0;
  std::size_t peak_open_orders_ = 0;
  std::size_t peak_open_rows_ = 0;
  bool prepared_ = false;
  bool at_end_ = false;
  bool done_ = false;
};

}  // namespace ordergate::adapters::amazon
