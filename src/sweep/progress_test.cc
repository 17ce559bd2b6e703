#include "sweep/progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace xpusim::sweep {
namespace {

TEST(SweepProgress, DurationsReadLikeAClock) {
  EXPECT_EQ(Progress::Duration(0), "0s");
  EXPECT_EQ(Progress::Duration(44.6), "45s");
  EXPECT_EQ(Progress::Duration(168), "2m48s");      // 2 x 60 + 48
  EXPECT_EQ(Progress::Duration(3 * 3600 + 5 * 60 + 59), "3h05m");
  EXPECT_EQ(Progress::Duration(NAN), "?");
  EXPECT_EQ(Progress::Duration(-1), "?");
}

TEST(SweepProgress, LineShowsDoneTotalRateAndEta) {
  // 1,234 of 10,000 done at 52.1 points/s: (10,000 - 1,234) / 52.1 = 168.3 s.
  EXPECT_EQ(Progress::Line(1234, 10000, 52.1, (10000 - 1234) / 52.1),
            "1,234/10,000 points (12%)  52.1 points/s  ETA 2m48s");
  EXPECT_EQ(Progress::Line(10000, 10000, 800, 0), "10,000/10,000 points (100%)  800 points/s  ETA 0s");
}

}  // namespace
}  // namespace xpusim::sweep
