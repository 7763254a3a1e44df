#include "adapters/mapping/expr.hpp"

// Error messages that name the exact source position of a failing value.

namespace ordergate::adapters::mapping {
namespace {

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
      return path->self ? frameDescription(ctx.frame)
                        : frameDescription(ctx.frame) + "." + path->text;
    case Node::Kind::kNone:
      break;
  }
  return path->text;
}

}  // namespace

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

}  // namespace ordergate::adapters::mapping
