#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/error.hpp"

namespace ordergate::adapters::amazon {

/// Text encodings Amazon report files arrive in.
enum class Encoding {
  kUtf8,
  kWindows1252,  ///< "Cp1252" in SP-API Content-Type headers; EU marketplaces
  kIso88591,     ///< older SDK default
  kShiftJis,     ///< Shift_JIS as Windows writes it (CP932 / Windows-31J); JP marketplace
};

/// Reads an encoding name as configs and Content-Type headers spell it, case-insensitively and
/// ignoring '-' and '_': utf8, cp1252, windows-1252, iso-8859-1, latin1, shift_jis, sjis, cp932,
/// windows-31j, ms932. nullopt for anything else.
[[nodiscard]] std::optional<Encoding> parseEncodingName(std::string_view name);

/// Display name: "UTF-8", "windows-1252", "ISO-8859-1", "Shift_JIS (CP932)".
[[nodiscard]] std::string_view encodingName(Encoding encoding);

/// The `charset` parameter of a Content-Type value ("text/plain; charset=Cp1252" → "Cp1252"),
/// unquoted; empty when there is none.
[[nodiscard]] std::string_view charsetOf(std::string_view content_type);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] bool isValidUtf8(std::string_view text);

/// Converts lines of one encoding to UTF-8. Bytes that cannot be converted become U+FFFD.
/// Lines are converted whole: LF and TAB never occur inside a multi-byte character of the
/// supported encodings, so splitting before converting is exact. Move-only; not thread-safe
/// (one per reader).
class Transcoder {
 public:
  /// `sanitize_utf8`: for kUtf8, replace invalid sequences (when the file was declared UTF-8 but
  /// is not); otherwise UTF-8 passes through untouched. Error kInternal when iconv lacks CP932.
  [[nodiscard]] static Result<Transcoder> create(Encoding encoding, bool sanitize_utf8 = false);
  Transcoder(Transcoder&&) noexcept;
  Transcoder& operator=(Transcoder&&) noexcept;
  ~Transcoder();

  /// True when toUtf8() would return its input unchanged (callers can skip the copy).
  [[nodiscard]] bool passThrough() const;
  /// Replaces `out` with `in` converted to UTF-8.
  void toUtf8(std::string_view in, std::string& out);

 private:
  struct Impl;
  explicit Transcoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordergate::adapters::amazon
