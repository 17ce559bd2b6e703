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
  // ZB-H1: (p-1)(F+B-2W) with B the full backward (DeepSeek-V3 Table 2;
  // the ZB paper's (p-1)(TF+TB-TW) with TB = 2 - 1 = 1): 3 * (1 + 2 - 2) = 3
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kZeroBubble, 4, 1, 8, t), 3.0, 1e-12);
  // DualPipe: (p/2-1)(F&B + B - 3W), F&B = F + B = 3: 1 * (3 + 2 - 3) = 2
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kDualPipe, 4, 1, 8, t), 2.0, 1e-12);
  // 16 stages: 7 * (3 + 2 - 3) = 14; with no weight-gradient split, 7 * (1 + 2 + 2) = 35
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kDualPipe, 16, 1, 120, t), 14.0, 1e-12);
  EXPECT_NEAR(PipelineBubbleS(PipelineSchedule::kDualPipe, 16, 1, 120, StageTimes{1.0, 2.0, 0.0}), 35.0, 1e-12);
}

TEST(PipelineTest, InFlight) {
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::k1F1B, 8, 1, 64), 8);
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::k1F1B, 8, 1, 4), 4);
  EXPECT_NEAR(InFlightMicroBatches(PipelineSchedule::kInterleaved, 8, 2, 64), 8 * (1 + 7.0 / 16), 1e-12);
  // DualPipe (DeepSeek-V3 Table 2): PP + 1 stage-activations, two weight copies.
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::kDualPipe, 16, 1, 120), 17);
  EXPECT_EQ(InFlightMicroBatches(PipelineSchedule::kDualPipe, 16, 1, 10), 10);
  EXPECT_EQ(WeightCopies(PipelineSchedule::kDualPipe), 2);
  EXPECT_EQ(WeightCopies(PipelineSchedule::k1F1B), 1);
}

}  // namespace
}  // namespace xpusim
