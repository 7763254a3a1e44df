#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

class DelimitedDocument final : public Document {
 public:
  Result<void> load(std::string_view text, char sep, bool quoting,
                    std::span<const std::string> columns) {
    std::vector<std::string_view> row;
    std::uint32_t line = 1;
    std::size_t i = 0;
    bool have_header = false;
    while (i < text.size()) {
      const std::uint32_t row_line = line;
      row.clear();
      bool end_of_row = false;
      while (!end_of_row) {
        std::string_view cell;
        if (quoting && i < text.size() && text[i] == '"') {
          const std::uint32_t cell_line = line;
          ++i;
          std::string value;
          bool closed = false;
          while (i < text.size()) {
            if (text[i] == '"') {
              if (i + 1 < text.size() && text[i + 1] == '"') {
                value.push_back('"');
                i += 2;
                continue;
              }
              ++i;
              closed = true;
              break;
            }
            if (text[i] == '\n') {
              ++line;
            }
            value.push_back(text[i++]);
          }
          if (!closed) {
            return fail(ErrorCode::kInvalidInput,
                        "line " + std::to_string(cell_line) + ": quoted field is never closed");
          }
          if (i < text.size() && text[i] != sep && text[i] != '\r' && text[i] != '\n') {
            return fail(ErrorCode::kInvalidInput, "line " + std::to_string(line) +
                                                      ": unexpected \"" + std::string(1, text[i]) +
                                                      "\" after a closing quote (RFC 4180)");
          }
          cell = arena_.store(value);
        } else {
          const std::size_t start = i;
          while (i < text.size() && text[i] != sep && text[i] != '\r' && text[i] != '\n') {
            ++i;
          }
          cell = text.substr(start, i - start);
        }
        row.push_back(cell);
        if (i >= text.size()) {
          end_of_row = true;
        } else if (text[i] == sep) {
          ++i;
        } else {
          if (text[i] == '\r') {
            ++i;
          }
          if (i < text.size() && text[i] == '\n') {
            ++i;
          }
          ++line;
          end_of_row = true;
        }
      }
      if (row.size() == 1 && row[0].empty()) {
        continue;  // blank line
      }
      if (!have_header) {
        for (std::string_view name : row) {
          header_.push_back(trimmed(name));
        }
        have_header = true;
        continue;
      }
      if (row.size() > header_.size()) {
        bool extra_empty = true;
        for (std::size_t k = header_.size(); k < row.size(); ++k) {
          extra_empty = extra_empty && row[k].empty();
        }
        if (!extra_empty) {
          return fail(ErrorCode::kInvalidInput,
                      "line " + std::to_string(row_line) + ": " + std::to_string(row.size()) +
                          " fields, but the header has " + std::to_string(header_.size()));
        }
        row.resize(header_.size());
      }
      row_start_.push_back(static_cast<std::uint32_t>(cells_.size()));
      row_size_.push_back(static_cast<std::uint32_t>(row.size()));
      row_line_.push_back(row_line);
      cells_.insert(cells_.end(), row.begin(), row.end());
    }
    if (!have_header) {
      return fail(ErrorCode::kInvalidInput, "empty file: no header row");
    }
    slot_to_index_.assign(columns.size(), -1);
    for (std::size_t s = 0; s < columns.size(); ++s) {
      for (std::size_t h = 0; h < header_.size(); ++h) {
        if (header_[h] == columns[s]) {
          slot_to_index_[s] = static_cast<int>(h);
          break;
        }
      }
    }
    return {};
  }

  Node root() const override { return {}; }

  void allRows(std::vector<Node>& out) const override {
    for (std::uint32_t r = 0; r < row_start_.size(); ++r) {
      Node n;
      n.kind = Node::Kind::kRow;
      n.row = r;
      out.push_back(n);
    }
  }

  bool knows(const Path& path) const override {
    return path.self ||
           (path.column >= 0 && static_cast<std::size_t>(path.column) < slot_to_index_.size() &&
            slot_to_index_[static_cast<std::size_t>(path.column)] >= 0);
  }

  void select(const Path& path, const Node& base, std::vector<Node>& out) const override {
    Node n;
    if (selectFirst(path, base, n)) {
      out.push_back(n);
    }
  }

  bool selectFirst(const Path& path, const Node& base, Node& out) const override {
    if (base.kind != Node::Kind::kRow) {
      return false;
    }
    if (path.self) {
      out = base;
      return true;
    }
    if (!knows(path)) {
      return false;
    }
    out = base;
    out.column = static_cast<std::uint32_t>(slot_to_index_[static_cast<std::size_t>(path.column)]);
    return true;
  }

  TextStatus text(const Node& node, Arena&, std::string_view& out) const override {
    if (node.kind != Node::Kind::kRow || node.column == Node::kNoColumn) {
      return node.kind == Node::Kind::kRow ? TextStatus::kNotScalar : TextStatus::kAbsent;
    }
    if (node.column >= row_size_[node.row]) {
      return TextStatus::kAbsent;
    }
    out = cells_[row_start_[node.row] + node.column];
    return out.empty() ? TextStatus::kAbsent : TextStatus::kValue;
  }

  std::string describe(const Node& node) const override {
    if (node.kind != Node::Kind::kRow) {
      return {};
    }
    std::string d = "line " + std::to_string(row_line_[node.row]);
    if (node.column != Node::kNoColumn && node.column < header_.size()) {
      d = "column \"" + std::string(header_[node.column]) + "\" " + d;
    }
    return d;
  }

  std::uint32_t lineOf(const Node& node) const override {
    return node.kind == Node::Kind::kRow ? row_line_[node.row] : 0;
  }

 private:
  Arena arena_;
  std::vector<std::string_view> header_;
  std::vector<std::string_view> cells_;
  std::vector<std::uint32_t> row_start_;
  std::vector<std::uint32_t> row_size_;
  std::vector<std::uint32_t> row_line_;
  std::vector<int> slot_to_index_;
};

}  // namespace

Result<std::unique_ptr<Document>> parseDelimited(std::string_view utf8, char separator,
                                                 bool quoting,
                                                 std::span<const std::string> columns) {
  auto doc = std::make_unique<DelimitedDocument>();
  if (auto r = doc->load(utf8, separator, quoting, columns); !r) {
    return tl::unexpected(r.error());
  }
  return std::unique_ptr<Document>(std::move(doc));
}

}  // namespace ordergate::adapters::mapping
