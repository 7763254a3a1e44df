#include <iconv.h>

#include <cerrno>
#include <string>

#include "adapters/common/utf8.hpp"
#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

// Windows-1252 0x80..0x9F; the five unassigned bytes map to the C1 controls, as WHATWG does.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Offset of the first invalid UTF-8 sequence, npos when valid.
std::size_t firstInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) {
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2) &&
               !(c == 0xE0 && byte(i + 1) < 0xA0) && !(c == 0xED && byte(i + 1) >= 0xA0)) {
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3) &&
               !(c == 0xF0 && byte(i + 1) < 0x90) && !(c == 0xF4 && byte(i + 1) >= 0x90)) {
      i += 4;
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

Result<std::string_view> viaIconv(std::string_view bytes, const std::string& name,
                                  std::string& buffer) {
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return fail(ErrorCode::kInvalidInput, "unknown encoding \"" + name + "\"");
  }
  buffer.assign(bytes.size() * 3 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* out = buffer.data();
  std::size_t out_left = buffer.size();
  const std::size_t rc = iconv(cd, &in, &in_left, &out, &out_left);
  const int err = errno;
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) {
    const auto offset = static_cast<std::size_t>(in - bytes.data());
    return fail(ErrorCode::kInvalidInput, std::string("not valid ") + name + " at byte " +
                                              std::to_string(offset) +
                                              (err == EINVAL ? " (truncated sequence)" : ""));
  }
  buffer.resize(buffer.size() - out_left);
  return std::string_view(buffer);
}

}  // namespace

bool isTextFormat(SourceFormat f) { return f == SourceFormat::kCsv || f == SourceFormat::kTsv; }

Result<Encoding> parseEncoding(std::string_view name) {
  const std::string n = lower(name);
  if (n == "utf-8" || n == "utf8") {
    return Encoding::kUtf8;
  }
  if (n == "windows-1252" || n == "cp1252" || n == "win-1252") {
    return Encoding::kWindows1252;
  }
  if (n == "iso-8859-1" || n == "latin1" || n == "latin-1" || n == "iso8859-1") {
    return Encoding::kLatin1;
  }
  iconv_t cd = iconv_open("UTF-8", std::string(name).c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return fail(ErrorCode::kConfig, "unknown encoding \"" + std::string(name) + "\"");
  }
  iconv_close(cd);
  return Encoding::kOther;
}

Result<std::string_view> toUtf8(std::string_view bytes, Encoding encoding, const std::string& name,
                                std::string& buffer) {
  switch (encoding) {
    case Encoding::kUtf8: {
      if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
      }
      if (const std::size_t bad = firstInvalidUtf8(bytes); bad != std::string_view::npos) {
        return fail(ErrorCode::kInvalidInput,
                    "not valid UTF-8 at byte " + std::to_string(bad) +
                        " (declare source.encoding if the file is Windows-1252 or ISO-8859-1)");
      }
      return bytes;
    }
    case Encoding::kWindows1252:
    case Encoding::kLatin1: {
      buffer.clear();
      buffer.reserve(bytes.size() + bytes.size() / 8);
      for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
          buffer.push_back(ch);
        } else if (encoding == Encoding::kWindows1252 && c < 0xA0) {
          appendUtf8(buffer, kCp1252High[c - 0x80]);
        } else {
          appendUtf8(buffer, c);
        }
      }
      return std::string_view(buffer);
    }
    case Encoding::kOther:
      return viaIconv(bytes, name, buffer);
  }
  return bytes;
}

}  // namespace ordergate::adapters::mapping
