#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <pugixml.hpp>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "adapters/mapping/arena.hpp"
#include "adapters/mapping/json_keys.hpp"
#include "canonical/error.hpp"

namespace ordergate::adapters::mapping {

/// The payload formats a mapping can read (`source.format`).
enum class SourceFormat { kJson, kXml, kCsv, kTsv };

/// Character encodings of text and XML payloads (`source.encoding`); everything is converted
/// to UTF-8 before it is parsed. kOther goes through iconv with the declared name.
enum class Encoding { kUtf8, kWindows1252, kLatin1, kOther };

[[nodiscard]] bool isTextFormat(SourceFormat f);

/// A position in a parsed payload: a JSON value, an XML element or attribute, or one row of a
/// delimited file. Cheap to copy; valid while its Document lives.
struct Node {
  enum class Kind : std::uint8_t { kNone, kJson, kXml, kRow };
  static constexpr std::uint32_t kNoColumn = 0xFFFFFFFFu;
  Kind kind = Kind::kNone;
  std::uint32_t row = 0;
  std::uint32_t column = kNoColumn;  ///< a cell of `row`, or the whole row
  simdjson::dom::element json;
  /// A pugi::xpath_node, kept as bytes: its constructors live in libpugixml and building a
  /// Node sits on the hot path of every JSON lookup. Use xml() / setXml().
  alignas(8) unsigned char xml_bytes[2 * sizeof(void*)] = {};

  [[nodiscard]] pugi::xpath_node xml() const {
    pugi::xpath_node x;
    std::memcpy(static_cast<void*>(&x), xml_bytes, sizeof(xml_bytes));
    return x;
  }
  void setXml(const pugi::xpath_node& x) {
    std::memcpy(xml_bytes, static_cast<const void*>(&x), sizeof(xml_bytes));
  }
};
static_assert(sizeof(pugi::xpath_node) == 2 * sizeof(void*) &&
              std::is_trivially_copyable_v<pugi::xpath_node>);

/// A compiled source path. Which members are used depends on the format:
/// JSON → steps, XML → xpath, delimited text → column (an index into the plan's column list).
struct Path {
  /// Where evaluation starts: `$` (document root), `^` (the record: order or shipment), or
  /// the current node (the innermost `each`), which is the default.
  enum class Origin : std::uint8_t { kRoot, kRecord, kCurrent };
  struct Step {
    enum class Kind : std::uint8_t { kKey, kIndex, kWildcard };
    Kind kind = Kind::kKey;
    std::string key;
    std::uint32_t key_id = 0;  ///< interned key: equal keys of a plan have equal ids
    std::int64_t index = 0;    ///< negative counts from the end
  };
  Origin origin = Origin::kCurrent;
  std::vector<Step> steps;
  std::shared_ptr<const pugi::xpath_query> xpath;
  int column = -1;
  bool self = false;   ///< the path is the origin node itself (`$`, `@`, `.`)
  bool multi = false;  ///< may select more than one node
  std::string text;    ///< as written in the mapping
};

/// Names referenced by a plan: for text formats the columns (a column path holds an index into
/// this list, resolved to a position in each file's header row once per file); for JSON the
/// interned object keys (Step::key_id).
using ColumnList = std::vector<std::string>;

/// Compiles `text` for `format`. JSON: `$.a.b[0][*]."key.with.dots"["x y"]`, relative `a.b`,
/// `^.a` (record), `@`/`.` (current). XML: an XPath 1.0 node-set expression (relative to the
/// current node unless it starts with `/`; `^/…` is relative to the record). Text: a column
/// name (`^name` reads the record's first row). Error kConfig with the reason.
[[nodiscard]] Result<Path> compilePath(SourceFormat format, std::string_view text,
                                       ColumnList& columns);

/// What text() found at a node.
enum class TextStatus { kValue, kAbsent, kNotScalar };

/// A parsed payload. Implementations: JSON (simdjson DOM, one parser per thread), XML
/// (pugixml), delimited text (RFC 4180 CSV or TSV). Not thread-safe: one per run.
class Document {
 public:
  virtual ~Document() = default;
  /// The document root: the JSON root value, the XML document node, or (text) no node.
  [[nodiscard]] virtual Node root() const = 0;
  /// Text formats: appends every data row, in file order. Others: nothing.
  virtual void allRows(std::vector<Node>& out) const { (void)out; }
  /// False when `path` can never select anything in this document (a column missing from the
  /// header), so errors can say so.
  [[nodiscard]] virtual bool knows(const Path& path) const {
    (void)path;
    return true;
  }
  /// Appends every node `path` selects from `base` (already resolved for the origin).
  virtual void select(const Path& path, const Node& base, std::vector<Node>& out) const = 0;
  /// The first node `path` selects, false when none.
  [[nodiscard]] virtual bool selectFirst(const Path& path, const Node& base, Node& out) const = 0;
  /// The scalar text of a node. Numbers and booleans are written as text (exact for integers
  /// and for decimals with up to 15 significant digits); null and "" are absent.
  [[nodiscard]] virtual TextStatus text(const Node& node, Arena& arena,
                                        std::string_view& out) const = 0;
  /// Where a node is, for error messages: "line 12" (text), "/A/B[2]" (XML), "" (JSON).
  [[nodiscard]] virtual std::string describe(const Node& node) const = 0;
  /// Text formats: the physical line a row starts on (1-based); 0 otherwise.
  [[nodiscard]] virtual std::uint32_t lineOf(const Node& node) const {
    (void)node;
    return 0;
  }
};

/// Parses `bytes` (already decoded to UTF-8 for text formats). `columns` are the plan's column
/// names (text formats only). Error kInvalidInput with a precise position on malformed input;
/// for text formats also when a row has more cells than the header.
/// JSON: `keys` is the plan's key table (Step::key_id indexes it); null finds keys by a scan.
[[nodiscard]] Result<std::unique_ptr<Document>> parseJson(std::string_view bytes,
                                                          const JsonKeyTable* keys = nullptr);
[[nodiscard]] Result<std::unique_ptr<Document>> parseXml(std::string_view utf8);
[[nodiscard]] Result<std::unique_ptr<Document>> parseDelimited(
    std::string_view utf8, char separator, bool quoting, std::span<const std::string> columns);

/// Converts `bytes` in `encoding` (`name` for kOther: any iconv name) to UTF-8, dropping a
/// UTF-8 byte order mark. UTF-8 input is validated. Error kInvalidInput naming the byte offset.
[[nodiscard]] Result<std::string_view> toUtf8(std::string_view bytes, Encoding encoding,
                                              const std::string& name, std::string& buffer);

/// Encoding from its name (case-insensitive: utf-8, windows-1252/cp1252, iso-8859-1/latin1,
/// or any name iconv knows). Error kConfig for names iconv does not know.
[[nodiscard]] Result<Encoding> parseEncoding(std::string_view name);

}  // namespace ordergate::adapters::mapping
