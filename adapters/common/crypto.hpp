#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::adapters {

/// Standard base64 (RFC 4648 §4: "+/" alphabet) with "=" padding. Thread-safe.
[[nodiscard]] std::string base64Encode(std::string_view data);

/// Strict inverse of base64Encode: the length must be a multiple of 4, padding only at the end
/// (at most two "="), no whitespace, no URL-safe characters, and the unused bits of the last
/// character must be zero (so every byte string has exactly one accepted encoding).
/// nullopt when any rule is broken. Thread-safe.
[[nodiscard]] std::optional<std::string> base64Decode(std::string_view text);

/// Lowercase hexadecimal, two characters per byte. Thread-safe.
[[nodiscard]] std::string hexEncode(std::string_view data);

/// Inverse of hexEncode; accepts upper- and lowercase digits. nullopt on odd length or a
/// non-hex character. Thread-safe.
[[nodiscard]] std::optional<std::string> hexDecode(std::string_view text);

/// Compares two secrets (MACs, tokens) in time independent of where they differ
/// (CRYPTO_memcmp). Different lengths compare unequal; the length itself is not secret.
/// Thread-safe.
[[nodiscard]] bool constantTimeEquals(std::string_view a, std::string_view b);

/// HMAC-SHA256 with a fixed key, built once and used on the request path.
///
/// Each thread keeps its own keyed OpenSSL EVP_MAC_CTX per HmacSha256 object (a small
/// thread_local cache) and re-initialises it for every message, which is measurably faster
/// than one-shot HMAC() (see docs/PERFORMANCE-NOTES.md). Copies share the cached contexts.
///
/// Thread-safety: const member functions may be called concurrently from any number of
/// threads.
class HmacSha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;

  /// `key` is the raw key bytes (any length, may be empty).
  explicit HmacSha256(std::string key);
  HmacSha256(const HmacSha256&) = default;
  HmacSha256(HmacSha256&&) noexcept = default;
  HmacSha256& operator=(const HmacSha256&) = default;
  HmacSha256& operator=(HmacSha256&&) noexcept = default;
  ~HmacSha256();

  /// The raw 32-byte MAC of `data`. Empty only if OpenSSL itself fails (out of memory).
  [[nodiscard]] std::string digest(std::string_view data) const;

  /// The MAC of the concatenation of `parts`, without building the concatenation.
  [[nodiscard]] std::string digestParts(std::initializer_list<std::string_view> parts) const;

 private:
  std::string key_;
  std::uint64_t id_ = 0;  ///< identifies the key in the per-thread context cache
};

}  // namespace ordergate::adapters
