#include <exception>

#include "adapters/mapping/source.hpp"

namespace ordergate::adapters::mapping {
namespace {

class XmlDocument final : public Document {
 public:
  Result<void> load(std::string_view utf8) {
    const pugi::xml_parse_result r =
        doc_.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
      return fail(ErrorCode::kInvalidInput, std::string("invalid XML at byte ") +
                                                std::to_string(r.offset) + ": " + r.description());
    }
    return {};
  }

  Node root() const override {
    Node n;
    n.kind = Node::Kind::kXml;
    n.setXml(pugi::xpath_node(doc_));
    return n;
  }

  void select(const Path& path, const Node& base, std::vector<Node>& out) const override {
    if (base.kind != Node::Kind::kXml || !path.xpath) {
      return;
    }
    pugi::xml_node context = base.xml().node();
    if (path.origin == Path::Origin::kRoot) {
      context = doc_;
    }
    if (!context) {
      return;
    }
    // evaluate_node_set throws only on allocation failure; keep exceptions off the request path.
    try {
      const pugi::xpath_node_set set = path.xpath->evaluate_node_set(context);
      for (const pugi::xpath_node& x : set) {
        Node n;
        n.kind = Node::Kind::kXml;
        n.setXml(x);
        out.push_back(n);
      }
    } catch (const std::exception&) {
    }
  }

  bool selectFirst(const Path& path, const Node& base, Node& out) const override {
    if (base.kind != Node::Kind::kXml || !path.xpath) {
      return false;
    }
    pugi::xml_node context = base.xml().node();
    if (path.origin == Path::Origin::kRoot) {
      context = doc_;
    }
    if (!context) {
      return false;
    }
    try {
      const pugi::xpath_node x = path.xpath->evaluate_node(context);
      if (!x) {
        return false;
      }
      out.kind = Node::Kind::kXml;
      out.setXml(x);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  TextStatus text(const Node& node, Arena&, std::string_view& out) const override {
    if (node.kind != Node::Kind::kXml) {
      return TextStatus::kAbsent;
    }
    const pugi::xpath_node x = node.xml();
    if (x.attribute()) {
      out = x.attribute().value();
    } else {
      const pugi::xml_node n = x.node();
      if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
        out = n.value();
      } else if (n.first_child() && n.first_child().type() == pugi::node_element) {
        return TextStatus::kNotScalar;
      } else {
        out = n.child_value();
      }
    }
    return out.empty() ? TextStatus::kAbsent : TextStatus::kValue;
  }

  std::string describe(const Node& node) const override {
    if (node.kind != Node::Kind::kXml) {
      return {};
    }
    std::string path;
    const pugi::xpath_node x = node.xml();
    pugi::xml_node n = x.node();
    if (x.attribute()) {
      path = "/@" + std::string(x.attribute().name());
      n = x.parent();
    }
    for (; n && n.type() == pugi::node_element; n = n.parent()) {
      std::size_t index = 1;
      std::size_t count = 0;
      for (pugi::xml_node s = n.parent().child(n.name()); s; s = s.next_sibling(n.name())) {
        ++count;
        if (s == n) {
          index = count;
        }
      }
      std::string step = "/" + std::string(n.name());
      if (n.next_sibling(n.name()) || index > 1) {
        step += "[" + std::to_string(index) + "]";
      }
      path = step + path;
    }
    return path.empty() ? "/" : path;
  }

 private:
  pugi::xml_document doc_;
};

}  // namespace

Result<std::unique_ptr<Document>> parseXml(std::string_view utf8) {
  auto doc = std::make_unique<XmlDocument>();
  if (auto r = doc->load(utf8); !r) {
    return tl::unexpected(r.error());
  }
  return std::unique_ptr<Document>(std::move(doc));
}

}  // namespace ordergate::adapters::mapping
