#include <algorithm>
#include <filesystem>

#include "adapters/mapping/mapping.hpp"
#include "adapters/mapping/plan.hpp"
#include "adapters/mapping/signature.hpp"
#include "canonical/json.hpp"

namespace ordergate::adapters::mapping {
namespace {

class MappingAdapter final : public ChannelAdapter {
 public:
  MappingAdapter(std::shared_ptr<const MappingPlan> plan, SignatureVerifier verifier,
                 std::string channel_id, canonical::TimeZone zone,
                 std::vector<std::string> settings)
      : plan_(std::move(plan)),
        verifier_(std::move(verifier)),
        channel_id_(std::move(channel_id)),
        zone_(zone),
        settings_(std::move(settings)) {}

  std::string_view type() const override { return plan_->name; }

  Result<void> verify(const InboundMessage& msg) const override { return verifier_.verify(msg); }

  Normalized normalize(const InboundMessage& msg) const override {
    RunInput in;
    in.channel_id = msg.channel_id.empty() ? std::string_view(channel_id_) : msg.channel_id;
    in.body = msg.body;
    in.headers = msg.headers;
    in.received_at = msg.received_at;
    in.zone = zone_;
    in.settings = settings_;
    return runPlan(*plan_, in);
  }

 private:
  std::shared_ptr<const MappingPlan> plan_;
  SignatureVerifier verifier_;
  std::string channel_id_;
  canonical::TimeZone zone_;
  std::vector<std::string> settings_;
};

std::string channelIdOf(const std::string& file) {
  const std::filesystem::path p(file);
  if (p.filename() == "mapping.yaml" && p.has_parent_path() &&
      !p.parent_path().filename().empty()) {
    return p.parent_path().filename().string();
  }
  return p.stem().string();
}

}  // namespace

Result<ChannelAdapterPtr> createMappingAdapter(const AdapterContext& ctx,
                                               std::shared_ptr<const MappingPlan> plan) {
  if (!plan) {
    return fail(ErrorCode::kConfig, "no mapping plan", ctx.settings.keyPath("mapping"));
  }
  const Settings& settings = ctx.settings;
  const SettingNode& root = settings.root();
  if (root.kind == SettingNode::Kind::kMap) {
    for (const auto& [key, value] : root.map) {
      const bool known =
          key == "mapping" || key == "timezone" || key == "secret" ||
          // a carrier's `poll:` block is read by gateway/trackings (carriers/poll.hpp)
          (key == "poll" && plan->kind == MappingKind::kCarrier) ||
          key == plan->signature.secret_setting ||
          std::find(plan->settings.begin(), plan->settings.end(), key) != plan->settings.end();
      if (!known) {
        return fail(ErrorCode::kConfig,
                    "unknown key (mapping " + plan->file + " reads no setting \"" + key + "\")",
                    settings.keyPath(key));
      }
    }
  }
  canonical::TimeZone zone = plan->zone;
  auto zone_name = settings.optional("timezone");
  if (!zone_name) {
    return tl::unexpected(zone_name.error());
  }
  if (!zone_name->empty()) {
    auto z = canonical::findTimeZone(*zone_name);
    if (!z) {
      return fail(ErrorCode::kConfig, z.error().message, settings.keyPath("timezone"));
    }
    zone = *z;
  }
  std::vector<std::string> values;
  values.reserve(plan->settings.size());
  for (const std::string& key : plan->settings) {
    auto v = settings.optional(key);
    if (!v) {
      return tl::unexpected(v.error());
    }
    values.push_back(std::move(*v));
  }
  auto verifier = SignatureVerifier::create(plan->signature, settings);
  if (!verifier) {
    return tl::unexpected(verifier.error());
  }
  return ChannelAdapterPtr(std::make_shared<MappingAdapter>(
      std::move(plan), std::move(*verifier), ctx.channel_id, zone, std::move(values)));
}

int runMappingTest(const SettingNode& mapping_tree, const std::string& mapping_file,
                   const std::string& input_bytes,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string& out, std::string& err) {
  out.clear();
  err.clear();
  auto plan = compileMappingAll(mapping_tree, mapping_file);
  if (!plan) {
    for (const FieldError& e : plan.error()) {
      err += describe(e) + "\n";
    }
    return 1;
  }
  std::vector<Header> header_list;
  header_list.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    header_list.push_back(Header{name, value});
  }
  const std::string channel_id = channelIdOf(mapping_file);
  RunInput in;
  in.channel_id = channel_id;
  in.body = input_bytes;
  in.headers = HeaderView(header_list);
  in.received_at = *canonical::parseRfc3339(kMappingTestReceivedAt);
  const Normalized result = runPlan(**plan, in);
  if (!result.errors.empty()) {
    for (const FieldError& e : result.errors) {
      err += describe(e) + "\n";
    }
    return 1;
  }
  if (!result.ignored.empty()) {
    err = "ignored: " + result.ignored + "\n";
  }
  out.push_back('[');  // not out = "[": GCC 12 false -Wrestrict (PR 105329)
  for (std::size_t i = 0; i < result.events.size(); ++i) {
    const canonical::CanonicalEvent& e = result.events[i];
    out += i == 0 ? "\n  {" : ",\n  {";
    out += "\"type\":";
    canonical::appendJsonString(out, canonical::toString(e.type));
    out += ",\"subject\":";
    canonical::appendJsonString(out, e.subject);
    out += ",\"version\":";
    canonical::appendJsonString(out, e.version);
    out += ",\"time\":";
    canonical::appendJsonString(out, canonical::formatRfc3339(e.time));
    out += ",\"data\":";
    if (const auto* order = std::get_if<canonical::Order>(&e.data)) {
      out += canonical::writeOrderJson(*order);
    } else {
      out += canonical::writeTrackingJson(std::get<canonical::TrackingUpdate>(e.data));
    }
    out += "}";
  }
  out += result.events.empty() ? "]\n" : "\n]\n";
  return 0;
}

}  // namespace ordergate::adapters::mapping
