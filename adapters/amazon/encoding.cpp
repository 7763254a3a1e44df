#include "adapters/amazon/encoding.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "adapters/common/utf8.hpp"

namespace ordergate::adapters::amazon {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string normalisedName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') {
      continue;
    }
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

// Length of the well-formed UTF-8 sequence at text[i] (a byte >= 0x80), 0 when ill-formed.
std::size_t sequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const auto cont = [&](std::size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(i);
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    return (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) ? 0 : 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    return (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) ? 0 : 4;
  }
  return 0;
}

// Skips ASCII eight bytes at a time; returns the index of the first byte >= 0x80 (or size).
std::size_t skipAscii(std::string_view text, std::size_t i) {
  while (i + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) {
      break;
    }
    i += 8;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) {
    ++i;
  }
  return i;
}

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// UTF-8 bytes of each single-byte code, built once: length in [0], bytes in [1..3].
using ByteTable = std::array<std::array<char, 4>, 256>;

ByteTable buildTable(Encoding encoding) {
  ByteTable table{};
  for (unsigned b = 0; b < 256; ++b) {
    char32_t cp = b;
    if (encoding == Encoding::kWindows1252 && b >= 0x80 && b <= 0x9F) {
      cp = kCp1252High[b - 0x80] != 0 ? kCp1252High[b - 0x80] : 0xFFFD;
    }
    std::string bytes;
    appendUtf8(bytes, cp);
    table[b][0] = static_cast<char>(bytes.size());
    std::memcpy(&table[b][1], bytes.data(), bytes.size());
  }
  return table;
}

}  // namespace

std::optional<Encoding> parseEncodingName(std::string_view name) {
  const std::string n = normalisedName(name);
  if (n == "utf8") {
    return Encoding::kUtf8;
  }
  if (n == "cp1252" || n == "windows1252" || n == "win1252" || n == "mswin1252") {
    return Encoding::kWindows1252;
  }
  if (n == "iso88591" || n == "latin1" || n == "l1" || n == "iso8859" || n == "88591") {
    return Encoding::kIso88591;
  }
  if (n == "shiftjis" || n == "sjis" || n == "cp932" || n == "windows31j" || n == "ms932" ||
      n == "mskanji" || n == "xsjis" || n == "csshiftjis") {
    return Encoding::kShiftJis;
  }
  return std::nullopt;
}

std::string_view encodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kWindows1252:
      return "windows-1252";
    case Encoding::kIso88591:
      return "ISO-8859-1";
    case Encoding::kShiftJis:
      return "Shift_JIS (CP932)";
  }
  return "UTF-8";
}

std::string_view charsetOf(std::string_view content_type) {
  std::size_t pos = 0;
  while ((pos = content_type.find(';', pos)) != std::string_view::npos) {
    ++pos;
    std::string_view param = content_type.substr(pos);
    param = param.substr(0, param.find(';'));
    while (!param.empty() && (param.front() == ' ' || param.front() == '\t')) {
      param.remove_prefix(1);
    }
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || normalisedName(param.substr(0, eq)) != "charset") {
      continue;
    }
    std::string_view value = param.substr(eq + 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
      value.remove_suffix(1);
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

bool isValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while ((i = skipAscii(text, i)) < text.size()) {
    const std::size_t len = sequenceLength(text, i);
    if (len == 0) {
      return false;
    }
    i += len;
  }
  return true;
}

struct Transcoder::Impl {
  Encoding encoding = Encoding::kUtf8;
  bool sanitize = false;
  ByteTable table{};
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  ~Impl() {
    if (cd != reinterpret_cast<iconv_t>(-1)) {
      iconv_close(cd);
    }
  }
};

Result<Transcoder> Transcoder::create(Encoding encoding, bool sanitize_utf8) {
  auto impl = std::make_unique<Impl>();
  impl->encoding = encoding;
  impl->sanitize = sanitize_utf8;
  if (encoding == Encoding::kWindows1252 || encoding == Encoding::kIso88591) {
    impl->table = buildTable(encoding);
  } else if (encoding == Encoding::kShiftJis) {
    impl->cd = iconv_open("UTF-8", "CP932");
    if (impl->cd == reinterpret_cast<iconv_t>(-1)) {
      return fail(ErrorCode::kInternal, "iconv cannot convert CP932 to UTF-8");
    }
  }
  return Transcoder(std::move(impl));
}

Transcoder::Transcoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transcoder::Transcoder(Transcoder&&) noexcept = default;
Transcoder& Transcoder::operator=(Transcoder&&) noexcept = default;
Transcoder::~Transcoder() = default;

bool Transcoder::passThrough() const {
  return impl_->encoding == Encoding::kUtf8 && !impl_->sanitize;
}

void Transcoder::toUtf8(std::string_view in, std::string& out) {
  out.clear();
  Impl& t = *impl_;
  switch (t.encoding) {
    case Encoding::kUtf8: {
      std::size_t i = 0;
      std::size_t run = 0;
      while ((i = skipAscii(in, i)) < in.size()) {
        const std::size_t len = sequenceLength(in, i);
        if (len != 0 || !t.sanitize) {
          i += len == 0 ? 1 : len;
          continue;
        }
        out.append(in.substr(run, i - run)).append(kReplacement);
        run = ++i;
      }
      out.append(in.substr(run));
      return;
    }
    case Encoding::kWindows1252:
    case Encoding::kIso88591: {
      out.reserve(in.size() + in.size() / 2);
      std::size_t i = 0;
      std::size_t run = 0;
      while ((i = skipAscii(in, i)) < in.size()) {
        out.append(in.substr(run, i - run));
        const auto& bytes = t.table[static_cast<unsigned char>(in[i])];
        out.append(&bytes[1], static_cast<std::size_t>(bytes[0]));
        run = ++i;
      }
      out.append(in.substr(run));
      return;
    }
    case Encoding::kShiftJis: {
      iconv(t.cd, nullptr, nullptr, nullptr, nullptr);
      out.resize(in.size() * 3 + 4);
      char* src = const_cast<char*>(in.data());
      std::size_t src_left = in.size();
      char* dst = out.data();
      std::size_t dst_left = out.size();
      while (src_left > 0) {
        if (iconv(t.cd, &src, &src_left, &dst, &dst_left) != static_cast<std::size_t>(-1)) {
          break;
        }
        if (errno == E2BIG) {
          break;  // cannot happen: three output bytes per input byte are always enough
        }
        // EILSEQ / EINVAL: an unconvertible or truncated character; replace one byte.
        if (dst_left < kReplacement.size()) {
          break;
        }
        std::memcpy(dst, kReplacement.data(), kReplacement.size());
        dst += kReplacement.size();
        dst_left -= kReplacement.size();
        ++src;
        --src_left;
      }
      out.resize(static_cast<std::size_t>(dst - out.data()));
      return;
    }
  }
}

}  // namespace ordergate::adapters::amazon
