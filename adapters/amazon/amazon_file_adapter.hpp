#pragma once

#include <memory>
#include <string_view>

#include "adapters/adapter.hpp"
#include "adapters/amazon/amazon_reader.hpp"
#include "adapters/file_adapter.hpp"

namespace ordergate::adapters::amazon {

/// Adapter name in config: `adapter: amazon_flat_file`.
inline constexpr std::string_view kFileAdapterName = "amazon_flat_file";

/// Settings of an Amazon channel block, validated once.
struct AmazonFileSettings {
  canonical::TimeZone zone = nullptr;  ///< `timezone`, default UTC (for times without offset)
  std::optional<Encoding> encoding;    ///< `encoding`; absent → Content-Type charset / detection
  Encoding fallback_encoding = Encoding::kWindows1252;  ///< `fallback_encoding`
  std::string marketplace;                              ///< `marketplace` → channel.store
  std::string seller_id;                                ///< `seller_id`
};

/// The `amazon_flat_file` adapter: Amazon order report flat files (all-orders by order date /
/// last update, and the shipping order report), plain or gzip. Immutable; thread-safe.
class AmazonFileAdapter final : public FileAdapter {
 public:
  AmazonFileAdapter(std::string channel_id, AmazonFileSettings settings)
      : channel_id_(std::move(channel_id)), settings_(std::move(settings)) {}

  [[nodiscard]] std::string_view type() const override { return kFileAdapterName; }
  /// Wraps `source` in a gunzip-if-compressed decorator and returns an AmazonFileReader.
  [[nodiscard]] std::unique_ptr<FileReader> open(std::unique_ptr<ByteSource> source,
                                                 const FileContext& ctx) const override;
  /// Same, typed, for tests and benchmarks that look at the reader's memory figures.
  [[nodiscard]] std::unique_ptr<AmazonFileReader> openReader(std::unique_ptr<ByteSource> source,
                                                             const FileContext& ctx,
                                                             ReaderLimits limits = {}) const;

 private:
  std::string channel_id_;
  AmazonFileSettings settings_;
};

/// Reads and checks the channel block: only `timezone`, `encoding`, `fallback_encoding`,
/// `marketplace`, `seller_id` (plus `inbox` and `sp_api`, read by the gateway). kConfig errors
/// name the key path ("channels.amazon_eu.encoding: unsupported encoding \"utf-16\"").
[[nodiscard]] Result<AmazonFileSettings> parseSettings(const Settings& settings);

/// Factory registered as `amazon_flat_file`.
[[nodiscard]] Result<std::shared_ptr<const FileAdapter>> createFileAdapter(
    const AdapterContext& ctx);

}  // namespace ordergate::adapters::amazon
