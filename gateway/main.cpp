#include <cstdio>

int main() {
  std::puts("ordergate " ORDERGATE_VERSION);
  return 0;
}
