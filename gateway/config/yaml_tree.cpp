#include "gateway/config/yaml_tree.hpp"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace ordergate::gateway::config {
namespace {

adapters::SettingNode convert(const YAML::Node& n) {
  adapters::SettingNode out;
  out.line = n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
  if (n.IsScalar()) {
    out.scalar = n.Scalar();
  } else if (n.IsSequence()) {
    out.kind = adapters::SettingNode::Kind::kList;
    for (const auto& item : n) {
      out.list.push_back(convert(item));
    }
  } else if (n.IsMap()) {
    out.kind = adapters::SettingNode::Kind::kMap;
    for (const auto& kv : n) {
      out.map.emplace(kv.first.as<std::string>(), convert(kv.second));
    }
  }
  return out;
}

}  // namespace

Result<adapters::SettingNode> parseYamlTree(const std::string& text, const std::string& name) {
  try {
    return convert(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kConfig, "invalid YAML: " + e.msg,
                name + ":" + std::to_string(e.mark.line + 1));
  }
}

Result<adapters::SettingNode> loadYamlTree(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kConfig, "cannot read the file", path);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return parseYamlTree(buf.str(), path);
}

}  // namespace ordergate::gateway::config
