#include "infer/expert_load.h"

#include <cmath>

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

}  // namespace
}  // namespace xpusim
