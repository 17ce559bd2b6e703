#include "reliability/goodput.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace xpusim::reliability {
namespace {

TEST(Goodput, DalyIntervalMatchesHandValues) {
  // C = 60 s, M = 3 h: Young sqrt(2 C M) = 1138.42 s; Daly's refinement
  // 1138.42 (1 + sqrt(x)/3 + x/9) - 60 with x = C/2M = 1/360 -> 1098.77 s.
  EXPECT_NEAR(DalyInterval(60, 10800), 1098.771, 1e-3);
  EXPECT_DOUBLE_EQ(DalyInterval(500, 200), 200);  // C >= 2M: tau = M
  auto r = Evaluate({.work_s = 1e6, .mtbf_s = 10800, .checkpoint_s = 60, .restart_s = 600});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->young_interval_s, 1138.420, 1e-3);
  EXPECT_NEAR(r->interval_s, 1098.771, 1e-3);
}

TEST(Goodput, SegmentWallHandValues) {
  // a = M, R = 0: M (e - 1).
  EXPECT_NEAR(ExpectedSegmentWall(100, 0, 100), 171.8281828, 1e-6);
  // R = M: times e^(R/M) = e, so M e (e - 1).
  EXPECT_NEAR(ExpectedSegmentWall(100, 100, 100), 467.0774270, 1e-6);
  // No failures: just the segment.
  EXPECT_DOUBLE_EQ(ExpectedSegmentWall(100, 50, std::numeric_limits<double>::infinity()), 100);
}

TEST(Goodput, NoFailuresCostsOnlyCheckpoints) {
  const double inf = std::numeric_limits<double>::infinity();
  auto r = Evaluate({.work_s = 1000, .mtbf_s = inf, .checkpoint_s = 10, .restart_s = 5, .interval_s = 300});
  ASSERT_TRUE(r.ok());
  // 3 full segments + 1 partial (100 s), each with a 10 s checkpoint.
  EXPECT_DOUBLE_EQ(r->checkpoints, 4);
  EXPECT_DOUBLE_EQ(r->expected_wall_s, 1040);
  EXPECT_DOUBLE_EQ(r->interruptions, 0);
  EXPECT_NEAR(r->goodput, 1000.0 / 1040, 1e-12);
}

TEST(Goodput, SmallFailureRateAddsHalfAnIntervalPlusRestartPerFailure) {
  // First order: each failure loses ~ (tau + C)/2 + R. W = 1e6 s,
  // M = 1e6 s (one failure), tau = 1000 s, C = 0, R = 100 s:
  // wall ~ 1e6 + 1 x (500 + 100) (+ second-order terms ~ 0.1%).
  auto r = Evaluate({.work_s = 1e6, .mtbf_s = 1e6, .checkpoint_s = 0, .restart_s = 100, .interval_s = 1000});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->expected_wall_s, 1e6 + 600, 5);
  EXPECT_NEAR(r->interruptions, r->expected_wall_s / 1e6, 1e-12);
}

TEST(Goodput, RejectsBadInputs) {
  const double nan = std::nan("");
  EXPECT_FALSE(Evaluate({.work_s = nan, .mtbf_s = 1}).ok());
  EXPECT_FALSE(Evaluate({.work_s = 1, .mtbf_s = 0}).ok());
  EXPECT_FALSE(Evaluate({.work_s = 1, .mtbf_s = 1, .checkpoint_s = -1}).ok());
  EXPECT_FALSE(Evaluate({.work_s = 1, .mtbf_s = 1, .restart_s = std::numeric_limits<double>::infinity()}).ok());
  // Segments far longer than the MTBF: e^(1e6) overflows, a clear error.
  auto r = Evaluate({.work_s = 1e7, .mtbf_s = 1, .checkpoint_s = 1e6, .restart_s = 1});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("never finish"), std::string::npos);
  EXPECT_FALSE(SimulateRun({.work_s = 1, .mtbf_s = 1}, 0, 1).ok());
}

// The Monte Carlo draws the process the closed form integrates, so the
// means must agree (the bar: within 2%).
struct McCase {
  const char* name;
  RunParams p;
};

TEST(Goodput, MonteCarloMeanMatchesClosedForm) {
  const McCase cases[] = {
      // Llama 3 405B-like: 54 days, M = 3.09 h, C = 3 s, R = 603 s.
      {"llama3", {.work_s = 50 * 86400.0, .mtbf_s = 54 * 86400.0 / 419, .checkpoint_s = 2.8, .restart_s = 603}},
      // Harsh: interval close to the MTBF, restarts often fail too.
      {"harsh", {.work_s = 5e5, .mtbf_s = 2000, .checkpoint_s = 300, .restart_s = 900, .interval_s = 1500}},
      // A partial last segment, a short run.
      {"short", {.work_s = 12345, .mtbf_s = 5000, .checkpoint_s = 30, .restart_s = 100, .interval_s = 4000}},
  };
  for (const auto& c : cases) {
    auto cf = Evaluate(c.p);
    ASSERT_TRUE(cf.ok()) << c.name;
    auto mc = SimulateRun(c.p, 4000, 42);
    ASSERT_TRUE(mc.ok()) << c.name << mc.status().ToString();
    EXPECT_NEAR(mc->mean_wall_s / cf->expected_wall_s, 1, 0.02) << c.name;
    EXPECT_NEAR(mc->mean_interruptions / cf->interruptions, 1, 0.03) << c.name;
    EXPECT_LE(mc->p10_wall_s, mc->p50_wall_s);
    EXPECT_LE(mc->p50_wall_s, mc->p90_wall_s);
    EXPECT_GE(mc->p10_wall_s, c.p.work_s);  // never faster than failure-free
  }
}

TEST(Goodput, MonteCarloIsDeterministicPerSeed) {
  const RunParams p{.work_s = 1e6, .mtbf_s = 1e4, .checkpoint_s = 20, .restart_s = 300};
  auto a = SimulateRun(p, 200, 7), b = SimulateRun(p, 200, 7), c = SimulateRun(p, 200, 8);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->mean_wall_s, b->mean_wall_s);
  EXPECT_EQ(a->p90_wall_s, b->p90_wall_s);
  EXPECT_NE(a->mean_wall_s, c->mean_wall_s);
}

TEST(Goodput, MonteCarloWithoutFailuresIsExact) {
  const RunParams p{.work_s = 1000, .mtbf_s = std::numeric_limits<double>::infinity(), .checkpoint_s = 10,
                    .interval_s = 300};
  auto mc = SimulateRun(p, 10, 1);
  ASSERT_TRUE(mc.ok());
  EXPECT_DOUBLE_EQ(mc->mean_wall_s, 1040);
  EXPECT_DOUBLE_EQ(mc->p90_wall_s, 1040);
  EXPECT_DOUBLE_EQ(mc->mean_interruptions, 0);
}

}  // namespace
}  // namespace xpusim::reliability
