#include "adapters/amazon/tsv_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ordergate::adapters::amazon {
namespace {
constexpr std::size_t kInitialBuffer = 1024 * 1024;
}  // namespace

LineReader::LineReader(ByteSource& source, std::size_t max_line)
    : source_(source), buf_(std::min(kInitialBuffer, std::max<std::size_t>(max_line, 64))),
      max_line_(max_line) {}

bool LineReader::fill() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= max_line_) {
      error_ = Error{ErrorCode::kTooLarge,
                     "line " + std::to_string(line_number_ + 1) + " is longer than " +
                         std::to_string(max_line_) + " bytes",
                     {}};
      return false;
    }
    buf_.resize(std::min(buf_.size() * 2, max_line_));
  }
  auto got = source_.read(buf_.data() + end_, buf_.size() - end_);
  if (!got) {
    error_ = got.error();
    return false;
  }
  if (*got == 0) {
    eof_ = true;
  }
  end_ += *got;
  return true;
}

LineReader::Status LineReader::next(std::string_view& line) {
  if (!started_) {
    started_ = true;
    while (end_ < 3 && !eof_) {
      if (!fill()) {
        return Status::kError;
      }
    }
    if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
      had_bom_ = true;
      begin_ = 3;
    }
  }
  std::size_t scanned = begin_;
  for (;;) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      const char* stop = static_cast<const char*>(nl);
      std::size_t len = static_cast<std::size_t>(stop - start);
      begin_ += len + 1;
      if (len > 0 && start[len - 1] == '\r') {
        --len;
      }
      line = std::string_view(start, len);
      ++line_number_;
      return Status::kLine;
    }
    if (eof_) {
      if (begin_ == end_) {
        return Status::kEnd;
      }
      std::size_t len = end_ - begin_;
      begin_ = end_;
      if (start[len - 1] == '\r') {
        --len;
      }
      line = std::string_view(start, len);
      ++line_number_;
      return Status::kLine;
    }
    const std::size_t pending = end_ - begin_;
    if (!fill()) {
      return Status::kError;
    }
    scanned = begin_ + pending;
  }
}

bool LineReader::rewind() {
  if (!source_.rewind()) {
    return false;
  }
  begin_ = end_ = 0;
  line_number_ = 0;
  eof_ = false;
  started_ = false;
  had_bom_ = false;
  return true;
}

void splitTabs(std::string_view line, std::vector<std::string_view>& fields) {
  const char* data = line.data();
  const std::size_t size = line.size();
  // Count first, size the vector once (rows of a report all have the same count, so this is
  // usually a no-op), then write the views through a pointer: no capacity check per cell.
  std::size_t count = 1;
  std::size_t i = 0;
#if defined(__AVX2__)
  const __m256i tab = _mm256_set1_epi8('\t');
  for (; i + 32 <= size; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    count += static_cast<std::size_t>(__builtin_popcount(
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, tab)))));
  }
#endif
  for (; i < size; ++i) {
    count += data[i] == '\t' ? 1 : 0;
  }
  fields.resize(count);
  std::string_view* out = fields.data();
  std::size_t start = 0;
  i = 0;
#if defined(__AVX2__)
  for (; i + 32 <= size; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, tab)));
    while (mask != 0) {
      const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(mask));
      *out++ = std::string_view(data + start, at - start);
      start = at + 1;
      mask &= mask - 1;
    }
  }
#endif
  for (; i < size; ++i) {
    if (data[i] == '\t') {
      *out++ = std::string_view(data + start, i - start);
      start = i + 1;
    }
  }
  *out = std::string_view(data + start, size - start);
}

std::string_view fieldAt(std::string_view line, std::size_t index) {
  const char* p = line.data();
  const char* end = p + line.size();
  for (std::size_t i = 0; i < index; ++i) {
    const void* tab = std::memchr(p, '\t', static_cast<std::size_t>(end - p));
    if (tab == nullptr) {
      return {};
    }
    p = static_cast<const char*>(tab) + 1;
  }
  const void* tab = std::memchr(p, '\t', static_cast<std::size_t>(end - p));
  const char* stop = tab == nullptr ? end : static_cast<const char*>(tab);
  return std::string_view(p, static_cast<std::size_t>(stop - p));
}

}  // namespace ordergate::adapters::amazon
