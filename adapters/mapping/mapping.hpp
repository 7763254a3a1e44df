#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/common/settings.hpp"
#include "canonical/error.hpp"

namespace ordergate::adapters::mapping {

/// A compiled mapping file: immutable, shared by every thread and every adapter built from it.
/// Hot reload compiles the new file into a new plan and swaps the adapter's shared_ptr.
class MappingPlan;

/// Whether a mapping produces orders (a channel) or tracking updates (a carrier).
enum class MappingKind { kChannel, kCarrier };

/// Compiles a mapping file's tree (from gateway::config::loadYamlTree) into a plan.
/// `file_name` is used in every message, e.g. "mappings/woo/mapping.yaml".
/// Error kConfig: field "<file>:<line> <rule path>" of the first problem, message its reason,
/// followed by " (+N more)" when there are several; unknown keys are errors.
/// Thread-safe (no shared state).
[[nodiscard]] Result<std::shared_ptr<const MappingPlan>> compileMapping(const SettingNode& tree,
                                                                        std::string file_name);

/// Same, with every problem: each FieldError's field is "<file>:<line> <rule path>".
[[nodiscard]] tl::expected<std::shared_ptr<const MappingPlan>, FieldErrors> compileMappingAll(
    const SettingNode& tree, std::string file_name);

/// The mapping's `name` (the canonical channel.type of its orders).
[[nodiscard]] std::string_view mappingName(const MappingPlan& plan);
[[nodiscard]] MappingKind mappingKind(const MappingPlan& plan);
/// The file name the plan was compiled from.
[[nodiscard]] std::string_view mappingFile(const MappingPlan& plan);
/// Channel settings keys the adapter accepts besides `mapping`, `timezone` and the secret.
[[nodiscard]] const std::vector<std::string>& mappingSettingKeys(const MappingPlan& plan);

/// Builds the adapter of one configured channel or carrier from a compiled plan.
/// ctx.settings is the channel block: `mapping` (ignored here), the secret (key `secret`, or the
/// mapping's `signature.secret_setting`; required when the mapping declares a signature),
/// `timezone` (IANA zone for times without an offset; overrides the mapping's `zone`), and
/// any key the mapping reads with `{setting: key}`.
/// Error kConfig naming "<settings path>.<key>" (unknown key, missing secret, unknown zone).
/// The adapter is immutable and thread-safe.
[[nodiscard]] Result<ChannelAdapterPtr> createMappingAdapter(
    const AdapterContext& ctx, std::shared_ptr<const MappingPlan> plan);

/// Received-at time `runMappingTest` stamps on events, so its output is reproducible.
inline constexpr std::string_view kMappingTestReceivedAt = "2026-01-01T00:00:00Z";

/// `ordergate mapping test`: compiles `mapping_tree` (read from `mapping_file`), runs it on
/// `input_bytes` with `headers`, without signature verification, channel id = the mapping's
/// folder name (mappings/<id>/mapping.yaml) or file stem, received at kMappingTestReceivedAt.
/// Returns 0 with `out` = a JSON array of events {type, subject, version, time, data}
/// (an ignored message gives [] and "ignored: <reason>" in `err`), or 1 with every error,
/// one per line, in `err`. Thread-safe.
int runMappingTest(const SettingNode& mapping_tree, const std::string& mapping_file,
                   const std::string& input_bytes,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string& out, std::string& err);

}  // namespace ordergate::adapters::mapping
