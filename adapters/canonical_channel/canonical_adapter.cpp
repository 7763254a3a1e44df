#include "adapters/canonical_channel/canonical_adapter.hpp"

#include <chrono>

#include "adapters/common/standard_webhooks.hpp"
#include "canonical/json.hpp"
#include "canonical/validate.hpp"

namespace ordergate::adapters::canonical_channel {
namespace {

using canonical::EventType;

class CanonicalAdapter final : public ChannelAdapter {
 public:
  CanonicalAdapter(std::string channel_id, std::vector<StandardWebhooksSigner> signers,
                   long long tolerance)
      : channel_id_(std::move(channel_id)), signers_(std::move(signers)), tolerance_(tolerance) {}

  std::string_view type() const override { return "canonical"; }

  Result<void> verify(const InboundMessage& msg) const override {
    long long now = std::chrono::duration_cast<std::chrono::seconds>(
                        msg.received_at.time_since_epoch())
                        .count();
    Result<void> last = fail(ErrorCode::kUnauthenticated, "no secret configured");
    for (const StandardWebhooksSigner& s : signers_) {
      last = s.verify(msg.headers.get("webhook-id"), msg.headers.get("webhook-timestamp"),
                      msg.headers.get("webhook-signature"), msg.body, now, tolerance_);
      if (last) {
        return last;
      }
    }
    return last;
  }

  // Standard Webhooks: "the same id is used when the message is retried".
  std::string deliveryKey(const InboundMessage& msg) const override {
    return std::string(msg.headers.get("webhook-id"));
  }

  Normalized normalize(const InboundMessage& msg) const override {
    Normalized out;
    out.delivery_id = deliveryKey(msg);
    auto order = canonical::readOrderJson(msg.body);
    if (!order) {
      out.errors = std::move(order.error());
      return out;
    }
    canonical::Order& o = *order;
    if (o.channel.type.empty()) {
      o.channel.type = "canonical";
    }
    if (!o.channel.id.empty() && o.channel.id != channel_id_) {
      out.errors.push_back({"channel.id", "is \"" + o.channel.id + "\" but this channel is \"" +
                                              channel_id_ + "\""});
      return out;
    }
    o.channel.id = channel_id_;
    std::string expected_key = canonical::makeOrderKey(channel_id_, o.channel.order_id);
    if (o.order_key.empty()) {
      o.order_key = expected_key;
    } else if (o.order_key != expected_key) {
      out.errors.push_back({"order_key", "must be \"" + expected_key + "\" (channel id \":\" "
                                         "channel.order_id), got \"" + o.order_key + "\""});
    }
    if (o.version.empty() && o.updated_at) {
      o.version = canonical::formatRfc3339(*o.updated_at);
    }
    auto version_key = canonical::versionSortKey(o.version);
    if (!o.version.empty() && !version_key) {
      out.errors.push_back({"version", version_key.error().message});
    }
    o.source.received_at = msg.received_at;
    o.source.delivery_id = out.delivery_id;
    for (FieldError& e : canonical::validate(o)) {
      out.errors.push_back(std::move(e));
    }
    if (!out.errors.empty()) {
      return out;
    }
    canonical::CanonicalEvent ev;
    ev.type = o.status == canonical::OrderStatus::kCancelled ? EventType::kOrderCancelled
                                                              : EventType::kOrderUpdated;
    ev.source = "/channels/" + channel_id_;
    ev.subject = o.order_key;
    ev.version = o.version;
    ev.time = o.updated_at ? *o.updated_at : (o.placed_at ? *o.placed_at : msg.received_at);
    ev.received_at = msg.received_at;
    ev.data = std::move(o);
    out.events.push_back(std::move(ev));
    return out;
  }

 private:
  std::string channel_id_;
  std::vector<StandardWebhooksSigner> signers_;
  long long tolerance_;
};

}  // namespace

Result<ChannelAdapterPtr> createCanonicalAdapter(const AdapterContext& ctx) {
  const Settings& s = ctx.settings;
  if (auto r = s.allowOnly({"secret", "tolerance"}); !r) {
    return tl::unexpected(r.error());
  }
  auto secrets = s.list("secret");
  if (!secrets) {
    return tl::unexpected(secrets.error());
  }
  if (secrets->empty()) {
    return fail(ErrorCode::kConfig, "required (Standard Webhooks secret, whsec_…)",
                s.keyPath("secret"));
  }
  std::vector<StandardWebhooksSigner> signers;
  for (const std::string& secret : *secrets) {
    auto signer = StandardWebhooksSigner::create(secret);
    if (!signer) {
      return fail(ErrorCode::kConfig, signer.error().message, s.keyPath("secret"));
    }
    signers.push_back(std::move(*signer));
  }
  auto tolerance = s.integer("tolerance", StandardWebhooksSigner::kDefaultToleranceSeconds);
  if (!tolerance) {
    return tl::unexpected(tolerance.error());
  }
  return std::make_shared<CanonicalAdapter>(ctx.channel_id, std::move(signers), *tolerance);
}

}  // namespace ordergate::adapters::canonical_channel
