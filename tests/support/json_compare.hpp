#pragma once

#include <string>
#include <string_view>

namespace ordergate::testing {

/// Compares two JSON documents structurally (object key order and whitespace do not matter;
/// numbers compare by their value as written: integers exactly). Returns "" when equal, else a
/// description of the first difference with its path, e.g.
/// "$.data.totals.total: expected 1999, got 2000" or "$.events[1]: missing in actual".
[[nodiscard]] std::string jsonDiff(std::string_view expected, std::string_view actual);

/// Pretty-prints a JSON document with sorted keys and 2-space indentation (for writing golden
/// files and readable failure messages). Returns the input unchanged when it does not parse.
[[nodiscard]] std::string jsonPretty(std::string_view json);

/// Reads a whole file; throws std::runtime_error naming the file when it cannot.
[[nodiscard]] std::string readFile(const std::string& path);

}  // namespace ordergate::testing
