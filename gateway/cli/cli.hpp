#pragma once

namespace ordergate::gateway {

/// The `ordergate` command line (CONTRACT.md): serve, ingest, mapping test, dlq, --version.
/// Returns the exit status: 0 success, 2 bad arguments or invalid config, 1 other failures.
int runCli(int argc, char** argv);

}  // namespace ordergate::gateway
