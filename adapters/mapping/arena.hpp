#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace ordergate::adapters::mapping {

/// Bump allocator for the text a plan run produces (formatted numbers, unescaped CSV cells,
/// concatenations). Views into it stay valid until reset(). Blocks are kept across resets, so a
/// thread that reuses one arena stops allocating after its first few messages.
/// Not thread-safe: one arena per run.
class Arena {
 public:
  static constexpr std::size_t kBlockSize = 8192;

  /// A copy of `text` owned by the arena.
  [[nodiscard]] std::string_view store(std::string_view text) {
    char* p = allocate(text.size());
    if (!text.empty()) {
      std::memcpy(p, text.data(), text.size());
    }
    return {p, text.size()};
  }

  /// `n` bytes of uninitialised storage (n may be 0).
  [[nodiscard]] char* allocate(std::size_t n) {
    if (current_ < blocks_.size() && used_ + n <= sizes_[current_]) {
      char* p = blocks_[current_].get() + used_;
      used_ += n;
      return p;
    }
    return slowAllocate(n);
  }

  /// Forgets every stored text; keeps the memory.
  void reset() {
    current_ = 0;
    used_ = 0;
  }

 private:
  char* slowAllocate(std::size_t n) {
    // Move on to the next kept block that is large enough, or add one.
    while (++current_ < blocks_.size()) {
      if (n <= sizes_[current_]) {
        used_ = n;
        return blocks_[current_].get();
      }
    }
    const std::size_t size = n > kBlockSize ? n : kBlockSize;
    blocks_.push_back(std::make_unique<char[]>(size));
    sizes_.push_back(size);
    current_ = blocks_.size() - 1;
    used_ = n;
    return blocks_.back().get();
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
};

}  // namespace ordergate::adapters::mapping
