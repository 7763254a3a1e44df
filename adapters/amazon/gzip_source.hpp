#pragma once

#include <memory>
#include <vector>

#include "adapters/file_adapter.hpp"

namespace ordergate::adapters::amazon {

/// A ByteSource decorator that gunzips its input when it starts with the gzip magic 1f 8b and
/// passes it through unchanged otherwise (SP-API report documents may be GZIP-compressed;
/// uploads may be either). Concatenated gzip members are read one after another. Rewindable
/// when the inner source is. Errors: kInvalidInput "corrupt gzip data …" / "truncated gzip
/// data". Not thread-safe.
class GunzipIfCompressed final : public ByteSource {
 public:
  explicit GunzipIfCompressed(std::unique_ptr<ByteSource> inner);
  ~GunzipIfCompressed() override;
  GunzipIfCompressed(const GunzipIfCompressed&) = delete;
  GunzipIfCompressed& operator=(const GunzipIfCompressed&) = delete;

  [[nodiscard]] Result<std::size_t> read(char* buf, std::size_t n) override;
  [[nodiscard]] bool rewind() override;

  /// True once the first read found the gzip magic.
  [[nodiscard]] bool compressed() const { return mode_ == Mode::kInflate; }

 private:
  enum class Mode { kUnknown, kPassThrough, kInflate };
  Result<void> detect();
  Result<std::size_t> inflateSome(char* buf, std::size_t n);
  Result<bool> refill();

  std::unique_ptr<ByteSource> inner_;
  std::vector<char> in_;
  std::size_t in_pos_ = 0;
  std::size_t in_len_ = 0;
  bool inner_eof_ = false;
  bool stream_ended_ = false;
  Mode mode_ = Mode::kUnknown;
  struct ZState;
  std::unique_ptr<ZState> z_;
};

}  // namespace ordergate::adapters::amazon
