// TtftAtLoad against hand calculations on a made-up linear prefill time
// t(n) = 10 ms + 20 ms x n.
#include "infer/ttft_at_load.h"

#include <cmath>

#include <gtest/gtest.h>

namespace xpusim {
namespace {

Result<double> Linear(int64_t n) { return 0.010 + 0.020 * static_cast<double>(n); }

TEST(TtftAtLoadTest, IdleReplicaPrefillsOnePromptAfterHalfAStep) {
  auto r = TtftAtLoad(0, 8, Linear, 0.010);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompts, 1);
  EXPECT_DOUBLE_EQ(r->prefill_s, 0.030);
  EXPECT_DOUBLE_EQ(r->wait_s, 0.005);  // no prefill share: half a 10 ms decode step
}

// 35 prompts/s: t(1) = 30 ms sees 1.05 arrivals -> 2 prompts, t(2) = 50 ms
// sees 1.75 -> 2: fixed point. Prefill share 35 x 0.05 / 2 = 0.875; wait =
// 0.875 x 25 ms + 0.125 x 5 ms = 22.5 ms; TTFT 72.5 ms.
TEST(TtftAtLoadTest, IterationHoldsThePromptsThatArriveWhileOneRuns) {
  auto r = TtftAtLoad(35, 8, Linear, 0.010);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompts, 2);
  EXPECT_DOUBLE_EQ(r->prefill_s, 0.050);
  EXPECT_NEAR(r->wait_s, 0.0225, 1e-12);
  EXPECT_NEAR(r->total_s(), 0.0725, 1e-12);
}

// 100 prompts/s outruns the prefill (2 s of work per second per prompt
// added): the iteration fills the budget, and prefill takes all the time.
TEST(TtftAtLoadTest, OverloadedReplicaRunsFullBudgetIterations) {
  auto r = TtftAtLoad(100, 8, Linear, 0.010);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompts, 8);
  EXPECT_DOUBLE_EQ(r->prefill_s, 0.170);
  EXPECT_DOUBLE_EQ(r->wait_s, 0.085);
}

TEST(TtftAtLoadTest, ErrorsPassThroughAndBadRatesAreIdle) {
  auto fails = [](int64_t) -> Result<double> { return Status::Invalid("no"); };
  EXPECT_FALSE(TtftAtLoad(1, 4, fails, 0).ok());
  auto nan = TtftAtLoad(std::nan(""), 4, Linear, 0);
  ASSERT_TRUE(nan.ok());
  EXPECT_EQ(nan->prompts, 1);
  EXPECT_DOUBLE_EQ(nan->wait_s, 0);
}

}  // namespace
}  // namespace xpusim
