#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/mapping/plan.hpp"

// The plan runner's internals, shared by runner.cpp (orders) and runner_tracking.cpp.

namespace ordergate::adapters::mapping::runner_detail {

/// Records "required" unless evaluating the field already recorded why it has no value.
void required(EvalContext& ctx, const Field& f, std::size_t errors_before);
/// A field's text ("" when absent or not declared).
[[nodiscard]] std::string str(EvalContext& ctx, const Field& f);
/// Writes a field's text into `out` (left as is when absent or not declared).
void assign(EvalContext& ctx, const Field& f, std::string& out);
[[nodiscard]] std::optional<canonical::Timestamp> time(EvalContext& ctx, const Field& f);
[[nodiscard]] std::string country(EvalContext& ctx, const Field& f);
/// Canonical validation failures as errors naming the mapping rule of each field.
void addValidationErrors(const MappingPlan& plan, const FieldErrors& found, std::string_view root,
                         FieldErrors& out);

/// One run of a plan over one message. Not thread-safe; one per call of runPlan.
class Runner {
 public:
  Runner(const MappingPlan& plan, const RunInput& in, Normalized& out)
      : plan_(plan), in_(in), out_(out) {}

  /// Normalises in_.body into out_ (events, errors or an ignore reason).
  void run();

 private:
  // A group's record indexes are order[begin, end).
  struct Group {
    std::size_t first = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
  };

  bool ignored(bool with_document);
  std::vector<Group> group(const std::vector<Node>& records, std::vector<std::size_t>& order);
  // Nodes `each` selects under every member of the group (the members themselves when absent).
  void children(bool has_each, const Path& each, std::vector<Node>& out);
  void sourceInfo(canonical::SourceInfo& source);
  void buildOrder(const Frame& record_frame, std::size_t errors_before);
  void buildLines(canonical::Order& o, const Frame& record_frame);
  void buildTracking(const Frame& record_frame, std::size_t errors_before);

  const MappingPlan& plan_;
  const RunInput& in_;
  Normalized& out_;
  EvalContext ctx_;
  const Document* doc_ = nullptr;
  std::vector<Node>* members_ = nullptr;
  std::vector<bool> keep_;
  std::vector<Node>* children_ = nullptr;
};

}  // namespace ordergate::adapters::mapping::runner_detail
