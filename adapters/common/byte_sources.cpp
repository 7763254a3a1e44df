#include "adapters/common/byte_sources.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ordergate::adapters {

Result<std::size_t> MemoryByteSource::read(char* buf, std::size_t n) {
  const std::size_t count = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, count);
  pos_ += count;
  return count;
}

bool MemoryByteSource::rewind() {
  pos_ = 0;
  return true;
}

Result<std::unique_ptr<FileByteSource>> FileByteSource::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                "cannot open " + path + ": " + std::strerror(err), path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::kUnavailable, "not a regular file: " + path, path);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<FileByteSource>(new FileByteSource(fd, path));
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Result<std::size_t> FileByteSource::read(char* buf, std::size_t n) {
  for (;;) {
    const ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) {
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      return fail(ErrorCode::kUnavailable,
                  "cannot read " + path_ + ": " + std::strerror(errno), path_);
    }
  }
}

bool FileByteSource::rewind() { return ::lseek(fd_, 0, SEEK_SET) == 0; }

}  // namespace ordergate::adapters
