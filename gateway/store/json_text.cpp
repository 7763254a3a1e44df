#include "gateway/store/json_text.hpp"

#include "adapters/common/utf8.hpp"

namespace ordergate::gateway::store {

void appendJsonQuoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string writeFlatObjectArray(const std::vector<JsonFlatObject>& objects) {
  std::string out = "[";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    out += i == 0 ? "{" : ",{";
    for (std::size_t j = 0; j < objects[i].size(); ++j) {
      if (j > 0) {
        out.push_back(',');
      }
      appendJsonQuoted(out, objects[i][j].first);
      out.push_back(':');
      appendJsonQuoted(out, objects[i][j].second);
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }

  std::optional<std::string> string() {
    if (!consume('"')) {
      return std::nullopt;
    }
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') {
        return out;
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) {
        return std::nullopt;
      }
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          if (pos_ + 4 > text_.size()) {
            return std::nullopt;
          }
          unsigned code = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            code <<= 4;
            if (h >= '0' && h <= '9') {
              code |= static_cast<unsigned>(h - '0');
            } else if (h >= 'a' && h <= 'f') {
              code |= static_cast<unsigned>(h - 'a' + 10);
            } else if (h >= 'A' && h <= 'F') {
              code |= static_cast<unsigned>(h - 'A' + 10);
            } else {
              return std::nullopt;
            }
          }
          // We only ever write \u00XX (control bytes); anything wider is encoded as UTF-8
          // without surrogate-pair handling.
          adapters::appendUtf8(out, static_cast<char32_t>(code));
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<JsonFlatObject>> readFlatObjectArray(std::string_view json) {
  Reader reader(json);
  std::vector<JsonFlatObject> out;
  if (!reader.consume('[')) {
    return std::nullopt;
  }
  if (reader.consume(']')) {
    return reader.atEnd() ? std::optional(std::move(out)) : std::nullopt;
  }
  do {
    if (!reader.consume('{')) {
      return std::nullopt;
    }
    JsonFlatObject object;
    if (!reader.consume('}')) {
      do {
        auto key = reader.string();
        if (!key || !reader.consume(':')) {
          return std::nullopt;
        }
        auto value = reader.string();
        if (!value) {
          return std::nullopt;
        }
        object.emplace_back(std::move(*key), std::move(*value));
      } while (reader.consume(','));
      if (!reader.consume('}')) {
        return std::nullopt;
      }
    }
    out.push_back(std::move(object));
  } while (reader.consume(','));
  if (!reader.consume(']') || !reader.atEnd()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace ordergate::gateway::store
