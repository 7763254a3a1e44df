#include <charconv>
#include <exception>

#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

tl::unexpected<Error> pathError(std::string_view text, std::string_view why) {
  return fail(ErrorCode::kConfig,
              "invalid path \"" + std::string(text) + "\": " + std::string(why));
}

// Reads a quoted key starting at text[i] (the quote); advances i past the closing quote.
bool readQuoted(std::string_view text, std::size_t& i, std::string& key) {
  const char quote = text[i++];
  while (i < text.size() && text[i] != quote) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
    }
    key.push_back(text[i++]);
  }
  if (i >= text.size()) {
    return false;
  }
  ++i;
  return true;
}

std::uint32_t intern(ColumnList& names, const std::string& key) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == key) {
      return static_cast<std::uint32_t>(i);
    }
  }
  names.push_back(key);
  return static_cast<std::uint32_t>(names.size() - 1);
}

Result<Path> compileJsonPath(std::string_view text, ColumnList& keys) {
  Path path;
  path.text = std::string(text);
  std::size_t i = 0;
  if (text.empty()) {
    return pathError(text, "empty");
  }
  bool need_separator = false;
  if (text[0] == '$' || text[0] == '^' || text[0] == '@') {
    path.origin = text[0] == '$'   ? Path::Origin::kRoot
                  : text[0] == '^' ? Path::Origin::kRecord
                                   : Path::Origin::kCurrent;
    i = 1;
    need_separator = true;
  } else if (text == ".") {
    path.self = true;
    return path;
  }
  while (i < text.size()) {
    Path::Step step;
    if (text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) {
        return pathError(text, "missing ]");
      }
      std::string_view inside = text.substr(i + 1, close - i - 1);
      if (inside == "*") {
        step.kind = Path::Step::Kind::kWildcard;
        path.multi = true;
        i = close + 1;
      } else if (!inside.empty() && (inside[0] == '"' || inside[0] == '\'')) {
        std::size_t j = i + 1;
        step.kind = Path::Step::Kind::kKey;
        if (!readQuoted(text, j, step.key) || j >= text.size() || text[j] != ']') {
          return pathError(text, "unterminated quoted key");
        }
        i = j + 1;
      } else {
        std::int64_t index = 0;
        const auto r = std::from_chars(inside.data(), inside.data() + inside.size(), index);
        if (inside.empty() || r.ec != std::errc() || r.ptr != inside.data() + inside.size()) {
          return pathError(text, "expected [*], [number] or [\"key\"]");
        }
        step.kind = Path::Step::Kind::kIndex;
        step.index = index;
        i = close + 1;
      }
      path.steps.push_back(std::move(step));
      need_separator = true;
      continue;
    }
    if (need_separator) {
      if (text[i] != '.') {
        return pathError(text, "expected . or [ at position " + std::to_string(i));
      }
      ++i;
      if (i >= text.size()) {
        return pathError(text, "ends with .");
      }
    }
    step.kind = Path::Step::Kind::kKey;
    if (text[i] == '"' || text[i] == '\'') {
      if (!readQuoted(text, i, step.key)) {
        return pathError(text, "unterminated quoted key");
      }
    } else {
      const std::size_t end = text.find_first_of(".[", i);
      step.key = std::string(text.substr(i, end == std::string_view::npos ? end : end - i));
      i = end == std::string_view::npos ? text.size() : end;
      if (step.key.empty()) {
        return pathError(text, "empty key");
      }
    }
    path.steps.push_back(std::move(step));
    need_separator = true;
  }
  path.self = path.steps.empty();
  for (Path::Step& step : path.steps) {
    if (step.kind == Path::Step::Kind::kKey) {
      step.key_id = intern(keys, step.key);
    }
  }
  return path;
}

Result<Path> compileXPath(std::string_view text) {
  Path path;
  path.text = std::string(text);
  std::string_view expr = text;
  if (expr.empty()) {
    return pathError(text, "empty");
  }
  if (expr[0] == '^') {
    path.origin = Path::Origin::kRecord;
    expr.remove_prefix(1);
    if (!expr.empty() && expr[0] == '/') {
      expr.remove_prefix(1);
    }
    if (expr.empty()) {
      path.self = true;
      return path;
    }
  } else if (expr[0] == '/') {
    path.origin = Path::Origin::kRoot;
  }
  if (expr == "." || expr == "@") {
    path.self = true;
    return path;
  }
  // pugixml reports XPath syntax errors by exception; this runs at configuration time only.
  try {
    auto query = std::make_shared<pugi::xpath_query>(std::string(expr).c_str());
    if (query->return_type() != pugi::xpath_type_node_set) {
      return pathError(text, "must select nodes (elements or attributes)");
    }
    path.xpath = std::move(query);
  } catch (const pugi::xpath_exception& e) {
    return pathError(text, std::string("XPath: ") + e.what());
  } catch (const std::exception& e) {
    return pathError(text, e.what());
  }
  // Conservative: any XPath may select several nodes; single-valued uses take the first.
  path.multi = true;
  return path;
}

Result<Path> compileColumn(std::string_view text, ColumnList& columns) {
  Path path;
  path.text = std::string(text);
  std::string_view name = text;
  if (!name.empty() && name[0] == '^') {
    path.origin = Path::Origin::kRecord;
    name.remove_prefix(1);
  }
  if (name.empty()) {
    return pathError(text, "empty column name");
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) {
      path.column = static_cast<int>(i);
      return path;
    }
  }
  columns.emplace_back(name);
  path.column = static_cast<int>(columns.size() - 1);
  return path;
}

}  // namespace

Result<Path> compilePath(SourceFormat format, std::string_view text, ColumnList& columns) {
  switch (format) {
    case SourceFormat::kJson:
      return compileJsonPath(text, columns);
    case SourceFormat::kXml:
      return compileXPath(text);
    case SourceFormat::kCsv:
    case SourceFormat::kTsv:
      return compileColumn(text, columns);
  }
  return pathError(text, "unknown format");
}

}  // namespace ordergate::adapters::mapping
