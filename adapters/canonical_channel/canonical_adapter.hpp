#pragma once

#include "adapters/adapter.hpp"

namespace ordergate::adapters::canonical_channel {

/// Adapter `canonical`: a storefront of the user's own POSTs canonical orders (CANONICAL.md
/// JSON) signed with Standard Webhooks headers (webhook-id, webhook-timestamp,
/// webhook-signature). Settings: `secret` (whsec_… or raw, one or a list for rotation),
/// `tolerance` (seconds, default 300).
[[nodiscard]] Result<ChannelAdapterPtr> createCanonicalAdapter(const AdapterContext& ctx);

}  // namespace ordergate::adapters::canonical_channel
