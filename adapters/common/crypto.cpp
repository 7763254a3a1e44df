#include "adapters/common/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace ordergate::adapters {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kHexDigits = "0123456789abcdef";

constexpr std::array<std::int8_t, 256> makeBase64Table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) {
    v = -1;
  }
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> kBase64Table = makeBase64Table();

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// ---- HMAC context cache ----------------------------------------------------------------------

struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;

// Fetched once per process; the algorithm object is immutable and shareable between threads.
EVP_MAC* hmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

// Entries of destroyed HmacSha256 objects on other threads cannot be removed from here, so the
// cache is bounded and evicts its oldest entry; ids are never reused.
constexpr std::size_t kMaxCachedContexts = 32;

struct CachedContext {
  std::uint64_t id;
  MacCtxPtr ctx;
};

// Trivially destructible, so still readable while other thread_locals are being destroyed.
thread_local bool thread_cache_gone = false;

struct ThreadCache {
  std::vector<CachedContext> entries;
  ~ThreadCache() { thread_cache_gone = true; }
};

// nullptr once this thread's cache has been destroyed (an HmacSha256 used or destroyed during
// thread or process exit); callers then fall back to one-shot HMAC().
std::vector<CachedContext>* threadCache() {
  if (thread_cache_gone) {
    return nullptr;
  }
  thread_local ThreadCache cache;
  return &cache.entries;
}

std::atomic<std::uint64_t> next_id{1};

MacCtxPtr newKeyedContext(std::string_view key) {
  EVP_MAC* mac = hmacAlgorithm();
  if (mac == nullptr) {
    return nullptr;
  }
  MacCtxPtr ctx(EVP_MAC_CTX_new(mac));
  if (!ctx) {
    return nullptr;
  }
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // A non-null pointer even for an empty key: a null key means "keep the previous key".
  static const unsigned char kEmpty = 0;
  const auto* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) != 1) {
    return nullptr;
  }
  return ctx;
}

EVP_MAC_CTX* cachedContext(std::uint64_t id, std::string_view key) {
  std::vector<CachedContext>* cache_ptr = threadCache();
  if (cache_ptr == nullptr) {
    return nullptr;
  }
  auto& cache = *cache_ptr;
  for (auto& entry : cache) {
    if (entry.id == id) {
      // Re-initialising with a null key keeps the key and resets the running digest.
      if (EVP_MAC_init(entry.ctx.get(), nullptr, 0, nullptr) != 1) {
        return nullptr;
      }
      return entry.ctx.get();
    }
  }
  MacCtxPtr ctx = newKeyedContext(key);
  if (!ctx) {
    return nullptr;
  }
  if (cache.size() >= kMaxCachedContexts) {
    cache.erase(cache.begin());
  }
  cache.push_back(CachedContext{id, std::move(ctx)});
  return cache.back().ctx.get();
}

std::string oneShotHmac(std::string_view key, std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) {
    joined.append(part);
  }
  std::string out(HmacSha256::kDigestSize, '\0');
  unsigned int len = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(joined.data()), joined.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len);
  if (result == nullptr || len != HmacSha256::kDigestSize) {
    return {};
  }
  return out;
}

}  // namespace

std::string base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(data[k]); };
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 6) & 0x3f]);
    out.push_back(kBase64Alphabet[v & 0x3f]);
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = byte(i) << 16;
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3f]);
    out.append("==");
  } else if (rest == 2) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 6) & 0x3f]);
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  const std::size_t data_chars = text.size() - padding;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data_chars; ++i) {
    const std::int8_t v = kBase64Table[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      return std::nullopt;  // includes a stray "=" before the final padding
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero: "QQ==" is the only encoding of "A", not "QR==".
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

std::string hexEncode(std::string_view data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (char c : data) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0f]);
  }
  return out;
}

std::optional<std::string> hexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hexValue(text[i]);
    const int lo = hexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    // Still touch the bytes so the mismatch costs about as much as a comparison.
    (void)CRYPTO_memcmp(a.data(), a.data(), a.size());
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

HmacSha256::HmacSha256(std::string key) : key_(std::move(key)), id_(next_id.fetch_add(1)) {}

HmacSha256::~HmacSha256() {
  std::vector<CachedContext>* cache = threadCache();
  if (cache == nullptr) {
    return;
  }
  std::erase_if(*cache, [this](const CachedContext& entry) { return entry.id == id_; });
}

std::string HmacSha256::digest(std::string_view data) const { return digestParts({data}); }

std::string HmacSha256::digestParts(std::initializer_list<std::string_view> parts) const {
  EVP_MAC_CTX* ctx = cachedContext(id_, key_);
  if (ctx == nullptr) {
    return oneShotHmac(key_, parts);
  }
  for (std::string_view part : parts) {
    if (!part.empty() && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()),
                                        part.size()) != 1) {
      return oneShotHmac(key_, parts);
    }
  }
  std::string out(kDigestSize, '\0');
  std::size_t len = 0;
  if (EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) != 1 ||
      len != kDigestSize) {
    return oneShotHmac(key_, parts);
  }
  return out;
}

}  // namespace ordergate::adapters
