#include "infer/expert_load.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace xpusim {
namespace {

TEST(ExpertLoadTest, DistinctExpertsFormulaByHand) {
  struct Case {
    double experts, top_k, tokens, local, want;
  } cases[] = {
      {8, 2, 1, 8, 2.0},                                    // one token touches exactly top_k
      {8, 2, 2, 8, 8 * (1 - 0.75 * 0.75)},                  // 3.5
      {256, 8, 32, 256, 256 * (1 - std::pow(1 - 8.0 / 256, 32))},
      {256, 8, 32, 2, 2 * (1 - std::pow(1 - 8.0 / 256, 32))},  // an EP rank holding 2
      {8, 2, 0, 8, 0.0},
      {8, 8, 3, 8, 8.0},                                    // top_k = E: all of them
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(ExpectedDistinctExperts(c.experts, c.top_k, c.tokens, c.local), c.want, 1e-9)
        << c.experts << " " << c.top_k << " " << c.tokens;
  }
  // Many tokens: every expert is touched.
  EXPECT_NEAR(ExpectedDistinctExperts(256, 8, 1e6, 256), 256, 1e-9);
}

TEST(ExpertLoadTest, RowsConserveRoutedSlots) {
  const ExpertLoad l = ExpertLoadOnRank(256, 8, 64, 16);
  // 64 tokens x 8 slots spread over 256 experts; this rank holds 16.
  EXPECT_NEAR(l.touched * l.rows_per_expert, 64.0 * 8 / 256 * 16, 1e-9);
  EXPECT_GE(l.rows_per_expert, 1.0);
}

TEST(ExpertLoadTest, ExpectedMaxOfNormalsAgainstTables) {
  // Exact expected maxima (order-statistics tables, e.g. Harter 1961).
  EXPECT_DOUBLE_EQ(ExpectedMaxStandardNormal(1), 0.0);
  EXPECT_NEAR(ExpectedMaxStandardNormal(2), 0.5642, 0.03);
  EXPECT_NEAR(ExpectedMaxStandardNormal(10), 1.5388, 0.01);
  EXPECT_NEAR(ExpectedMaxStandardNormal(100), 2.5076, 0.01);
}

// Monte Carlo: route tokens with a seeded generator and average the busiest
// rank's slot count over many steps.
double SimulatedBusiestFactor(int experts, int top_k, int tokens_per_rank, int ranks, int trials) {
  std::mt19937_64 rng(12345);
  const int local = experts / ranks;
  std::vector<int> perm(experts);
  double sum_max = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> load(ranks, 0);
    for (int tok = 0; tok < tokens_per_rank * ranks; ++tok) {
      // top_k distinct experts: a partial Fisher-Yates shuffle.
      std::iota(perm.begin(), perm.end(), 0);
      for (int j = 0; j < top_k; ++j) {
        std::uniform_int_distribution<int> pick(j, experts - 1);
        std::swap(perm[j], perm[pick(rng)]);
        ++load[perm[j] / local];
      }
    }
    sum_max += *std::max_element(load.begin(), load.end());
  }
  const double mean = static_cast<double>(tokens_per_rank) * top_k;  // slots per rank on average
  return sum_max / trials / mean;
}

TEST(ExpertLoadTest, BusiestRankMatchesMonteCarlo) {
  struct Case {
    int experts, top_k, tokens_per_rank, ranks;
  } cases[] = {{256, 8, 64, 32}, {256, 8, 16, 64}, {64, 6, 128, 16}, {8, 2, 32, 8}};
  for (const Case& c : cases) {
    const double model = BusiestRankLoadFactor(c.experts, c.top_k, double(c.tokens_per_rank) * c.ranks,
                                               double(c.experts) / c.ranks, c.ranks);
    const double sim = SimulatedBusiestFactor(c.experts, c.top_k, c.tokens_per_rank, c.ranks, 200);
    EXPECT_GT(model, 1.0);
    EXPECT_NEAR(model, sim, 0.03 * sim) << c.experts << " experts, " << c.ranks << " ranks";
  }
  EXPECT_DOUBLE_EQ(BusiestRankLoadFactor(256, 8, 1000, 256, 1), 1.0);
}

}  // namespace
}  // namespace xpusim
