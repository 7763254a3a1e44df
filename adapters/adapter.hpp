#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/headers.hpp"
#include "adapters/common/settings.hpp"
#include "adapters/pull.hpp"
#include "canonical/error.hpp"
#include "canonical/event.hpp"

namespace ordergate::adapters {

/// One inbound push as received: raw bytes and headers, nothing parsed yet.
struct InboundMessage {
  std::string_view channel_id;  ///< configured id of the channel or carrier
  std::string_view body;        ///< raw bytes, exactly as received (signatures cover these)
  HeaderView headers;
  canonical::Timestamp received_at{};
};

/// What normalising one message produced. Exactly one of three shapes:
///  - errors non-empty: verified but not normalisable → the gateway quarantines it;
///  - ignored non-empty: acknowledged and counted, nothing forwarded (e.g. a topic without an
///    order payload); the text says why, e.g. "topic orders/delete carries no order";
///  - pulls non-empty: the push only names a change; the gateway stores the pulls durably,
///    answers, and fetches later through the adapter's puller() (events stay empty);
///  - otherwise: zero or more events for the pipeline.
struct Normalized {
  std::vector<canonical::CanonicalEvent> events;
  std::vector<PullRequest> pulls;
  FieldErrors errors;
  std::string ignored;
  /// The channel's topic / message type of an ignored message, for counting per topic.
  std::string ignored_topic;
  /// Delivery-level id for a first, cheap dedup (Shopify X-Shopify-Event-Id, webhook-id …);
  /// empty when the channel has none.
  std::string delivery_id;
};

/// A built-in channel adapter: pure functions of (config, bytes, headers, clock reading).
/// Immutable after create(); shared by all I/O threads, so both calls must be thread-safe.
class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  /// Adapter name as written in config (`adapter: shopify`).
  [[nodiscard]] virtual std::string_view type() const = 0;
  /// Checks authenticity over the raw bytes (constant-time). Error kUnauthenticated with the
  /// reason ("missing X-Shopify-Hmac-Sha256", "signature mismatch", "shop not allowed").
  [[nodiscard]] virtual Result<void> verify(const InboundMessage& msg) const = 0;
  /// Turns the verified bytes into canonical events, or errors, or an ignore reason.
  [[nodiscard]] virtual Normalized normalize(const InboundMessage& msg) const = 0;
  /// The delivery's identity from its headers alone (no body parse), the same for every
  /// redelivery of this message and different for any other message; empty when the channel
  /// sends none. The gateway answers a recent delivery's redelivery without normalising it.
  [[nodiscard]] virtual std::string deliveryKey(const InboundMessage& msg) const {
    (void)msg;
    return {};
  }
  /// Whether a push with this Content-Type is read at all (else 415). Default: JSON.
  [[nodiscard]] virtual bool acceptsContentType(std::string_view content_type) const {
    return content_type.find("json") != std::string_view::npos;
  }
  /// The REST side for channels whose pushes return pulls (Lazada); nullptr for the others.
  /// Lives as long as the adapter.
  [[nodiscard]] virtual const ChannelPuller* puller() const { return nullptr; }
};

using ChannelAdapterPtr = std::shared_ptr<const ChannelAdapter>;

/// Everything a factory gets: the channel id and its validated-by-the-factory settings.
struct AdapterContext {
  std::string channel_id;
  Settings settings;  ///< the whole channel block (keys besides `adapter`)
};

using ChannelAdapterFactory = std::function<Result<ChannelAdapterPtr>(const AdapterContext&)>;

class FileAdapter;
using FileAdapterFactory =
    std::function<Result<std::shared_ptr<const FileAdapter>>(const AdapterContext&)>;

/// Name → factory. Filled explicitly by registerBuiltinAdapters(); owned by main.
class AdapterRegistry {
 public:
  void add(std::string name, ChannelAdapterFactory factory);
  /// A flat-file adapter (POST /v1/channels/{id}/files, `ordergate ingest`).
  void addFile(std::string name, FileAdapterFactory factory);
  [[nodiscard]] bool containsFile(std::string_view name) const;
  [[nodiscard]] Result<std::shared_ptr<const FileAdapter>> createFile(
      std::string_view name, const AdapterContext& ctx) const;
  [[nodiscard]] bool contains(std::string_view name) const;
  /// kConfig error naming "<settings path>.adapter" when the name is unknown, else the factory's.
  [[nodiscard]] Result<ChannelAdapterPtr> create(std::string_view name,
                                                 const AdapterContext& ctx) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, ChannelAdapterFactory, std::less<>> factories_;
  std::map<std::string, FileAdapterFactory, std::less<>> file_factories_;
};

/// Registers every built-in channel adapter (canonical, shopify, amazon_flat_file, lazada …).
void registerBuiltinAdapters(AdapterRegistry& registry);

}  // namespace ordergate::adapters
