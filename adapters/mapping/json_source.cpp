#include <charconv>
#include <cstring>

#include "adapters/mapping/json_object_index.hpp"
#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

namespace dom = simdjson::dom;

JsonObjectIndex& threadIndex() {
  thread_local JsonObjectIndex index;
  return index;
}

// One parser per thread: its buffers are reused, so parsing stops allocating once warm.
dom::parser& threadParser() {
  thread_local dom::parser parser;
  return parser;
}

class JsonDocument final : public Document {
 public:
  // `keys` null: no plan key table (keys are found by at_key()).
  JsonDocument(dom::element root, const JsonKeyTable* keys)
      : keys_(keys != nullptr && keys->size() != 0 ? keys : nullptr), index_(threadIndex()) {
    root_.kind = Node::Kind::kJson;
    root_.json = root;
    if (keys_ != nullptr) {
      index_.reset(*keys_);
    }
  }

  Node root() const override { return root_; }

  void select(const Path& path, const Node& base, std::vector<Node>& out) const override {
    if (base.kind != Node::Kind::kJson) {
      return;
    }
    walk(path, 0, base.json, &out, nullptr);
  }

  bool selectFirst(const Path& path, const Node& base, Node& out) const override {
    if (base.kind != Node::Kind::kJson) {
      return false;
    }
    if (path.multi) {
      return walk(path, 0, base.json, nullptr, &out);
    }
    // Keys and indexes only: a plain loop.
    dom::element e = base.json;
    for (const Path::Step& step : path.steps) {
      dom::element child;
      if (step.kind == Path::Step::Kind::kKey) {
        if (!lookup(step, e, child)) {
          return false;
        }
      } else if (!index(step, e, child)) {
        return false;
      }
      e = child;
    }
    out.kind = Node::Kind::kJson;
    out.json = e;
    return true;
  }

  TextStatus text(const Node& node, Arena& arena, std::string_view& out) const override {
    if (node.kind != Node::Kind::kJson) {
      return TextStatus::kAbsent;
    }
    const dom::element& e = node.json;
    switch (e.type()) {
      case dom::element_type::STRING: {
        if (e.get(out) != simdjson::SUCCESS) {
          return TextStatus::kAbsent;
        }
        return out.empty() ? TextStatus::kAbsent : TextStatus::kValue;
      }
      case dom::element_type::INT64: {
        std::int64_t v = 0;
        return e.get(v) == simdjson::SUCCESS ? number(arena, v, out) : TextStatus::kAbsent;
      }
      case dom::element_type::UINT64: {
        std::uint64_t v = 0;
        return e.get(v) == simdjson::SUCCESS ? number(arena, v, out) : TextStatus::kAbsent;
      }
      case dom::element_type::DOUBLE: {
        // Shortest text that reads back as the same double: the decimal the channel wrote,
        // for any amount with up to 15 significant digits.
        double v = 0;
        return e.get(v) == simdjson::SUCCESS ? number(arena, v, out) : TextStatus::kAbsent;
      }
      case dom::element_type::BOOL: {
        bool v = false;
        if (e.get(v) != simdjson::SUCCESS) {
          return TextStatus::kAbsent;
        }
        out = v ? "true" : "false";
        return TextStatus::kValue;
      }
      case dom::element_type::NULL_VALUE:
        return TextStatus::kAbsent;
      case dom::element_type::ARRAY:
      case dom::element_type::OBJECT:
        return TextStatus::kNotScalar;
    }
    return TextStatus::kAbsent;
  }

  std::string describe(const Node&) const override { return {}; }

 private:
  template <class T>
  static TextStatus number(Arena& arena, T value, std::string_view& out) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof(buf), value);
    out = arena.store(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    return TextStatus::kValue;
  }

  [[gnu::always_inline]] bool lookup(const Path::Step& step, const dom::element& e,
                                     dom::element& child) const {
    if (keys_ != nullptr && step.key_id < keys_->size()) {
      return index_.child(e, step.key_id, child);
    }
    dom::object object;
    return e.get(object) == simdjson::SUCCESS &&
           object.at_key(step.key).get(child) == simdjson::SUCCESS;
  }

  static bool index(const Path::Step& step, const dom::element& e, dom::element& child) {
    dom::array array;
    if (e.get(array) != simdjson::SUCCESS) {
      return false;
    }
    const auto size = static_cast<std::int64_t>(array.size());
    const std::int64_t i = step.index < 0 ? size + step.index : step.index;
    if (i < 0 || i >= size) {
      return false;
    }
    return array.at(static_cast<std::size_t>(i)).get(child) == simdjson::SUCCESS;
  }

  // Depth-first walk; collects into `all` or stops at the first match into `first`.
  bool walk(const Path& path, std::size_t i, dom::element e, std::vector<Node>* all,
            Node* first) const {
    if (i == path.steps.size()) {
      Node n;
      n.kind = Node::Kind::kJson;
      n.json = e;
      if (first != nullptr) {
        *first = n;
        return true;
      }
      all->push_back(n);
      return false;
    }
    const Path::Step& step = path.steps[i];
    switch (step.kind) {
      case Path::Step::Kind::kKey: {
        dom::element child;
        if (!lookup(step, e, child)) {
          return false;
        }
        return walk(path, i + 1, child, all, first);
      }
      case Path::Step::Kind::kIndex: {
        dom::element child;
        if (!index(step, e, child)) {
          return false;
        }
        return walk(path, i + 1, child, all, first);
      }
      case Path::Step::Kind::kWildcard: {
        dom::array array;
        dom::object object;
        if (e.get(array) == simdjson::SUCCESS) {
          for (dom::element child : array) {
            if (walk(path, i + 1, child, all, first)) {
              return true;
            }
          }
        } else if (e.get(object) == simdjson::SUCCESS) {
          for (dom::key_value_pair field : object) {
            if (walk(path, i + 1, field.value, all, first)) {
              return true;
            }
          }
        }
        return false;
      }
    }
    return false;
  }

  Node root_;
  const JsonKeyTable* keys_;
  JsonObjectIndex& index_;
};

}  // namespace

Result<std::unique_ptr<Document>> parseJson(std::string_view bytes, const JsonKeyTable* keys) {
  dom::element root;
  const auto error = threadParser().parse(bytes.data(), bytes.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return fail(ErrorCode::kInvalidInput,
                std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return std::unique_ptr<Document>(std::make_unique<JsonDocument>(root, keys));
}

}  // namespace ordergate::adapters::mapping
