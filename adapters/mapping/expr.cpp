#include "adapters/mapping/expr.hpp"

#include <algorithm>
#include <cstring>

#include "adapters/mapping/text_util.hpp"

namespace ordergate::adapters::mapping {
namespace {

class PathExpr final : public Expr {
 public:
  PathExpr(Path path, const RuleInfo* rule, std::uint32_t memo_slot)
      : path_(std::move(path)), rule_(rule), memo_slot_(memo_slot) {
    uses_document = true;
    text = path_.text;
  }

  bool one(EvalContext& ctx, std::string_view& out) const override {
    const Node& base = originNode(ctx, path_);
    if (ctx.path_memo == nullptr || memo_slot_ == kNoMemo) {
      return resolve(ctx, base, out) == TextStatus::kValue;
    }
    PathMemo& memo = ctx.path_memo[memo_slot_];
    const NodeId id = nodeId(base);
    if (memo.stamp == ctx.path_memo_stamp && memo.base == id) {
      out = memo.value;
      return memo.present;
    }
    const TextStatus status = resolve(ctx, base, out);
    if (status != TextStatus::kNotScalar) {  // which reports an error each time it is read
      memo = PathMemo{ctx.path_memo_stamp, status == TextStatus::kValue, id, out};
    }
    return status == TextStatus::kValue;
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    const Node& base = originNode(ctx, path_);
    if (path_.self) {
      std::string_view v;
      if (read(ctx, base, v) == TextStatus::kValue) {
        out.push_back(v);
      }
      return;
    }
    // Reading text never evaluates another expression, so one scratch list per thread is safe.
    thread_local std::vector<Node> nodes;
    nodes.clear();
    ctx.doc->select(path_, base, nodes);
    for (const Node& n : nodes) {
      std::string_view v;
      if (read(ctx, n, v) == TextStatus::kValue) {
        out.push_back(v);
      }
    }
  }

  bool exists(EvalContext& ctx) const override {
    const Node& base = originNode(ctx, path_);
    if (ctx.path_memo != nullptr && memo_slot_ != kNoMemo) {
      const PathMemo& memo = ctx.path_memo[memo_slot_];
      if (memo.stamp == ctx.path_memo_stamp && memo.base == nodeId(base)) {
        return memo.present;
      }
    }
    Node node = base;
    if (!path_.self && !ctx.doc->selectFirst(path_, base, node)) {
      return false;
    }
    std::string_view v;
    return ctx.doc->text(node, *ctx.arena, v) != TextStatus::kAbsent;
  }

  const Path* sourcePath() const override { return &path_; }

 private:
  // The path's first node's text; kAbsent also when it selects nothing.
  TextStatus resolve(EvalContext& ctx, const Node& base, std::string_view& out) const {
    if (path_.self) {
      return read(ctx, base, out);
    }
    Node node;
    if (!ctx.doc->selectFirst(path_, base, node)) {
      return TextStatus::kAbsent;
    }
    return read(ctx, node, out);
  }

  TextStatus read(EvalContext& ctx, const Node& node, std::string_view& out) const {
    const TextStatus status = ctx.doc->text(node, *ctx.arena, out);
    if (status == TextStatus::kNotScalar && rule_ != nullptr) {
      addError(ctx, *rule_, &path_, &node, "expected a single value, found a list or object");
    }
    return status;
  }

  Path path_;
  const RuleInfo* rule_;
  std::uint32_t memo_slot_;
};

class LiteralExpr final : public Expr {
 public:
  explicit LiteralExpr(std::string value) : value_(std::move(value)) {
    text = "\"" + value_ + "\"";
  }
  bool one(EvalContext&, std::string_view& out) const override {
    out = value_;
    return !value_.empty();
  }
  void all(EvalContext&, std::vector<std::string_view>& out) const override {
    if (!value_.empty()) {
      out.push_back(value_);
    }
  }

 private:
  std::string value_;
};

class HeaderExpr final : public Expr {
 public:
  explicit HeaderExpr(std::string name) : name_(std::move(name)) { text = "header " + name_; }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    out = trimView(ctx.headers.get(name_));
    return !out.empty();
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::string_view v;
    if (one(ctx, v)) {
      out.push_back(v);
    }
  }

 private:
  std::string name_;
};

class SettingExpr final : public Expr {
 public:
  SettingExpr(std::size_t index, std::string name) : index_(index) { text = "setting " + name; }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    if (index_ >= ctx.settings.size()) {
      return false;
    }
    out = ctx.settings[index_];
    return !out.empty();
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::string_view v;
    if (one(ctx, v)) {
      out.push_back(v);
    }
  }

 private:
  std::size_t index_;
};

class PositionExpr final : public Expr {
 public:
  PositionExpr() { text = "position"; }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    const std::size_t position = ctx.frame != nullptr ? ctx.frame->index + 1 : 1;
    out = ctx.arena->store(std::to_string(position));
    return true;
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::string_view v;
    if (one(ctx, v)) {
      out.push_back(v);
    }
  }
};

class ConcatExpr final : public Expr {
 public:
  ConcatExpr(std::vector<ExprPtr> parts, std::string separator)
      : parts_(std::move(parts)), separator_(std::move(separator)) {
    text = "concat(";
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      literal_.push_back(dynamic_cast<const LiteralExpr*>(parts_[i].get()) != nullptr);
      uses_document = uses_document || parts_[i]->uses_document;
      text += (i ? ", " : "") + parts_[i]->text;
    }
    text += ")";
  }

  bool one(EvalContext& ctx, std::string_view& out) const override {
    constexpr std::size_t kMaxParts = 16;
    std::string_view values[kMaxParts];
    std::size_t count = 0;
    std::size_t size = 0;
    bool any_source = false;
    for (std::size_t i = 0; i < parts_.size() && count < kMaxParts; ++i) {
      std::string_view v;
      if (!parts_[i]->one(ctx, v)) {
        continue;
      }
      any_source = any_source || !literal_[i];
      size += v.size() + (count != 0 ? separator_.size() : 0);
      values[count++] = v;
    }
    // A concatenation of literals around nothing is nothing ("T" alone is not a time).
    if (!any_source) {
      return false;
    }
    if (count == 1) {
      out = values[0];
      return true;
    }
    char* p = ctx.arena->allocate(size);
    out = std::string_view(p, size);
    for (std::size_t i = 0; i < count; ++i) {
      if (i != 0) {
        std::memcpy(p, separator_.data(), separator_.size());
        p += separator_.size();
      }
      std::memcpy(p, values[i].data(), values[i].size());
      p += values[i].size();
    }
    return true;
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::string_view v;
    if (one(ctx, v)) {
      out.push_back(v);
    }
  }

 private:
  std::vector<ExprPtr> parts_;
  std::vector<bool> literal_;
  std::string separator_;
};

class FirstOfExpr final : public Expr {
 public:
  explicit FirstOfExpr(std::vector<ExprPtr> parts) : parts_(std::move(parts)) {
    text = "first_of(";
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      uses_document = uses_document || parts_[i]->uses_document;
      text += (i ? ", " : "") + parts_[i]->text;
    }
    text += ")";
  }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    for (const ExprPtr& part : parts_) {
      if (part->one(ctx, out)) {
        return true;
      }
    }
    return false;
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    for (const ExprPtr& part : parts_) {
      const std::size_t before = out.size();
      part->all(ctx, out);
      if (out.size() != before) {
        return;
      }
    }
  }

 private:
  std::vector<ExprPtr> parts_;
};

class SplitExpr final : public Expr {
 public:
  SplitExpr(ExprPtr inner, std::string separator, std::optional<std::int64_t> index)
      : inner_(std::move(inner)), separator_(std::move(separator)), index_(index) {
    uses_document = inner_->uses_document;
    text = inner_->text;
  }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    std::string_view v;
    if (!inner_->one(ctx, v)) {
      return false;
    }
    std::vector<std::string_view> pieces;
    split(v, pieces);
    if (pieces.empty()) {
      return false;
    }
    std::int64_t i = index_.value_or(0);
    if (i < 0) {
      i += static_cast<std::int64_t>(pieces.size());
    }
    if (i < 0 || i >= static_cast<std::int64_t>(pieces.size())) {
      return false;
    }
    out = pieces[static_cast<std::size_t>(i)];
    return !out.empty();
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    if (index_) {
      std::string_view v;
      if (one(ctx, v)) {
        out.push_back(v);
      }
      return;
    }
    std::vector<std::string_view> values;
    inner_->all(ctx, values);
    for (std::string_view v : values) {
      split(v, out);
    }
  }

 private:
  void split(std::string_view v, std::vector<std::string_view>& out) const {
    std::size_t start = 0;
    while (true) {
      const std::size_t at = v.find(separator_, start);
      const std::string_view piece = trimView(
          v.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (!piece.empty()) {
        out.push_back(piece);
      }
      if (at == std::string_view::npos) {
        return;
      }
      start = at + separator_.size();
    }
  }

  ExprPtr inner_;
  std::string separator_;
  std::optional<std::int64_t> index_;
};

class JoinExpr final : public Expr {
 public:
  JoinExpr(ExprPtr inner, std::string separator)
      : inner_(std::move(inner)), separator_(std::move(separator)) {
    uses_document = inner_->uses_document;
    text = inner_->text;
  }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    std::vector<std::string_view>& values = scratch(ctx);
    const std::size_t start = values.size();
    inner_->all(ctx, values);
    const std::size_t count = values.size() - start;
    if (count == 0) {
      return false;
    }
    std::size_t size = separator_.size() * (count - 1);
    for (std::size_t i = start; i < values.size(); ++i) {
      size += values[i].size();
    }
    char* p = ctx.arena->allocate(size);
    out = std::string_view(p, size);
    for (std::size_t i = start; i < values.size(); ++i) {
      if (i != start) {
        std::memcpy(p, separator_.data(), separator_.size());
        p += separator_.size();
      }
      std::memcpy(p, values[i].data(), values[i].size());
      p += values[i].size();
    }
    values.resize(start);
    return true;
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::string_view v;
    if (one(ctx, v)) {
      out.push_back(v);
    }
  }

 private:
  ExprPtr inner_;
  std::string separator_;
};

class ReplaceExpr final : public Expr {
 public:
  ReplaceExpr(ExprPtr inner, std::string from, std::string to)
      : inner_(std::move(inner)), from_(std::move(from)), to_(std::move(to)) {
    uses_document = inner_->uses_document;
    text = inner_->text;
  }
  bool one(EvalContext& ctx, std::string_view& out) const override {
    std::string_view v;
    if (!inner_->one(ctx, v)) {
      return false;
    }
    out = apply(ctx, v);
    return !out.empty();
  }
  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    std::vector<std::string_view> values;
    inner_->all(ctx, values);
    for (std::string_view v : values) {
      v = apply(ctx, v);
      if (!v.empty()) {
        out.push_back(v);
      }
    }
  }

 private:
  std::string_view apply(EvalContext& ctx, std::string_view v) const {
    if (v.find(from_) == std::string_view::npos) {
      return v;
    }
    std::string r;
    std::size_t start = 0;
    for (std::size_t at = v.find(from_); at != std::string_view::npos; at = v.find(from_, start)) {
      r.append(v.substr(start, at - start)).append(to_);
      start = at + from_.size();
    }
    r.append(v.substr(start));
    return ctx.arena->store(r);
  }

  ExprPtr inner_;
  std::string from_;
  std::string to_;
};

}  // namespace

std::vector<std::string_view>& scratch(EvalContext& ctx) {
  (void)ctx;
  // A stack shared by nested evaluations: each user appends after the current end and
  // truncates back when done.
  thread_local std::vector<std::string_view> values;
  return values;
}

const Node& originNode(const EvalContext& ctx, const Path& path) {
  switch (path.origin) {
    case Path::Origin::kRoot:
      return ctx.root;
    case Path::Origin::kRecord:
      return ctx.record;
    case Path::Origin::kCurrent:
      break;
  }
  return ctx.current;
}

const Path* exprPath(const Expr& e) { return e.sourcePath(); }

std::unique_ptr<Expr> makePathExpr(Path path, const RuleInfo* rule, std::uint32_t memo_slot) {
  return std::make_unique<PathExpr>(std::move(path), rule, memo_slot);
}

NodeId nodeId(const Node& node) {
  NodeId id;
  id.kind = node.kind;
  switch (node.kind) {
    case Node::Kind::kJson:  // (document, tape index)
      static_assert(sizeof(node.json) == 2 * sizeof(std::uint64_t));
      std::memcpy(&id.a, &node.json, sizeof(id.a));
      std::memcpy(&id.b, reinterpret_cast<const char*>(&node.json) + sizeof(id.a), sizeof(id.b));
      break;
    case Node::Kind::kXml:  // (node, attribute)
      std::memcpy(&id.a, node.xml_bytes, sizeof(id.a));
      std::memcpy(&id.b, node.xml_bytes + sizeof(id.a), sizeof(id.b));
      break;
    case Node::Kind::kRow:
      id.a = node.row;
      id.b = node.column;
      break;
    case Node::Kind::kNone:
      break;
  }
  return id;
}
std::unique_ptr<Expr> makeLiteral(std::string value) {
  return std::make_unique<LiteralExpr>(std::move(value));
}
std::unique_ptr<Expr> makeHeader(std::string name) {
  return std::make_unique<HeaderExpr>(std::move(name));
}
std::unique_ptr<Expr> makeSetting(std::size_t index, std::string name) {
  return std::make_unique<SettingExpr>(index, std::move(name));
}
std::unique_ptr<Expr> makePosition() { return std::make_unique<PositionExpr>(); }
std::unique_ptr<Expr> makeConcat(std::vector<ExprPtr> parts, std::string separator) {
  return std::make_unique<ConcatExpr>(std::move(parts), std::move(separator));
}
std::unique_ptr<Expr> makeFirstOf(std::vector<ExprPtr> parts) {
  return std::make_unique<FirstOfExpr>(std::move(parts));
}
std::unique_ptr<Expr> makeSplit(ExprPtr inner, std::string separator,
                                std::optional<std::int64_t> index) {
  return std::make_unique<SplitExpr>(std::move(inner), std::move(separator), index);
}
std::unique_ptr<Expr> makeJoin(ExprPtr inner, std::string separator) {
  return std::make_unique<JoinExpr>(std::move(inner), std::move(separator));
}
std::unique_ptr<Expr> makeReplace(ExprPtr inner, std::string from, std::string to) {
  return std::make_unique<ReplaceExpr>(std::move(inner), std::move(from), std::move(to));
}
}  // namespace ordergate::adapters::mapping
