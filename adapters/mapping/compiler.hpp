#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "adapters/common/settings.hpp"
#include "adapters/mapping/plan.hpp"

namespace ordergate::adapters::mapping {

/// Compiles value expressions, conditions, money and time rules of one mapping file into `plan`
/// (which owns the rule descriptions), collecting every problem into `errors` as
/// "<file>:<line> <rule path>": reason. Used only while compiling; not thread-safe.
class ExprCompiler {
 public:
  ExprCompiler(MappingPlan& plan, FieldErrors& errors) : plan_(plan), errors_(errors) {}

  /// A target field of `type` from `node` (nullptr: not declared, the field stays absent).
  void field(const SettingNode* node, const std::string& rule_path, FieldType type, Field& out);
  /// A text expression; `extra` lists keys the caller handles itself (allowed, ignored here).
  [[nodiscard]] ExprPtr text(const SettingNode& node, const std::string& rule_path,
                             const RuleInfo* rule,
                             std::initializer_list<std::string_view> extra = {});
  [[nodiscard]] ConditionPtr condition(const SettingNode& node, const std::string& rule_path,
                                       const RuleInfo* rule);
  [[nodiscard]] MoneyExprPtr money(const SettingNode& node, const std::string& rule_path,
                                   const RuleInfo* rule);
  /// A path in the mapping's source format.
  [[nodiscard]] bool path(const SettingNode& node, const std::string& rule_path, Path& out);

  /// Records "<file>:<line> <rule path>: message".
  void error(const SettingNode& node, const std::string& rule_path, const std::string& message);
  /// Errors for keys of a map node outside `allowed`; false when `node` is not a map.
  bool onlyKeys(const SettingNode& node, const std::string& rule_path,
                std::initializer_list<std::string_view> allowed);
  /// A rule description owned by the plan.
  const RuleInfo* rule(const SettingNode& node, const std::string& rule_path);

 private:
  void timeKeys(const SettingNode& node, const std::string& rule_path, TimeSpec& spec,
                const RuleInfo* rule);
  void checkEnumLiterals(const SettingNode& node, const std::string& rule_path, FieldType type);
  ExprPtr source(const SettingNode& node, const std::string& rule_path, const RuleInfo* rule);
  /// A path expression with its PathMemo slot.
  ExprPtr pathExpr(Path p, const RuleInfo* rule);

  MappingPlan& plan_;
  FieldErrors& errors_;
};

/// Compiles `signature:` (nullptr: none) into `spec`; problems go to the compiler's errors.
void compileSignature(ExprCompiler& c, const SettingNode* node, SignatureSpec& spec);

/// Reads a scalar boolean ("true"/"false"); records an error otherwise.
bool scalarBool(ExprCompiler& c, const SettingNode& node, const std::string& rule_path);

}  // namespace ordergate::adapters::mapping
