#pragma once

#include <string>

#include "adapters/common/settings.hpp"
#include "canonical/error.hpp"

namespace ordergate::gateway::config {

/// Reads a YAML file into a SettingNode tree (scalars as text, with line numbers), so code in
/// adapters/ (mapping engine) can read YAML without depending on the YAML library.
/// No `${ENV}` interpolation. Error kConfig with field "<file>:<line>".
[[nodiscard]] Result<adapters::SettingNode> loadYamlTree(const std::string& path);
[[nodiscard]] Result<adapters::SettingNode> parseYamlTree(const std::string& text,
                                                          const std::string& name);

}  // namespace ordergate::gateway::config
