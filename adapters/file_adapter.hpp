#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "canonical/event.hpp"

namespace ordergate::adapters {

/// A pull-based source of (already decompressed) bytes. Implementations: memory, file, gzip.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `n` bytes into `buf`; returns 0 at the end. Error kInvalidInput / kUnavailable
  /// when the source is corrupt (bad gzip) or unreadable.
  [[nodiscard]] virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;
  /// Starts again from the first byte, for two-pass readers; false when not supported.
  [[nodiscard]] virtual bool rewind() = 0;
};

/// One problem in a flat file, e.g. {line 57, column "item-price", "not a decimal amount \"1,5\""}.
struct FileProblem {
  std::size_t line = 0;  ///< 1-based physical line; 0 for file-level problems
  std::string column;
  std::string message;
};

/// One order read from a file: either normalised (`event`) or with problems (quarantine it
/// whole, never forward it partially).
struct FileOrder {
  std::string order_id;
  std::vector<std::size_t> lines;  ///< line numbers of its rows
  std::optional<canonical::CanonicalEvent> event;
  std::vector<FileProblem> problems;
  std::string raw;  ///< header line + the order's rows as read (UTF-8), kept for the quarantine
};

/// What the reader learnt about the file as a whole.
struct FileSummary {
  std::string report_type;  ///< recognised report, e.g. GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL
  std::string encoding;     ///< encoding used and how it was decided, e.g. "windows-1252 (config)"
  std::size_t rows = 0;
  std::size_t orders = 0;
  std::vector<FileProblem> file_errors;  ///< non-empty → the file was not processed (missing column …)
};

/// Reads one file order by order. Not thread-safe; one reader per file.
class FileReader {
 public:
  virtual ~FileReader() = default;
  /// The next order, or nullopt at the end (and after a file-level error).
  [[nodiscard]] virtual std::optional<FileOrder> next() = 0;
  /// Same as next(), into `out`, reusing the storage of its strings and vectors: a caller that
  /// handles one order at a time saves a dozen allocations per order. False at the end (and
  /// after a file-level error); `out` is then unspecified. Default: next() moved into `out`.
  [[nodiscard]] virtual bool nextInto(FileOrder& out) {
    auto order = next();
    if (!order) {
      return false;
    }
    out = std::move(*order);
    return true;
  }
  /// Valid after next() returned nullopt (report type and encoding as soon as known).
  [[nodiscard]] virtual const FileSummary& summary() const = 0;
};

struct FileContext {
  std::string channel_id;
  std::string content_type;  ///< of the upload / download, for its charset (may be empty)
  std::string file_name;     ///< for messages and source.delivery_id
  canonical::Timestamp received_at{};
};

/// A built-in flat-file adapter (e.g. `amazon_flat_file`). Immutable after create(); shared by
/// threads. The channel's webhook adapter and its file adapter are created from the same block.
class FileAdapter {
 public:
  virtual ~FileAdapter() = default;
  [[nodiscard]] virtual std::string_view type() const = 0;
  /// Opens a reader over `source`. Memory stays bounded whatever the file size (by the largest
  /// order plus fixed structures; see the adapter's docs for its worst case).
  [[nodiscard]] virtual std::unique_ptr<FileReader> open(std::unique_ptr<ByteSource> source,
                                                         const FileContext& ctx) const = 0;
};

using FileAdapterPtr = std::shared_ptr<const FileAdapter>;

}  // namespace ordergate::adapters
