#include "adapters/amazon/amazon_file_adapter.hpp"

#include "adapters/amazon/gzip_source.hpp"

namespace ordergate::adapters::amazon {
namespace {

Result<Encoding> readEncoding(const Settings& settings, std::string_view key, Encoding fallback,
                              bool& present) {
  auto text = settings.optional(key);
  if (!text) {
    return tl::unexpected(text.error());
  }
  present = !text->empty();
  if (!present) {
    return fallback;
  }
  if (auto encoding = parseEncodingName(*text)) {
    return *encoding;
  }
  return fail(ErrorCode::kConfig,
              "unsupported encoding \"" + *text +
                  "\" (utf-8, windows-1252, iso-8859-1 or shift_jis)",
              settings.keyPath(key));
}

}  // namespace

Result<AmazonFileSettings> parseSettings(const Settings& settings) {
  if (auto ok = settings.allowOnly({"adapter", "timezone", "encoding", "fallback_encoding",
                                    "marketplace", "seller_id", "inbox", "sp_api", "upload_token"});
      !ok) {
    return tl::unexpected(ok.error());
  }
  AmazonFileSettings out;
  auto zone_name = settings.optional("timezone", "UTC");
  if (!zone_name) {
    return tl::unexpected(zone_name.error());
  }
  auto zone = canonical::findTimeZone(zone_name->empty() ? "UTC" : *zone_name);
  if (!zone) {
    return fail(ErrorCode::kConfig, zone.error().message, settings.keyPath("timezone"));
  }
  out.zone = *zone;
  bool present = false;
  auto encoding = readEncoding(settings, "encoding", Encoding::kUtf8, present);
  if (!encoding) {
    return tl::unexpected(encoding.error());
  }
  if (present) {
    out.encoding = *encoding;
  }
  auto fallback = readEncoding(settings, "fallback_encoding", Encoding::kWindows1252, present);
  if (!fallback) {
    return tl::unexpected(fallback.error());
  }
  out.fallback_encoding = *fallback;
  for (auto [key, target] : {std::pair{"marketplace", &out.marketplace},
                             std::pair{"seller_id", &out.seller_id}}) {
    auto value = settings.optional(key);
    if (!value) {
      return tl::unexpected(value.error());
    }
    *target = std::move(*value);
  }
  return out;
}

Result<std::shared_ptr<const FileAdapter>> createFileAdapter(const AdapterContext& ctx) {
  auto settings = parseSettings(ctx.settings);
  if (!settings) {
    return tl::unexpected(settings.error());
  }
  return std::make_shared<const AmazonFileAdapter>(ctx.channel_id, std::move(*settings));
}

std::unique_ptr<AmazonFileReader> AmazonFileAdapter::openReader(
    std::unique_ptr<ByteSource> source, const FileContext& ctx, ReaderLimits limits) const {
  NormalizeConfig config;
  config.channel_id = channel_id_;
  config.zone = settings_.zone;
  config.marketplace = settings_.marketplace;
  config.seller_id = settings_.seller_id;
  config.file_name = ctx.file_name;
  config.received_at = ctx.received_at;
  EncodingPolicy policy;
  policy.configured = settings_.encoding;
  policy.fallback = settings_.fallback_encoding;
  policy.content_type = ctx.content_type;
  return std::make_unique<AmazonFileReader>(
      std::make_unique<GunzipIfCompressed>(std::move(source)), std::move(config),
      std::move(policy), limits);
}

std::unique_ptr<FileReader> AmazonFileAdapter::open(std::unique_ptr<ByteSource> source,
                                                    const FileContext& ctx) const {
  return openReader(std::move(source), ctx);
}

}  // namespace ordergate::adapters::amazon
