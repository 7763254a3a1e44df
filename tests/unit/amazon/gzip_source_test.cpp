#include "adapters/amazon/gzip_source.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "adapters/common/byte_sources.hpp"

namespace ordergate::adapters::amazon {
namespace {

std::string gzip(std::string_view data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Result<std::string> readAll(ByteSource& source, std::size_t chunk = 7) {
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    auto got = source.read(buf.data(), buf.size());
    if (!got) {
      return tl::unexpected(got.error());
    }
    if (*got == 0) {
      return out;
    }
    out.append(buf.data(), *got);
  }
}

std::string sampleText() {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "111-0000000-" + std::to_string(1000000 + i) + "\tShipped\t12.99\n";
  }
  return text;
}

TEST(GunzipIfCompressed, InflatesGzipAndRewinds) {
  const std::string text = sampleText();
  GunzipIfCompressed source(std::make_unique<MemoryByteSource>(gzip(text)));
  auto first = readAll(source, 4096);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(source.compressed());
  EXPECT_EQ(*first, text);
  ASSERT_TRUE(source.rewind());
  auto second = readAll(source, 3);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, text);
}

TEST(GunzipIfCompressed, PassesPlainBytesThrough) {
  for (std::string text : {std::string(), std::string("x"), std::string("\x1f"), sampleText()}) {
    GunzipIfCompressed source(std::make_unique<MemoryByteSource>(text));
    auto out = readAll(source);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(*out, text);
    EXPECT_FALSE(source.compressed());
  }
}

TEST(GunzipIfCompressed, ConcatenatedMembersFormOneStream) {
  GunzipIfCompressed source(std::make_unique<MemoryByteSource>(gzip("part one\n") + gzip("two\n")));
  auto out = readAll(source);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, "part one\ntwo\n");
}

TEST(GunzipIfCompressed, TruncatedAndCorruptDataAreErrors) {
  const std::string packed = gzip(sampleText());
  GunzipIfCompressed truncated(
      std::make_unique<MemoryByteSource>(packed.substr(0, packed.size() / 2)));
  auto out = readAll(truncated, 4096);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(out.error().message.find("truncated"), std::string::npos);

  std::string corrupt = packed;
  for (std::size_t i = 20; i < 60; ++i) {
    corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  }
  GunzipIfCompressed bad(std::make_unique<MemoryByteSource>(corrupt));
  out = readAll(bad, 4096);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace ordergate::adapters::amazon
