#include <malloc.h>

#include "gateway/cli/cli.hpp"

int main(int argc, char** argv) {
#ifndef ORDERGATE_ALLOCATOR
  // Built without tcmalloc (ORDERGATE_TCMALLOC=OFF or the package missing): tune glibc.
  // glibc consolidates its fastbins on every large (≥ 1 KiB) allocation while any are in use;
  // the request path allocates coroutine frames of several KiB per request, so with fastbins
  // on, malloc_consolidate alone took ≈ 3 % of the gateway's CPU. Small blocks still come from
  // the per-thread tcache. Buffers freed at the top of the heap are not handed back to the
  // kernel below 64 MiB (trimming and re-faulting them showed up as page faults).
  mallopt(M_MXFAST, 0);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
  return ordergate::gateway::runCli(argc, argv);
}
