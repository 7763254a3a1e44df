#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/file_adapter.hpp"

namespace ordergate::adapters {

/// Bytes held in memory (an upload body, a test case). Rewindable. Not thread-safe.
class MemoryByteSource final : public ByteSource {
 public:
  /// Takes ownership of `data`.
  explicit MemoryByteSource(std::string data) : data_(std::move(data)) {}
  [[nodiscard]] Result<std::size_t> read(char* buf, std::size_t n) override;
  [[nodiscard]] bool rewind() override;

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

/// A regular file read with plain POSIX reads (no stdio buffering: callers read big blocks).
/// Rewindable. Not thread-safe.
class FileByteSource final : public ByteSource {
 public:
  /// Opens `path` for reading. Error kNotFound when it does not exist, kUnavailable when it
  /// cannot be opened (permissions, a directory …); the message names the path.
  [[nodiscard]] static Result<std::unique_ptr<FileByteSource>> open(const std::string& path);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  /// Error kUnavailable naming the path when the read fails.
  [[nodiscard]] Result<std::size_t> read(char* buf, std::size_t n) override;
  [[nodiscard]] bool rewind() override;

 private:
  FileByteSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace ordergate::adapters
