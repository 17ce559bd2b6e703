#include "infer/sim/log_histogram.h"

#include <gtest/gtest.h>

namespace xpusim::sim {
namespace {

TEST(LogHistogram, QuantilesWithinHalfAPercent) {
  LogHistogram h;
  for (int i = 1; i <= 100000; ++i) h.Add(i * 1e-4);  // 0.1 ms .. 10 s, uniform
  EXPECT_EQ(h.count(), 100000);
  EXPECT_NEAR(h.mean(), 5.00005, 1e-9);
  EXPECT_NEAR(h.Quantile(0.5), 5.0, 5.0 * 0.005);
  EXPECT_NEAR(h.Quantile(0.9), 9.0, 9.0 * 0.005);
  EXPECT_NEAR(h.Quantile(0.99), 9.9, 9.9 * 0.005);
  EXPECT_DOUBLE_EQ(h.Quantile(1.0), 10.0);
  EXPECT_DOUBLE_EQ(h.min(), 1e-4);
}

TEST(LogHistogram, EmptyAndOutOfRangeAndMerge) {
  LogHistogram h;
  EXPECT_EQ(h.Quantile(0.5), 0.0);
  h.Add(0.0);
  h.Add(1e9);
  EXPECT_DOUBLE_EQ(h.Quantile(0.0), 0.0);
  EXPECT_DOUBLE_EQ(h.Quantile(1.0), 1e9);
  LogHistogram g;
  g.Add(2.0);
  g.Merge(h);
  EXPECT_EQ(g.count(), 3);
  EXPECT_NEAR(g.Quantile(0.5), 2.0, 0.01);
}

}  // namespace
}  // namespace xpusim::sim
