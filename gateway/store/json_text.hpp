#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ordergate::gateway::store {

/// Appends `text` as a JSON string literal ("…" with \" \\ \b \f \n \r \t and \u00XX for other
/// control bytes). Bytes >= 0x80 pass through unchanged (UTF-8 stays UTF-8). Local to the
/// store so it does not depend on canonical/json.
void appendJsonQuoted(std::string& out, std::string_view text);

/// One flat JSON object with string values, in document order.
using JsonFlatObject = std::vector<std::pair<std::string, std::string>>;

/// `[{"k":"v",…},…]` from objects (what the store writes for headers and field errors).
[[nodiscard]] std::string writeFlatObjectArray(const std::vector<JsonFlatObject>& objects);

/// Reads back exactly the shape writeFlatObjectArray() writes (whitespace allowed, string
/// values only). nullopt on anything else.
[[nodiscard]] std::optional<std::vector<JsonFlatObject>> readFlatObjectArray(std::string_view json);

}  // namespace ordergate::gateway::store
