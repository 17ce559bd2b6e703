#include "train/pipeline.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

TEST(PipelineTest, BubbleFractionByHand) {
  StageTimes t{1.0, 2.0, 1.0};
  // 1F1B: (p-1)/(m+p-1) = 3/(8+3)
  EXPECT_NEAR(PipelineBubbleFraction(PipelineSchedule::k1F1B, 4, 1, 8, t), 3.0 / 11, 1e-12);
  // Interleaved: (p-1)/(m v + p-1) = 3/(16+3)
  EXPECT_NEAR(PipelineBubbleFraction(PipelineSchedule::kInterleaved, 4, 2, 8, t), 3.0 / 19, 1e-12);
  EXPECT_EQ(PipelineBubbleS(PipelineSchedule::k1F1B, 1, 1, 8, t), 0);
  // ZB-H1 hides the weight-gradient part: (p-1)(tf+tb-tw) = 3*2
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kZeroBubble, 4, 1, 8, t), 6.0, 1e-12);
  // DualPipe: (p/2-1)(F&B + B - 3W) = 1 * (3 - 3) = 0 with these times
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kDualPipe, 4, 1, 8, t), 0.0, 1e-12);
}

TEST(PipelineTest, InFlight) {
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::k1F1B, 8, 1, 64), 8);
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::k1F1B, 8, 1, 4), 4);
  EXPECT_NEAR(InFlightMicroBatches(PipelineSchedule::kInterleaved, 8, 2, 64), 8 * (1 + 7.0 / 16), 1e-12);
}

}  // namespace
}  // namespace xpusim
