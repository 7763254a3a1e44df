#include <array>
#include <charconv>
#include <cstring>

#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

namespace dom = simdjson::dom;

// Mappings read many fields under the same object (billing.first_name, billing.city, …), and
// simdjson's DOM finds a key by a linear scan. A direct-mapped cache of (object, interned key)
// → child makes every repeated step a constant-time hit. One per thread, reused across
// documents: a generation number invalidates it without clearing.
struct CacheEntry {
  std::uint32_t generation = 0;
  std::uint32_t key_id = 0;
  dom::element object;
  dom::element child;
  bool found = false;
};
constexpr std::size_t kCacheSize = 256;

struct LookupCache {
  std::array<CacheEntry, kCacheSize> entries{};
  std::uint32_t generation = 0;
};

LookupCache& threadCache() {
  thread_local LookupCache cache;
  return cache;
}

// One parser per thread: its buffers are reused, so parsing stops allocating once warm.
dom::parser& threadParser() {
  thread_local dom::parser parser;
  return parser;
}

class JsonDocument final : public Document {
 public:
  explicit JsonDocument(dom::element root) : cache_(threadCache()) {
    root_.kind = Node::Kind::kJson;
    root_.json = root;
    if (++cache_.generation == 0) {  // wrapped: really clear once every 2^32 documents
      cache_.entries.fill(CacheEntry{});
      cache_.generation = 1;
    }
    generation_ = cache_.generation;
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

  static bool sameElement(const dom::element& a, const dom::element& b) {
    // An element is a (document, tape index) pair: equal bytes, same value.
    return std::memcmp(&a, &b, sizeof(dom::element)) == 0;
  }

  bool lookup(const Path::Step& step, const dom::element& e, dom::element& child) const {
    std::uint64_t bits[sizeof(dom::element) / sizeof(std::uint64_t)];
    std::memcpy(bits, &e, sizeof(bits));
    // Fibonacci hashing of (tape index, key id): the top 8 bits pick the slot.
    const std::uint64_t h =
        (bits[sizeof(bits) / sizeof(bits[0]) - 1] ^ (std::uint64_t{step.key_id} << 40)) *
        0x9E3779B97F4A7C15ull;
    static_assert(kCacheSize == 256);
    CacheEntry& slot = cache_.entries[h >> 56];
    if (slot.generation == generation_ && slot.key_id == step.key_id &&
        sameElement(slot.object, e)) {
      child = slot.child;
      return slot.found;
    }
    dom::object object;
    bool found = false;
    if (e.get(object) == simdjson::SUCCESS) {
      found = object.at_key(step.key).get(child) == simdjson::SUCCESS;
    }
    slot.generation = generation_;
    slot.key_id = step.key_id;
    slot.object = e;
    slot.child = child;
    slot.found = found;
    return found;
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
  LookupCache& cache_;
  std::uint32_t generation_ = 0;
};

}  // namespace

Result<std::unique_ptr<Document>> parseJson(std::string_view bytes) {
  dom::element root;
  const auto error = threadParser().parse(bytes.data(), bytes.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return fail(ErrorCode::kInvalidInput,
                std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return std::unique_ptr<Document>(std::make_unique<JsonDocument>(root));
}

}  // namespace ordergate::adapters::mapping
