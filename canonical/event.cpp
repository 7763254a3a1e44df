#include "canonical/event.hpp"

#include <array>

#include "canonical/json.hpp"

namespace ordergate::canonical {
namespace {

constexpr std::array<std::string_view, 4> kEventTypeNames = {"order.created", "order.updated",
                                                             "order.cancelled", "tracking.updated"};

constexpr std::size_t kVersionDigits = 20;  // enough for any uint64

bool allDigits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

void appendMember(std::string& out, std::string_view key, std::string_view value) {
  out.push_back(',');
  appendJsonString(out, key);
  out.push_back(':');
  appendJsonString(out, value);
}

}  // namespace

std::string_view toString(EventType t) { return kEventTypeNames.at(static_cast<std::size_t>(t)); }

std::optional<EventType> parseEventType(std::string_view text) {
  for (std::size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == text) {
      return static_cast<EventType>(i);
    }
  }
  return std::nullopt;
}

std::string eventId(std::string_view key, EventType type, std::string_view version) {
  std::string input;
  const std::string_view type_name = toString(type);
  input.reserve(key.size() + type_name.size() + version.size() + 2);
  input.append(key).append("\n").append(type_name).append("\n").append(version);
  std::string id = toHex(sha256(input));
  id.resize(32);
  return id;
}

namespace {

std::string_view significantDigits(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  return digits;
}

}  // namespace

bool isOrderableVersion(std::string_view version) {
  if (allDigits(version)) {
    return significantDigits(version).size() <= kVersionDigits;
  }
  return parseTimestampWithOffset(version).has_value();
}

Result<std::string> versionSortKey(std::string_view version) {
  if (allDigits(version)) {
    const std::string_view digits = significantDigits(version);
    if (digits.size() > kVersionDigits) {
      return fail(ErrorCode::kInvalidInput,
                  "version \"" + std::string(version) + "\" has more than 20 digits");
    }
    std::string key = "N";
    key.append(kVersionDigits - digits.size(), '0');
    key.append(digits);
    return key;
  }
  // A local time without an offset would order differently per configured zone, so it is not
  // an ordering stamp.
  auto time = parseTimestampWithOffset(version);
  if (!time) {
    return fail(ErrorCode::kInvalidInput,
                "version \"" + std::string(version) +
                    "\" is neither a non-negative integer nor a time with an offset");
  }
  std::string text = formatRfc3339(*time);
  if (text.size() == 20) {  // no milliseconds written: make the width fixed
    text.insert(19, ".000");
  }
  std::string key = "T";
  key.append(text);
  return key;
}

std::string writeCloudEvent(const CloudEventAttributes& attrs, std::string_view data_json) {
  std::string out;
  out.reserve(256 + attrs.id.size() + attrs.source.size() + attrs.subject.size() +
              data_json.size());
  out.append(R"({"specversion":"1.0")");
  appendMember(out, "id", attrs.id);
  appendMember(out, "source", attrs.source);
  appendMember(out, "type", attrs.type);
  if (!attrs.subject.empty()) {
    appendMember(out, "subject", attrs.subject);
  }
  if (!attrs.time.empty()) {
    appendMember(out, "time", attrs.time);
  }
  out.append(R"(,"datacontenttype":"application/json")");
  if (!attrs.dataschema.empty()) {
    appendMember(out, "dataschema", attrs.dataschema);
  }
  if (!attrs.received_at.empty()) {
    appendMember(out, "receivedat", attrs.received_at);
  }
  if (!data_json.empty()) {
    out.append(R"(,"data":)");
    out.append(data_json);
  }
  out.push_back('}');
  return out;
}

}  // namespace ordergate::canonical
