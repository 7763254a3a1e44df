#include "adapters/amazon/gzip_source.hpp"

#include <zlib.h>

#include <cstring>

namespace ordergate::adapters::amazon {
namespace {
constexpr std::size_t kInputChunk = 256 * 1024;
}  // namespace

struct GunzipIfCompressed::ZState {
  z_stream stream{};
  bool initialised = false;
  ~ZState() {
    if (initialised) {
      inflateEnd(&stream);
    }
  }
};

GunzipIfCompressed::GunzipIfCompressed(std::unique_ptr<ByteSource> inner)
    : inner_(std::move(inner)), in_(kInputChunk), z_(std::make_unique<ZState>()) {}

GunzipIfCompressed::~GunzipIfCompressed() = default;

Result<bool> GunzipIfCompressed::refill() {
  if (in_pos_ > 0) {
    std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
    in_len_ -= in_pos_;
    in_pos_ = 0;
  }
  if (inner_eof_ || in_len_ == in_.size()) {
    return false;
  }
  auto got = inner_->read(in_.data() + in_len_, in_.size() - in_len_);
  if (!got) {
    return tl::unexpected(got.error());
  }
  if (*got == 0) {
    inner_eof_ = true;
    return false;
  }
  in_len_ += *got;
  return true;
}

Result<void> GunzipIfCompressed::detect() {
  while (in_len_ < 2 && !inner_eof_) {
    if (auto more = refill(); !more) {
      return tl::unexpected(more.error());
    }
  }
  const bool gzip = in_len_ >= 2 && static_cast<unsigned char>(in_[0]) == 0x1f &&
                    static_cast<unsigned char>(in_[1]) == 0x8b;
  mode_ = gzip ? Mode::kInflate : Mode::kPassThrough;
  if (gzip && !z_->initialised) {
    if (inflateInit2(&z_->stream, 15 + 16) != Z_OK) {
      return fail(ErrorCode::kInternal, "cannot initialise zlib");
    }
    z_->initialised = true;
  }
  return {};
}

Result<std::size_t> GunzipIfCompressed::read(char* buf, std::size_t n) {
  if (mode_ == Mode::kUnknown) {
    if (auto ok = detect(); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (mode_ == Mode::kInflate) {
    return inflateSome(buf, n);
  }
  if (in_pos_ < in_len_) {
    const std::size_t count = std::min(n, in_len_ - in_pos_);
    std::memcpy(buf, in_.data() + in_pos_, count);
    in_pos_ += count;
    return count;
  }
  return inner_->read(buf, n);
}

Result<std::size_t> GunzipIfCompressed::inflateSome(char* buf, std::size_t n) {
  z_stream& z = z_->stream;
  std::size_t produced = 0;
  while (produced == 0) {
    if (in_pos_ == in_len_) {
      auto more = refill();
      if (!more) {
        return tl::unexpected(more.error());
      }
      if (!*more) {
        if (stream_ended_) {
          return std::size_t{0};
        }
        return fail(ErrorCode::kInvalidInput, "truncated gzip data");
      }
    }
    if (stream_ended_) {
      // Another gzip member follows (concatenated members form one stream).
      inflateReset(&z);
      stream_ended_ = false;
    }
    z.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    z.avail_in = static_cast<uInt>(in_len_ - in_pos_);
    z.next_out = reinterpret_cast<Bytef*>(buf + produced);
    z.avail_out = static_cast<uInt>(n - produced);
    const int rc = inflate(&z, Z_NO_FLUSH);
    in_pos_ = in_len_ - z.avail_in;
    produced = n - z.avail_out;
    if (rc == Z_STREAM_END) {
      stream_ended_ = true;
      if (produced == 0) {
        continue;
      }
    } else if (rc == Z_BUF_ERROR) {
      continue;  // needs more input
    } else if (rc != Z_OK) {
      std::string message = "corrupt gzip data";
      if (z.msg != nullptr) {
        message.append(": ").append(z.msg);
      }
      return fail(ErrorCode::kInvalidInput, std::move(message));
    }
  }
  return produced;
}

bool GunzipIfCompressed::rewind() {
  if (!inner_->rewind()) {
    return false;
  }
  in_pos_ = in_len_ = 0;
  inner_eof_ = false;
  stream_ended_ = false;
  if (z_->initialised) {
    inflateReset(&z_->stream);
  }
  mode_ = Mode::kUnknown;
  return true;
}

}  // namespace ordergate::adapters::amazon
