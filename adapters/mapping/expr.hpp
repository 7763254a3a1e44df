#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/headers.hpp"
#include "adapters/mapping/arena.hpp"
#include "adapters/mapping/source.hpp"
#include "canonical/error.hpp"
#include "canonical/time.hpp"

namespace ordergate::adapters::mapping {

// The compiled value language. Everything here is built once by the compiler (compile.cpp)
// and then only read: evaluation is const and keeps its state in an EvalContext, so one plan
// serves every thread.

/// Where a rule is, for error messages: "mappings/woo/mapping.yaml:42 order.totals.total".
struct RuleInfo {
  std::string where;
  std::string source;  ///< what the rule reads, as written: "$.total", "header X-Topic", …
  std::string file;
  int line = 0;
  std::string path;  ///< "order.totals.total"
};

/// Identity of a node within its document: equal ids, same node.
struct NodeId {
  Node::Kind kind = Node::Kind::kNone;
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  [[nodiscard]] bool operator==(const NodeId&) const = default;
};
[[nodiscard]] NodeId nodeId(const Node& node);

/// A path's value at one base node, kept for the rest of the run: rules often read the same
/// field several times (`status` in four rules, `subtotal` for unit price, discount and sum),
/// and the compiler gives every distinct single-valued path text one slot. Valid while `stamp`
/// is the run's stamp; only outcomes without side effects (a value, or none) are kept.
struct PathMemo {
  std::uint32_t stamp = 0;
  bool present = false;
  NodeId base;
  std::string_view value;
};

/// One `each` level, kept only to name the exact source position in errors
/// ("$.line_items[1].sku").
struct Frame {
  const Path* each = nullptr;
  std::size_t index = 0;
  const Frame* parent = nullptr;
};

/// Per-run evaluation state. Not thread-safe; one per run.
struct EvalContext {
  const Document* doc = nullptr;
  Node root;
  Node record;   ///< the order / shipment being built (`^` paths)
  Node current;  ///< the innermost `each` node (relative paths)
  const Frame* frame = nullptr;
  HeaderView headers;
  std::span<const std::string> settings;  ///< channel settings the plan declared, by index
  canonical::TimeZone zone = nullptr;     ///< default zone for times without an offset
  Arena* arena = nullptr;
  FieldErrors* errors = nullptr;

  /// Amounts already parsed in this run, keyed by the text's address in the payload: rules
  /// often read one field several times (unit price, discount and total from `subtotal`).
  struct MoneyMemo {
    const char* text = nullptr;
    std::size_t size = 0;
    char currency[4] = {};  ///< by value: an ISO 4217 code (the order's string is reused)
    std::int64_t amount = 0;
  };
  std::array<MoneyMemo, 8> money_memo{};
  std::size_t money_memo_next = 0;

  /// The ISO 4217 exponent of the last currency amounts were parsed in: an order's amounts all
  /// share one currency, so the table is searched once per run, not once per amount.
  struct CurrencyMemo {
    char code[3] = {};
    int exponent = -1;  ///< -1: nothing memoised yet
  } currency_memo;

  /// Values of single-valued paths already read in this run (PathMemo); null: no memo.
  PathMemo* path_memo = nullptr;
  std::uint32_t path_memo_stamp = 0;
};

/// Records an error "<rule> (source <where exactly>): message".
void addError(EvalContext& ctx, const RuleInfo& rule, const Path* path, const Node* node,
              std::string message);

/// A text-valued expression: a path, literal, header, setting, or a function of others.
/// Absent and empty are the same: no value.
class Expr {
 public:
  virtual ~Expr() = default;
  /// The first value; false when there is none. Errors go to ctx.errors.
  virtual bool one(EvalContext& ctx, std::string_view& out) const = 0;
  /// Every value (paths with [*] or XPath node sets give several), appended to `out`.
  virtual void all(EvalContext& ctx, std::vector<std::string_view>& out) const = 0;
  /// The source path this expression reads directly (a path, possibly with modifiers).
  [[nodiscard]] virtual const Path* sourcePath() const { return nullptr; }
  /// Whether there is something there: a value, or (for a path) an object, list or element.
  [[nodiscard]] virtual bool exists(EvalContext& ctx) const {
    std::string_view v;
    return one(ctx, v);
  }

  bool uses_document = false;  ///< false: only headers, settings and literals
  std::string text;            ///< description for error messages
};

using ExprPtr = std::unique_ptr<const Expr>;

/// A boolean test on values (`when:` and `ignore:` rules, status rules).
class Condition {
 public:
  virtual ~Condition() = default;
  [[nodiscard]] virtual bool test(EvalContext& ctx) const = 0;
  bool uses_document = false;
};

using ConditionPtr = std::unique_ptr<const Condition>;

/// A money-valued expression; amounts are minor units of the order's currency.
class MoneyExpr {
 public:
  virtual ~MoneyExpr() = default;
  /// nullopt when absent (or on error, which is recorded).
  [[nodiscard]] virtual std::optional<std::int64_t> eval(EvalContext& ctx,
                                                         std::string_view currency) const = 0;
};

using MoneyExprPtr = std::unique_ptr<const MoneyExpr>;

/// How a time value is read: a format (strftime-like) or the standard forms, and the zone for
/// values without an offset (fixed, named, computed from the payload, or the channel's).
struct TimeSpec {
  enum class Epoch : std::uint8_t { kNone, kSeconds, kMillis };
  std::vector<std::string> formats;    ///< tried in order; empty: RFC 3339 / ISO 8601 forms
  canonical::TimeZone zone = nullptr;  ///< nullptr: the run's zone
  ExprPtr zone_expr;                   ///< an IANA name or "+HH:MM" read from the payload
  std::optional<int> offset_seconds;   ///< fixed offset for values without one
  Epoch epoch = Epoch::kNone;
  bool date_only = false;  ///< no format has a time of day
};

/// The type a target field has; decides how its value is converted and checked.
enum class FieldType {
  kString,
  kTrackingNumber,  ///< string, spaces removed
  kMoney,
  kTime,
  kDateOrTime,  ///< a bare date stays a date
  kInteger,
  kBool,
  kCountry,
  kVersion,  ///< an integer, or a time (written RFC 3339)
  kOrderStatus,
  kPaymentStatus,
  kEventType,
  kTrackingStatus,
};

/// One target field's compiled rule.
struct Field {
  FieldType type = FieldType::kString;
  const RuleInfo* rule = nullptr;
  ExprPtr text;
  MoneyExprPtr money;
  TimeSpec time;
  [[nodiscard]] bool present() const { return text != nullptr || money != nullptr; }
};

// Typed evaluation (typed.cpp). Each returns "no value" for absent input and records an error
// (with rule and source) for input it cannot convert.
[[nodiscard]] bool evalString(EvalContext& ctx, const Field& f, std::string& out);
[[nodiscard]] std::optional<std::int64_t> evalMoney(EvalContext& ctx, const Field& f,
                                                    std::string_view currency);
[[nodiscard]] std::optional<canonical::Timestamp> evalTime(EvalContext& ctx, const Field& f);
/// kDateOrTime: "2026-03-14" or RFC 3339 text.
[[nodiscard]] bool evalDateOrTime(EvalContext& ctx, const Field& f, std::string& out);
[[nodiscard]] std::optional<std::int64_t> evalInteger(EvalContext& ctx, const Field& f);
[[nodiscard]] std::optional<bool> evalBool(EvalContext& ctx, const Field& f);
/// kCountry: ISO 3166-1 alpha-2, from codes or names.
[[nodiscard]] bool evalCountry(EvalContext& ctx, const Field& f, std::string& out);
/// kVersion: an integer as written, or a time as RFC 3339 UTC.
[[nodiscard]] bool evalVersion(EvalContext& ctx, const Field& f, std::string& out);
/// Reads the raw text of a field (enums are parsed by the caller).
[[nodiscard]] bool evalRaw(EvalContext& ctx, const Field& f, std::string_view& out);

/// Parses `text` per `spec` (zone already resolved to `zone`). Error message on failure.
[[nodiscard]] Result<canonical::Timestamp> parseTimeWith(std::string_view text,
                                                         const TimeSpec& spec,
                                                         canonical::TimeZone zone);
/// Checks a strftime-like format at compile time; error text when unsupported.
[[nodiscard]] std::optional<std::string> checkTimeFormat(std::string_view format, bool& has_time);
/// "+08:00", "-0500", "Z" → seconds east of UTC.
[[nodiscard]] std::optional<int> parseOffset(std::string_view text);

// Building blocks the compiler assembles.
/// `memo_slot`: the path's PathMemo slot (kNoMemo: not memoised).
inline constexpr std::uint32_t kNoMemo = 0xFFFFFFFFu;
[[nodiscard]] std::unique_ptr<Expr> makePathExpr(Path path, const RuleInfo* rule,
                                                 std::uint32_t memo_slot = kNoMemo);
[[nodiscard]] std::unique_ptr<Expr> makeLiteral(std::string value);
[[nodiscard]] std::unique_ptr<Expr> makeHeader(std::string name);
[[nodiscard]] std::unique_ptr<Expr> makeSetting(std::size_t index, std::string name);
/// The 1-based position of the current node in its `each` (a line number within the order).
[[nodiscard]] std::unique_ptr<Expr> makePosition();
[[nodiscard]] std::unique_ptr<Expr> makeConcat(std::vector<ExprPtr> parts, std::string separator);
[[nodiscard]] std::unique_ptr<Expr> makeFirstOf(std::vector<ExprPtr> parts);
[[nodiscard]] std::unique_ptr<Expr> makeSplit(ExprPtr inner, std::string separator,
                                              std::optional<std::int64_t> index);
[[nodiscard]] std::unique_ptr<Expr> makeJoin(ExprPtr inner, std::string separator);
[[nodiscard]] std::unique_ptr<Expr> makeReplace(ExprPtr inner, std::string from, std::string to);

/// The modifiers of a value, applied in this order: when → trim → case → pad → map/fallback →
/// default → required.
struct Modifiers {
  ConditionPtr when;
  bool trim = false;
  enum class Case : std::uint8_t { kKeep, kUpper, kLower } text_case = Case::kKeep;
  std::size_t pad = 0;
  bool has_map = false;
  std::vector<std::pair<std::string, std::string>> map;  ///< sorted by key
  bool map_ignore_case = false;
  std::optional<std::string> fallback;
  std::optional<std::string> default_value;
  bool required = false;
  [[nodiscard]] bool any() const {
    return when || trim || text_case != Case::kKeep || pad != 0 || has_map || default_value ||
           required;
  }
};
[[nodiscard]] std::unique_ptr<Expr> makeModified(ExprPtr inner, Modifiers mods,
                                                 const RuleInfo* rule);

/// Comparison operators of a condition.
enum class CompareOp { kEquals, kNotEquals, kIn, kNotIn, kPrefix, kContains, kExists };
[[nodiscard]] std::unique_ptr<Condition> makeCompare(ExprPtr value, CompareOp op,
                                                     std::vector<std::string> operands,
                                                     bool ignore_case);
[[nodiscard]] std::unique_ptr<Condition> makeAll(std::vector<ConditionPtr> parts);
[[nodiscard]] std::unique_ptr<Condition> makeAny(std::vector<ConditionPtr> parts);
[[nodiscard]] std::unique_ptr<Condition> makeNot(ConditionPtr inner);

[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneyLeaf(ExprPtr text, const RuleInfo* rule);
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneySum(ExprPtr text, const RuleInfo* rule);
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneySumEach(Path each, MoneyExprPtr inner,
                                                          const RuleInfo* rule);
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneyAdd(std::vector<MoneyExprPtr> parts,
                                                      bool subtract, const RuleInfo* rule);
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneyMultiply(MoneyExprPtr amount, ExprPtr factor,
                                                           const RuleInfo* rule);
/// amount ÷ integer, exact: a remainder is an error, or no value when `inexact_absent`.
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneyDivide(MoneyExprPtr amount, ExprPtr divisor,
                                                         bool inexact_absent, const RuleInfo* rule);
[[nodiscard]] std::unique_ptr<MoneyExpr> makeMoneyNegate(MoneyExprPtr inner, const RuleInfo* rule);

/// The source path an expression reads directly (a path, possibly with modifiers), else null.
[[nodiscard]] const Path* exprPath(const Expr& e);

/// Per-thread value stack for evaluations that gather several values: append after the current
/// end, read your part, then truncate back to where you started.
[[nodiscard]] std::vector<std::string_view>& scratch(EvalContext& ctx);

/// Resolves a path's origin in the current context.
[[nodiscard]] const Node& originNode(const EvalContext& ctx, const Path& path);

}  // namespace ordergate::adapters::mapping
