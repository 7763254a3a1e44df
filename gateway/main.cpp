#include "gateway/cli/cli.hpp"

int main(int argc, char** argv) { return ordergate::gateway::runCli(argc, argv); }
