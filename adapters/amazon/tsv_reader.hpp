#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "adapters/file_adapter.hpp"

namespace ordergate::adapters::amazon {

/// Streams the lines of a tab-separated file from a ByteSource: LF or CRLF endings, a UTF-8
/// byte order mark at the start is dropped (and noted), a missing final newline is fine. Lines
/// are views into an internal buffer, valid until the next call. No quoting: Amazon cells may
/// contain a literal `"`, so a line is split on TAB only. Memory: one buffer of the longest line
/// (at least 1 MiB), capped at `max_line`. Not thread-safe.
class LineReader {
 public:
  enum class Status { kLine, kEnd, kError };

  explicit LineReader(ByteSource& source, std::size_t max_line = 16 * 1024 * 1024);

  /// The next line without its terminator. kError: the source failed or a line is longer
  /// than `max_line` (see error()).
  [[nodiscard]] Status next(std::string_view& line);
  /// 1-based number of the line last returned.
  [[nodiscard]] std::size_t lineNumber() const { return line_number_; }
  /// True when the file started with a UTF-8 byte order mark.
  [[nodiscard]] bool hadBom() const { return had_bom_; }
  [[nodiscard]] const Error& error() const { return error_; }
  /// Starts again from the first byte (rewinds the source); false when the source cannot.
  [[nodiscard]] bool rewind();

 private:
  bool fill();

  ByteSource& source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t max_line_;
  std::size_t line_number_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool had_bom_ = false;
  Error error_;
};

/// Splits `line` on TAB into `fields` (cleared first; capacity reused). A trailing TAB gives a
/// trailing empty field.
void splitTabs(std::string_view line, std::vector<std::string_view>& fields);

/// The `index`-th TAB-separated field of `line` (empty when the line has fewer fields).
[[nodiscard]] std::string_view fieldAt(std::string_view line, std::size_t index);

}  // namespace ordergate::adapters::amazon
