#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/mapping/expr.hpp"
#include "adapters/mapping/mapping.hpp"
#include "adapters/mapping/source.hpp"
#include "canonical/event.hpp"
#include "canonical/tracking.hpp"

namespace ordergate::adapters::mapping {

/// Declared signature scheme (`signature:`).
struct SignatureSpec {
  enum class Scheme { kNone, kHmacSha256, kToken };
  enum class Encoding { kBase64, kHex };
  struct Part {
    enum class Kind { kLiteral, kHeader, kBody };
    Kind kind = Kind::kBody;
    std::string text;  ///< literal text or header name
  };
  Scheme scheme = Scheme::kNone;
  std::string header;
  Encoding encoding = Encoding::kBase64;
  std::string prefix;            ///< stripped from each signature, e.g. "sha256=", "v1,"
  std::string separator;         ///< several signatures in one header, e.g. " "
  std::vector<Part> message;     ///< what is signed; {body} by default
  std::string timestamp_header;  ///< epoch seconds; checked against received_at
  long long tolerance_seconds = 300;
  std::string secret_setting = "secret";
  bool secret_base64 = false;  ///< the secret is base64 (a "whsec_" prefix is dropped first)
};

struct IgnoreRule {
  ConditionPtr when;
  std::string reason;
};

struct AddressPlan {
  Field name, company, line1, line2, city, region, postal_code, country_code, phone;
  bool declared = false;
};

struct LinePlan {
  bool has_each = false;
  Path each;
  Field line_id, sku, channel_sku, title, quantity, unit_price, discount, tax, total, status,
      tracking_number, shipping_provider;
};

struct OrderPlan {
  Field order_id, order_number, store, channel_status;
  Field status, payment_status, placed_at, updated_at, currency, taxes_included, test;
  Field subtotal, discount, shipping_total, tax, total;
  bool has_customer = false;
  Field customer_id, email, name, phone;
  AddressPlan ship_to, bill_to;
  bool has_shipping = false;
  Field method, service_level, ship_by, deliver_by;
  LinePlan lines;
};

struct LocationPlan {
  Field city, region, postal_code, country_code;
};

struct TrackingPlan {
  Field tracking_number, order_key, estimated_delivery;
  Path events_each;
  Field code, text, sub_status, occurred_at, local_time, description;
  LocationPlan location;
};

struct StatusOutcome {
  canonical::TrackingStatus status = canonical::TrackingStatus::kUnknown;
  std::string sub_status;
  bool keep = false;  ///< informational: the status of the previous (older) event carries on
};

struct StatusRule {
  ConditionPtr when;
  StatusOutcome outcome;
};

/// `status:` of a carrier mapping: rules first (in order), then the code table, then fallback.
struct StatusPlan {
  std::vector<StatusRule> rules;
  std::vector<std::pair<std::string, StatusOutcome>> table;  ///< sorted by code
  bool ignore_case = false;
  Field key;  ///< what the table is looked up with; the event's code by default
  StatusOutcome fallback;
};

struct EventPlan {
  Field type, topic, delivery_id, version, time;
};

class MappingPlan {
 public:
  std::string file;
  std::string name;
  MappingKind kind = MappingKind::kChannel;
  SourceFormat format = SourceFormat::kJson;
  Encoding encoding = Encoding::kUtf8;
  std::string encoding_name;
  canonical::TimeZone zone = nullptr;
  ColumnList columns;
  std::map<std::string, std::uint32_t> path_memo_slots;  ///< path text → its PathMemo slot
  JsonKeyTable json_keys;  ///< JSON: `columns` (the interned keys) hashed for the object index
  std::vector<std::string> settings;
  std::deque<RuleInfo> rules;                      ///< stable addresses: Fields point here
  std::map<std::string, const RuleInfo*> by_path;  ///< "order.lines.sku" → its rule
  SignatureSpec signature;
  std::vector<IgnoreRule> ignore;
  bool has_each = false;
  Path each;
  Field group_by;
  ConditionPtr skip_when;  ///< records (groups) it holds for are left out
  EventPlan event;
  OrderPlan order;
  TrackingPlan tracking;
  StatusPlan status;
};

/// One message to run a plan on.
struct RunInput {
  std::string_view channel_id;
  std::string_view body;
  HeaderView headers;
  canonical::Timestamp received_at{};
  canonical::TimeZone zone = nullptr;  ///< nullptr: the plan's zone
  std::span<const std::string> settings;
};

/// Runs a plan (runner.cpp). Thread-safe: the plan is only read.
[[nodiscard]] Normalized runPlan(const MappingPlan& plan, const RunInput& in);

/// Status of one carrier event under the plan's status table.
[[nodiscard]] StatusOutcome resolveStatus(const StatusPlan& status, EvalContext& ctx,
                                          std::string_view code);

}  // namespace ordergate::adapters::mapping
