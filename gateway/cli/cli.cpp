#include "gateway/cli/cli.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "adapters/adapter.hpp"
#include "gateway/app/app.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/config/yaml_tree.hpp"
#include "adapters/mapping/mapping.hpp"
#include "gateway/config/config.hpp"
#include "gateway/log/log.hpp"
#include "gateway/util/version.hpp"

namespace ordergate::gateway {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void printConfigError(const Error& e) {
  std::fprintf(stderr, "ordergate: invalid config: %s: %s\n", e.field.c_str(), e.message.c_str());
}

Result<config::Config> loadAndLog(const std::string& path) {
  auto cfg = config::loadConfig(path);
  if (cfg) {
    log::Level level = log::Level::kInfo;
    log::parseLevel(cfg->log.level, level);
    log::setLevel(level);
  }
  return cfg;
}

int serve(const std::string& config_path, bool check_only) {
  auto cfg = loadAndLog(config_path);
  if (!cfg) {
    printConfigError(cfg.error());
    return kExitUsage;
  }
  adapters::AdapterRegistry registry;
  adapters::registerBuiltinAdapters(registry);
  auto app = App::create(std::move(*cfg), registry);
  if (!app) {
    printConfigError(app.error());
    return kExitUsage;
  }
  if (check_only) {
    std::printf("%s: config OK\n", config_path.c_str());
    return kExitOk;
  }
  return (*app)->run();
}

int mappingTest(const std::string& file, const std::string& input,
                const std::vector<std::string>& header_args) {
  auto tree = config::loadYamlTree(file);
  if (!tree) {
    std::fprintf(stderr, "ordergate: %s: %s\n", tree.error().field.c_str(), tree.error().message.c_str());
    return kExitUsage;
  }
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "ordergate: cannot read %s\n", input.c_str());
    return kExitUsage;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::pair<std::string, std::string>> headers;
  for (const std::string& h : header_args) {
    auto colon = h.find(':');
    if (colon == std::string::npos) {
      std::fprintf(stderr, "ordergate: --header must be 'Name: value', got \"%s\"\n", h.c_str());
      return kExitUsage;
    }
    std::string value = h.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    headers.emplace_back(h.substr(0, colon), value);
  }
  std::string out;
  std::string err;
  int code = adapters::mapping::runMappingTest(*tree, file, bytes, headers, out, err);
  if (!out.empty()) std::fputs(out.c_str(), stdout);
  if (!out.empty() && out.back() != '\n') std::fputc('\n', stdout);
  if (!err.empty()) std::fputs(err.c_str(), stderr);
  return code == 0 ? kExitOk : kExitFailure;
}

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App cli{"ordergate — channel normalisation gateway: verifies, normalises, deduplicates and "
               "forwards orders and tracking updates to an OMS, once and in order."};
  cli.require_subcommand(0, 1);
  cli.set_version_flag("--version", std::string("ordergate ") + std::string(versionString()));

  std::string config_path;
  bool check_only = false;
  auto* serve_cmd = cli.add_subcommand("serve", "run the gateway (HTTP server + forwarder)");
  serve_cmd->add_option("--config,-c", config_path, "YAML config file")->required();
  serve_cmd->add_flag("--check-config", check_only, "validate the config and exit");

  std::string ingest_channel;
  std::vector<std::string> ingest_files;
  auto* ingest_cmd = cli.add_subcommand("ingest", "push flat files through the same pipeline as an upload");
  ingest_cmd->add_option("--config,-c", config_path, "YAML config file")->required();
  ingest_cmd->add_option("--channel", ingest_channel, "channel id (a flat-file channel)")->required();
  ingest_cmd->add_option("files", ingest_files, "report files (plain or gzip)")->required();

  std::string mapping_file;
  std::string mapping_input;
  std::vector<std::string> mapping_headers;
  auto* mapping_cmd = cli.add_subcommand("mapping", "config-defined channels and carriers");
  auto* mapping_test_cmd = mapping_cmd->add_subcommand(
      "test", "print the canonical JSON a mapping makes of INPUT (or its errors); no signature check");
  mapping_cmd->require_subcommand(1);
  mapping_test_cmd->add_option("--mapping,-m", mapping_file, "mapping file (mappings/<name>/mapping.yaml)")->required();
  mapping_test_cmd->add_option("input", mapping_input, "input payload file")->required();
  mapping_test_cmd->add_option("--header,-H", mapping_headers, "a request header, 'Name: value' (repeatable)");

  AdminQuery query;
  auto add_admin = [&](const char* name, const char* what) {
    auto* cmd = cli.add_subcommand(name, what);
    cmd->add_option("verb", query.verb, "list | show | replay | purge")
        ->required()
        ->check(CLI::IsMember({"list", "show", "replay", "purge"}));
    cmd->add_option("id", query.id, "entry id (show, replay, purge)");
    cmd->add_option("--config,-c", config_path, "YAML config file")->required();
    cmd->add_flag("--all", query.all, "replay every entry");
    cmd->add_option("--channel", query.channel, "list/replay only this channel's entries");
    cmd->add_option("--type", query.type, "list/replay only this event type");
    cmd->add_option("--limit", query.limit, "list at most this many (default 100)");
    cmd->add_option("--offset", query.offset, "skip this many (paging)");
    return cmd;
  };
  auto* dlq_cmd = add_admin("dlq", "dead letters: list | show ID | replay ID | replay --all | purge ID");
  auto* quarantine_cmd = add_admin("quarantine", "quarantined payloads: list | show ID | purge ID");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return kExitUsage;
  }

  if (serve_cmd->parsed()) {
    return serve(config_path, check_only);
  }
  if (mapping_test_cmd->parsed()) {
    return mappingTest(mapping_file, mapping_input, mapping_headers);
  }
  if (ingest_cmd->parsed()) {
    return runIngest(config_path, ingest_channel, ingest_files);
  }
  if (dlq_cmd->parsed() || quarantine_cmd->parsed()) {
    bool needs_id = query.verb == "show" || query.verb == "purge" || (query.verb == "replay" && !query.all);
    if (needs_id && query.id.empty()) {
      std::fprintf(stderr, "ordergate: %s %s needs an ID\n", dlq_cmd->parsed() ? "dlq" : "quarantine",
                   query.verb.c_str());
      return kExitUsage;
    }
    return dlq_cmd->parsed() ? runDlq(config_path, query) : runQuarantine(config_path, query);
  }
  std::cout << cli.help();
  return argc > 1 ? kExitUsage : kExitOk;
}

}  // namespace ordergate::gateway
