#include "adapters/amazon/tsv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/common/byte_sources.hpp"

namespace ordergate::adapters::amazon {
namespace {

// Reads every line; `chunk` limits each read so lines straddle buffer refills.
class ChunkedSource final : public ByteSource {
 public:
  ChunkedSource(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    const std::size_t count = std::min({n, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, count, buf);
    pos_ += count;
    return count;
  }
  bool rewind() override {
    pos_ = 0;
    return true;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

std::vector<std::string> allLines(std::string data, std::size_t chunk = 1 << 20,
                                  bool* bom = nullptr) {
  ChunkedSource source(std::move(data), chunk);
  LineReader reader(source);
  std::vector<std::string> out;
  std::string_view line;
  while (reader.next(line) == LineReader::Status::kLine) {
    out.emplace_back(line);
    EXPECT_EQ(reader.lineNumber(), out.size());
  }
  if (bom != nullptr) {
    *bom = reader.hadBom();
  }
  return out;
}

TEST(LineReader, LfAndCrlfEndingsAndMissingFinalNewline) {
  EXPECT_EQ(allLines("a\tb\nc\td\n"), (std::vector<std::string>{"a\tb", "c\td"}));
  EXPECT_EQ(allLines("a\tb\r\nc\td\r\n"), (std::vector<std::string>{"a\tb", "c\td"}));
  EXPECT_EQ(allLines("a\r\nlast"), (std::vector<std::string>{"a", "last"}));
  EXPECT_EQ(allLines("a\r\nlast\r"), (std::vector<std::string>{"a", "last"}));
  EXPECT_EQ(allLines(""), std::vector<std::string>{});
  EXPECT_EQ(allLines("\n\n"), (std::vector<std::string>{"", ""}));
}

TEST(LineReader, DropsAUtf8ByteOrderMarkOnlyAtTheStart) {
  bool bom = false;
  EXPECT_EQ(allLines("\xEF\xBB\xBFh1\th2\nx\xEF\xBB\xBF\n", 2, &bom),
            (std::vector<std::string>{"h1\th2", "x\xEF\xBB\xBF"}));
  EXPECT_TRUE(bom);
  EXPECT_EQ(allLines("h\n", 1, &bom), std::vector<std::string>{"h"});
  EXPECT_FALSE(bom);
}

TEST(LineReader, LinesStraddlingReadsAndBufferGrowth) {
  std::string big(3 * 1024 * 1024, 'x');
  const auto lines = allLines("short\n" + big + "\r\nend", 4096);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), big.size());
  EXPECT_EQ(lines[2], "end");
}

TEST(LineReader, LineLongerThanTheLimitIsAnError) {
  MemoryByteSource source(std::string(200, 'x') + "\n");
  LineReader reader(source, 100);
  std::string_view line;
  EXPECT_EQ(reader.next(line), LineReader::Status::kError);
  EXPECT_EQ(reader.error().code, ErrorCode::kTooLarge);
}

TEST(LineReader, RewindStartsOver) {
  MemoryByteSource source("\xEF\xBB\xBFh\nr1\n");
  LineReader reader(source);
  std::string_view line;
  while (reader.next(line) == LineReader::Status::kLine) {
  }
  ASSERT_TRUE(reader.rewind());
  ASSERT_EQ(reader.next(line), LineReader::Status::kLine);
  EXPECT_EQ(line, "h");
  EXPECT_EQ(reader.lineNumber(), 1u);
  EXPECT_TRUE(reader.hadBom());
}

TEST(SplitTabs, QuotesAreDataEmptyCellsAndTrailingTab) {
  std::vector<std::string_view> f;
  splitTabs("Trendy Home 12\" x 18\" \"Cover\"\t\t1\t", f);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], "Trendy Home 12\" x 18\" \"Cover\"");
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(f[2], "1");
  EXPECT_EQ(f[3], "");
  splitTabs("", f);
  EXPECT_EQ(f.size(), 1u);
  splitTabs("\"a\tb\"", f);  // no quote-aware splitting: the tab separates
  EXPECT_EQ(f.size(), 2u);
}

TEST(FieldAt, PicksOneFieldWithoutSplittingTheRest) {
  EXPECT_EQ(fieldAt("a\tb\tc", 0), "a");
  EXPECT_EQ(fieldAt("a\tb\tc", 2), "c");
  EXPECT_EQ(fieldAt("a\t\tc", 1), "");
  EXPECT_EQ(fieldAt("a\tb", 5), "");
}

}  // namespace
}  // namespace ordergate::adapters::amazon
