#include <charconv>

#include "adapters/mapping/compiler.hpp"

// Compiling `signature:` — the declared authentication scheme of a mapping.

namespace ordergate::adapters::mapping {
namespace {

const SettingNode* child(const SettingNode* node, std::string_view key) {
  if (node == nullptr || node->kind != SettingNode::Kind::kMap) {
    return nullptr;
  }
  const auto it = node->map.find(key);
  return it == node->map.end() ? nullptr : &it->second;
}

}  // namespace

void compileSignature(ExprCompiler& c, const SettingNode* node, SignatureSpec& s) {
  if (node == nullptr) {
    return;
  }
  const std::string p = "signature";
  if (!c.onlyKeys(*node, p,
                  {"scheme", "header", "encoding", "prefix", "separator", "message",
                   "timestamp_header", "tolerance_seconds", "secret_setting", "secret_encoding"})) {
    return;
  }
  const SettingNode* scheme = child(node, "scheme");
  const std::string sc = scheme ? scheme->scalar : "";
  if (sc == "hmac-sha256") {
    s.scheme = SignatureSpec::Scheme::kHmacSha256;
  } else if (sc == "token") {
    s.scheme = SignatureSpec::Scheme::kToken;
  } else if (sc != "none") {
    c.error(scheme ? *scheme : *node, p + ".scheme", "expected hmac-sha256, token or none");
  }
  if (s.scheme == SignatureSpec::Scheme::kNone) {
    return;
  }
  const SettingNode* header = child(node, "header");
  if (header == nullptr || header->scalar.empty()) {
    c.error(header ? *header : *node, p + ".header", "required: the header carrying it");
  } else {
    s.header = header->scalar;
  }
  if (const SettingNode* enc = child(node, "encoding")) {
    if (enc->scalar == "hex") {
      s.encoding = SignatureSpec::Encoding::kHex;
    } else if (enc->scalar != "base64") {
      c.error(*enc, p + ".encoding", "expected base64 or hex");
    }
  }
  if (const SettingNode* v = child(node, "prefix")) {
    s.prefix = v->scalar;
  }
  if (const SettingNode* v = child(node, "separator")) {
    s.separator = v->scalar;
  }
  if (const SettingNode* v = child(node, "timestamp_header")) {
    s.timestamp_header = v->scalar;
  }
  if (const SettingNode* v = child(node, "tolerance_seconds")) {
    long long n = 0;
    const auto r = std::from_chars(v->scalar.data(), v->scalar.data() + v->scalar.size(), n);
    if (r.ec != std::errc() || r.ptr != v->scalar.data() + v->scalar.size() || n <= 0) {
      c.error(*v, p + ".tolerance_seconds", "expected a positive number of seconds");
    }
    s.tolerance_seconds = n;
  }
  if (const SettingNode* v = child(node, "secret_setting")) {
    s.secret_setting = v->scalar;
  }
  if (const SettingNode* v = child(node, "secret_encoding")) {
    if (v->scalar == "base64") {
      s.secret_base64 = true;
    } else if (v->scalar != "raw") {
      c.error(*v, p + ".secret_encoding", "expected raw or base64");
    }
  }
  s.message.clear();
  const SettingNode* message = child(node, "message");
  const std::string tmpl = message ? message->scalar : "{body}";
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const std::size_t open = tmpl.find('{', i);
    if (open != i) {
      s.message.push_back({SignatureSpec::Part::Kind::kLiteral,
                           tmpl.substr(i, open == std::string::npos ? open : open - i)});
      if (open == std::string::npos) {
        break;
      }
    }
    const std::size_t close = tmpl.find('}', open);
    const std::string inner =
        close == std::string::npos ? "" : tmpl.substr(open + 1, close - open - 1);
    if (inner == "body") {
      s.message.push_back({SignatureSpec::Part::Kind::kBody, {}});
    } else if (inner.rfind("header:", 0) == 0 && inner.size() > 7) {
      s.message.push_back({SignatureSpec::Part::Kind::kHeader, inner.substr(7)});
    } else {
      c.error(*message, p + ".message",
              "expected {body} or {header:Name} at position " + std::to_string(open));
      break;
    }
    i = close + 1;
  }
}

}  // namespace ordergate::adapters::mapping
