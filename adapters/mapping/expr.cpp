#include <algorithm>
#include <cstring>

#include "adapters/mapping/expr.hpp"

namespace ordergate::adapters::mapping {
namespace {

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// "$.line_items[1]" for the innermost each frame; "$" at the top.
std::string frameDescription(const Frame* f) {
  if (f == nullptr || f->each == nullptr) {
    return "$";
  }
  std::string each = f->each->text;
  const std::size_t star = each.find("[*]");
  if (star != std::string::npos) {
    each.replace(star, 3, "[" + std::to_string(f->index) + "]");
  } else if (f->each->multi) {
    each += "#" + std::to_string(f->index);
  }
  if (!each.empty() && each[0] == '$') {
    return each;
  }
  if (each.size() >= 2 && (each[0] == '@' || each[0] == '^') && each[1] == '.') {
    each.erase(0, 2);
  }
  return frameDescription(f->parent) + "." + each;
}

std::string sourceDescription(const EvalContext& ctx, const RuleInfo& rule, const Path* path,
                              const Node* node) {
  if (path == nullptr || ctx.doc == nullptr) {
    // A composite expression: name the node it was evaluated at, then the expression.
    std::string where;
    if (ctx.doc != nullptr) {
      where = ctx.current.kind == Node::Kind::kJson ? frameDescription(ctx.frame)
                                                      : ctx.doc->describe(ctx.current);
    }
    return where.empty() ? rule.source : where + ": " + rule.source;
  }
  if (node != nullptr) {
    std::string d = ctx.doc->describe(*node);
    if (!d.empty()) {
      return d;
    }
  }
  const Node& base = originNode(ctx, *path);
  switch (base.kind) {
    case Node::Kind::kRow: {
      std::string d = "column \"" + path->text + "\" " + ctx.doc->describe(base);
      if (!ctx.doc->knows(*path)) {
        d += ", no such column in the header";
      }
      return d;
    }
    case Node::Kind::kXml:
      if (path->origin == Path::Origin::kRoot) {
        return path->text;
      }
      return ctx.doc->describe(base) + "/" + path->text;
    case Node::Kind::kJson:
      if (path->origin == Path::Origin::kRoot || path->origin == Path::Origin::kRecord) {
        return path->text;
      }
      return path->self ? frameDescription(ctx.frame) : frameDescription(ctx.frame) + "." + path->text;
    case Node::Kind::kNone:
      break;
  }
  return path->text;
}

class PathExpr final : public Expr {
 public:
  PathExpr(Path path, const RuleInfo* rule) : path_(std::move(path)), rule_(rule) {
    uses_document = true;
    text = path_.text;
  }

  bool one(EvalContext& ctx, std::string_view& out) const override {
    const Node& base = originNode(ctx, path_);
    Node node;
    if (path_.self) {
      node = base;
    } else if (!ctx.doc->selectFirst(path_, base, node)) {
      return false;
    }
    return read(ctx, node, out);
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    const Node& base = originNode(ctx, path_);
    if (path_.self) {
      std::string_view v;
      if (read(ctx, base, v)) {
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
      if (read(ctx, n, v)) {
        out.push_back(v);
      }
    }
  }

  bool exists(EvalContext& ctx) const override {
    const Node& base = originNode(ctx, path_);
    Node node = base;
    if (!path_.self && !ctx.doc->selectFirst(path_, base, node)) {
      return false;
    }
    std::string_view v;
    return ctx.doc->text(node, *ctx.arena, v) != TextStatus::kAbsent;
  }

  const Path& path() const { return path_; }

 private:
  bool read(EvalContext& ctx, const Node& node, std::string_view& out) const {
    switch (ctx.doc->text(node, *ctx.arena, out)) {
      case TextStatus::kValue:
        return true;
      case TextStatus::kAbsent:
        return false;
      case TextStatus::kNotScalar:
        if (rule_ != nullptr) {
          addError(ctx, *rule_, &path_, &node, "expected a single value, found a list or object");
        }
        return false;
    }
    return false;
  }

  Path path_;
  const RuleInfo* rule_;
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
      const std::string_view piece =
          trimView(v.substr(start, at == std::string_view::npos ? std::string_view::npos
                                                                  : at - start));
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

class ModifiedExpr final : public Expr {
 public:
  ModifiedExpr(ExprPtr inner, Modifiers mods, const RuleInfo* rule)
      : inner_(std::move(inner)), mods_(std::move(mods)), rule_(rule) {
    uses_document = inner_->uses_document || (mods_.when && mods_.when->uses_document);
    text = inner_->text;
  }

  bool one(EvalContext& ctx, std::string_view& out) const override {
    if (mods_.when && !mods_.when->test(ctx)) {
      return finish(ctx, false, out);
    }
    if (!inner_->one(ctx, out)) {
      return finish(ctx, false, out);
    }
    return finish(ctx, transform(ctx, out), out);
  }

  void all(EvalContext& ctx, std::vector<std::string_view>& out) const override {
    const std::size_t before = out.size();
    if (!mods_.when || mods_.when->test(ctx)) {
      inner_->all(ctx, out);
      std::size_t kept = before;
      for (std::size_t i = before; i < out.size(); ++i) {
        std::string_view v = out[i];
        if (transform(ctx, v)) {
          out[kept++] = v;
        }
      }
      out.resize(kept);
    }
    if (out.size() == before) {
      std::string_view v;
      if (finish(ctx, false, v)) {
        out.push_back(v);
      }
    }
  }

  const Path* path() const {
    if (const auto* p = dynamic_cast<const PathExpr*>(inner_.get())) {
      return &p->path();
    }
    return nullptr;
  }

 private:
  bool finish(EvalContext& ctx, bool have, std::string_view& out) const {
    if (have) {
      return true;
    }
    if (mods_.default_value) {
      out = *mods_.default_value;
      return true;
    }
    if (mods_.required && rule_ != nullptr) {
      addError(ctx, *rule_, path(), nullptr, "required");
    }
    return false;
  }

  bool transform(EvalContext& ctx, std::string_view& v) const {
    if (mods_.trim) {
      v = trimView(v);
    }
    if (mods_.text_case != Modifiers::Case::kKeep || v.size() < mods_.pad) {
      const std::size_t pad = v.size() < mods_.pad ? mods_.pad - v.size() : 0;
      char* p = ctx.arena->allocate(v.size() + pad);
      std::fill(p, p + pad, '0');
      for (std::size_t i = 0; i < v.size(); ++i) {
        p[pad + i] = mods_.text_case == Modifiers::Case::kUpper   ? upperAscii(v[i])
                     : mods_.text_case == Modifiers::Case::kLower ? lowerAscii(v[i])
                                                                  : v[i];
      }
      v = std::string_view(p, v.size() + pad);
    }
    if (v.empty()) {
      return false;
    }
    if (mods_.has_map) {
      std::string_view key = v;
      if (mods_.map_ignore_case) {
        char* p = ctx.arena->allocate(v.size());
        std::transform(v.begin(), v.end(), p, lowerAscii);
        key = std::string_view(p, v.size());
      }
      const auto it = std::lower_bound(
          mods_.map.begin(), mods_.map.end(), key,
          [](const std::pair<std::string, std::string>& e, std::string_view k) {
            return std::string_view(e.first) < k;
          });
      if (it != mods_.map.end() && it->first == key) {
        v = it->second;
      } else if (mods_.fallback) {
        v = *mods_.fallback;
      } else {
        if (rule_ != nullptr) {
          addError(ctx, *rule_, path(), nullptr,
                   "unmapped value \"" + std::string(v) +
                       "\" (add it to map or declare a fallback)");
        }
        return false;
      }
      return !v.empty();
    }
    return true;
  }

  ExprPtr inner_;
  Modifiers mods_;
  const RuleInfo* rule_;
};

class CompareCondition final : public Condition {
 public:
  CompareCondition(ExprPtr value, CompareOp op, std::vector<std::string> operands,
                   bool ignore_case)
      : value_(std::move(value)), op_(op), operands_(std::move(operands)),
        ignore_case_(ignore_case) {
    uses_document = value_->uses_document;
  }

  bool test(EvalContext& ctx) const override {
    if (op_ == CompareOp::kExists) {
      return value_->exists(ctx) == (operands_.empty() || operands_[0] != "false");
    }
    std::string_view v;
    const bool have = value_->one(ctx, v);
    switch (op_) {
      case CompareOp::kExists:
        break;
      case CompareOp::kEquals:
      case CompareOp::kIn:
        return have && matchesAny(v);
      case CompareOp::kNotEquals:
      case CompareOp::kNotIn:
        return !have || !matchesAny(v);
      case CompareOp::kPrefix:
        for (const std::string& o : operands_) {
          if (have && v.size() >= o.size() && same(v.substr(0, o.size()), o)) {
            return true;
          }
        }
        return false;
      case CompareOp::kContains:
        for (const std::string& o : operands_) {
          if (have && contains(v, o)) {
            return true;
          }
        }
        return false;
    }
    return false;
  }

 private:
  bool same(std::string_view a, std::string_view b) const {
    return ignore_case_ ? iequal(a, b) : a == b;
  }
  bool matchesAny(std::string_view v) const {
    for (const std::string& o : operands_) {
      if (same(v, o)) {
        return true;
      }
    }
    return false;
  }
  bool contains(std::string_view v, std::string_view o) const {
    if (o.size() > v.size()) {
      return false;
    }
    for (std::size_t i = 0; i + o.size() <= v.size(); ++i) {
      if (same(v.substr(i, o.size()), o)) {
        return true;
      }
    }
    return false;
  }

  ExprPtr value_;
  CompareOp op_;
  std::vector<std::string> operands_;
  bool ignore_case_;
};

class LogicCondition final : public Condition {
 public:
  enum class Kind { kAll, kAny, kNot };
  LogicCondition(Kind kind, std::vector<ConditionPtr> parts)
      : kind_(kind), parts_(std::move(parts)) {
    for (const ConditionPtr& p : parts_) {
      uses_document = uses_document || p->uses_document;
    }
  }
  bool test(EvalContext& ctx) const override {
    switch (kind_) {
      case Kind::kAll:
        for (const ConditionPtr& p : parts_) {
          if (!p->test(ctx)) {
            return false;
          }
        }
        return true;
      case Kind::kAny:
        for (const ConditionPtr& p : parts_) {
          if (p->test(ctx)) {
            return true;
          }
        }
        return false;
      case Kind::kNot:
        return !parts_.front()->test(ctx);
    }
    return false;
  }

 private:
  Kind kind_;
  std::vector<ConditionPtr> parts_;
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

const Path* exprPath(const Expr& e) {
  if (const auto* p = dynamic_cast<const PathExpr*>(&e)) {
    return &p->path();
  }
  if (const auto* m = dynamic_cast<const ModifiedExpr*>(&e)) {
    return m->path();
  }
  return nullptr;
}

void addError(EvalContext& ctx, const RuleInfo& rule, const Path* path, const Node* node,
              std::string message) {
  if (ctx.errors == nullptr) {
    return;
  }
  const std::string source = sourceDescription(ctx, rule, path, node);
  std::string field = rule.where;
  if (!source.empty()) {
    field += " (source " + source + ")";
  }
  ctx.errors->push_back(FieldError{std::move(field), std::move(message)});
}

std::unique_ptr<Expr> makePathExpr(Path path, const RuleInfo* rule) {
  return std::make_unique<PathExpr>(std::move(path), rule);
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
std::unique_ptr<Expr> makeModified(ExprPtr inner, Modifiers mods, const RuleInfo* rule) {
  return std::make_unique<ModifiedExpr>(std::move(inner), std::move(mods), rule);
}
std::unique_ptr<Condition> makeCompare(ExprPtr value, CompareOp op,
                                       std::vector<std::string> operands, bool ignore_case) {
  return std::make_unique<CompareCondition>(std::move(value), op, std::move(operands),
                                            ignore_case);
}
std::unique_ptr<Condition> makeAll(std::vector<ConditionPtr> parts) {
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kAll, std::move(parts));
}
std::unique_ptr<Condition> makeAny(std::vector<ConditionPtr> parts) {
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kAny, std::move(parts));
}
std::unique_ptr<Condition> makeNot(ConditionPtr inner) {
  std::vector<ConditionPtr> parts;
  parts.push_back(std::move(inner));
  return std::make_unique<LogicCondition>(LogicCondition::Kind::kNot, std::move(parts));
}

}  // namespace ordergate::adapters::mapping
