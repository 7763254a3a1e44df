#include "tests/support/json_compare.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <simdjson.h>

namespace ordergate::testing {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string render(element e);

std::string scalarText(element e) {
  switch (e.type()) {
    case element_type::INT64: return std::to_string(int64_t(e));
    case element_type::UINT64: return std::to_string(uint64_t(e));
    case element_type::DOUBLE: {
      std::ostringstream os;
      os << double(e);
      return os.str();
    }
    case element_type::STRING: return "\"" + std::string(std::string_view(e)) + "\"";
    case element_type::BOOL: return bool(e) ? "true" : "false";
    case element_type::NULL_VALUE: return "null";
    default: return render(e);
  }
}

std::string diff(element a, element b, const std::string& path) {
  bool a_num = a.is_number();
  bool b_num = b.is_number();
  if (a.type() != b.type() && !(a_num && b_num)) {
    return path + ": expected " + render(a) + ", got " + render(b);
  }
  if (a.type() == element_type::OBJECT) {
    std::map<std::string, element> am;
    std::map<std::string, element> bm;
    for (auto f : simdjson::dom::object(a)) am.emplace(std::string(f.key), f.value);
    for (auto f : simdjson::dom::object(b)) bm.emplace(std::string(f.key), f.value);
    for (const auto& [k, v] : am) {
      auto it = bm.find(k);
      if (it == bm.end()) {
        return path + "." + k + ": missing in actual (expected " + render(v) + ")";
      }
      std::string d = diff(v, it->second, path + "." + k);
      if (!d.empty()) return d;
    }
    for (const auto& [k, v] : bm) {
      if (am.find(k) == am.end()) {
        return path + "." + k + ": unexpected in actual (" + render(v) + ")";
      }
    }
    return "";
  }
  if (a.type() == element_type::ARRAY) {
    std::vector<element> av;
    std::vector<element> bv;
    for (auto x : simdjson::dom::array(a)) av.push_back(x);
    for (auto x : simdjson::dom::array(b)) bv.push_back(x);
    for (std::size_t i = 0; i < std::max(av.size(), bv.size()); ++i) {
      std::string p = path + "[" + std::to_string(i) + "]";
      if (i >= bv.size()) return p + ": missing in actual (expected " + render(av[i]) + ")";
      if (i >= av.size()) return p + ": unexpected in actual (" + render(bv[i]) + ")";
      std::string d = diff(av[i], bv[i], p);
      if (!d.empty()) return d;
    }
    return "";
  }
  std::string as = scalarText(a);
  std::string bs = scalarText(b);
  if (as != bs) {
    return path + ": expected " + as + ", got " + bs;
  }
  return "";
}

void pretty(element e, std::string& out, int indent) {
  std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  std::string pad_in(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (e.type() == element_type::OBJECT) {
    std::map<std::string, element> m;
    for (auto f : simdjson::dom::object(e)) m.emplace(std::string(f.key), f.value);
    if (m.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [k, v] : m) {
      out += pad_in + "\"" + k + "\": ";
      pretty(v, out, indent + 1);
      out += ++i < m.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (e.type() == element_type::ARRAY) {
    std::vector<element> v;
    for (auto x : simdjson::dom::array(e)) v.push_back(x);
    if (v.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < v.size(); ++i) {
      out += pad_in;
      pretty(v[i], out, indent + 1);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else if (e.type() == element_type::STRING) {
    out += simdjson::minify(e);
  } else {
    out += scalarText(e);
  }
}

std::string render(element e) {
  std::string s = simdjson::minify(e);
  if (s.size() > 200) {
    s = s.substr(0, 200) + "…";
  }
  return s;
}

}  // namespace

std::string jsonDiff(std::string_view expected, std::string_view actual) {
  simdjson::dom::parser pa;
  simdjson::dom::parser pb;
  simdjson::padded_string ea(expected);
  simdjson::padded_string eb(actual);
  element a;
  element b;
  if (pa.parse(ea).get(a) != simdjson::SUCCESS) return "expected document is not valid JSON";
  if (pb.parse(eb).get(b) != simdjson::SUCCESS) return "actual document is not valid JSON";
  return diff(a, b, "$");
}

std::string jsonPretty(std::string_view json) {
  simdjson::dom::parser p;
  simdjson::padded_string s(json);
  element e;
  if (p.parse(s).get(e) != simdjson::SUCCESS) {
    return std::string(json);
  }
  std::string out;
  pretty(e, out, 0);
  out += "\n";
  return out;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace ordergate::testing
