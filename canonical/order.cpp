#include "canonical/order.hpp"

namespace ordergate::canonical {

std::string makeOrderKey(std::string_view channel_id, std::string_view order_id) {
  std::string key;
  key.reserve(channel_id.size() + 1 + order_id.size());
  key.append(channel_id).append(":").append(order_id);
  return key;
}

}  // namespace ordergate::canonical
