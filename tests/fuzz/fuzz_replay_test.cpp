// Runs a fuzz target's LLVMFuzzerTestOneInput with the normal compiler: over the seed corpus
// (ORDERGATE_FUZZ_CORPUS/*/body.json) and then over deterministic mutations of it (byte
// flips, truncations, insertions, splices), bounded by count and by time. A crash or an
// abort() in the target fails the test; rerun the printed input with the libFuzzer binary.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/support/json_compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

constexpr int kMutations = 20000;
constexpr auto kTimeBudget = std::chrono::seconds(20);

std::vector<std::string> loadCorpus() {
  std::vector<std::string> corpus;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(ORDERGATE_FUZZ_CORPUS, ec)) {
    const fs::path body = entry.path() / "body.json";
    if (fs::exists(body)) {
      corpus.push_back(ordergate::testing::readFile(body.string()));
    }
  }
  return corpus;
}

int run(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937& rng) {
  static constexpr std::string_view kTokens[] = {"\"",
                                                 "{",
                                                 "}",
                                                 "[",
                                                 "]",
                                                 ",",
                                                 ":",
                                                 "null",
                                                 "-1",
                                                 "1e308",
                                                 "18446744073709551616",
                                                 "\"0.001\"",
                                                 "\"99999999999999999999.99\"",
                                                 "\"\\u0000\"",
                                                 "\xff",
                                                 "\"current_quantity\":0"};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    const std::size_t pos = input.empty() ? 0 : rng() % input.size();
    switch (rng() % 5) {
      case 0:  // flip a byte
        if (!input.empty()) {
          input[pos] = static_cast<char>(input[pos] ^ (1u << (rng() % 8)));
        }
        break;
      case 1:  // truncate
        input.resize(pos);
        break;
      case 2:  // insert a JSON-ish token
        input.insert(pos, kTokens[rng() % std::size(kTokens)]);
        break;
      case 3:  // delete a run
        input.erase(pos, rng() % 16);
        break;
      default: {  // splice in a piece of another seed
        const std::string& other = corpus[rng() % corpus.size()];
        const std::size_t from = other.empty() ? 0 : rng() % other.size();
        input.insert(pos, other.substr(from, rng() % 64));
        break;
      }
    }
  }
  return input;
}

TEST(FuzzReplay, SeedCorpus) {
  const auto corpus = loadCorpus();
  ASSERT_FALSE(corpus.empty()) << "no seeds under " << ORDERGATE_FUZZ_CORPUS;
  for (const auto& seed : corpus) {
    EXPECT_EQ(run(seed), 0);
  }
  EXPECT_EQ(run(""), 0);
}

TEST(FuzzReplay, BoundedMutations) {
  const auto corpus = loadCorpus();
  ASSERT_FALSE(corpus.empty());
  std::mt19937 rng(20260301);  // deterministic: a failure reproduces
  const auto deadline = std::chrono::steady_clock::now() + kTimeBudget;
  int done = 0;
  for (; done < kMutations && std::chrono::steady_clock::now() < deadline; ++done) {
    const std::string input = mutate(corpus[rng() % corpus.size()], corpus, rng);
    ASSERT_EQ(run(input), 0) << "mutation " << done;
  }
  RecordProperty("mutations", done);
}

}  // namespace
