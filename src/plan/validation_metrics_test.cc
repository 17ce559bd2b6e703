// The metric formulas against hand calculations and published logs.
#include "plan/validation_metrics.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

// GPT-1.7B of Megatron 2021 Table 1: B=512, s=2048, l=24, h=2304, V=51200.
// By hand: 96*512*2048*24 = 2,415,919,104; h^2 = 5,308,416; product
// 1.28248e16; bracket 1 + 2048/13824 + 51200/884736 = 1.2060185;
// F = 1.546683e16 FLOPs per step.
TEST(ValidationMetricsTest, Eq3MatchesHandCalculationGpt1p7b) {
  EXPECT_NEAR(MegatronEq3Flops(512, 2048, 24, 2304, 51200), 1.5466830067924994e16, 1e6);
}

// The BLOOM log line: 104.70 s per iteration, GBS 2048, 384 GPUs printed
// "TFLOPs: 149.77" (l=70, h=14336, padded V=250880, GeLU, checkpointing on).
TEST(ValidationMetricsTest, BloomFormulaReproducesThePrintedLogValue) {
  const double f = BloomFlops(2048, 2048, 70, 14336, 250880, /*glu=*/false, /*checkpoint=*/true);
  EXPECT_NEAR(f, 6.021189556492042e18, 1e9);
  EXPECT_NEAR(f / 104.70 / 384 / 1e12, 149.77, 0.02);
}

TEST(ValidationMetricsTest, BloomCoefficientsForGluAndNoCheckpointing) {
  // 32 * 3 * 8*1024*10*4096^2 * (1 + 1024/24576 + 32000/655360)
  EXPECT_NEAR(BloomFlops(8, 1024, 10, 4096, 32000, /*glu=*/true, /*checkpoint=*/false),
              143881404416000.0, 1.0);
  // GeLU + checkpointing is exactly Eq. 3 (24 * 4 = 96).
  EXPECT_DOUBLE_EQ(BloomFlops(512, 2048, 24, 2304, 51200, false, true),
                   MegatronEq3Flops(512, 2048, 24, 2304, 51200));
}

// GPT-NeoX-20B: B=1536, s=2048, l=44, h=6144, V=50432, checkpointing on.
// The vocabulary term is added outside the product, as in its logging.py.
TEST(ValidationMetricsTest, NeoxFormulaAddsVocabTermOutsideTheProduct) {
  EXPECT_NEAR(NeoxFlops(1536, 2048, 44, 6144, 50432, true), 5.2945443119274394e17, 1e7);
}

TrainCase ThroughputCase(ValidationMetric metric) {
  TrainCase c;
  c.id = "t";
  c.metric = metric;
  c.chips = 32;
  c.workload.global_batch = 512;
  c.workload.seq_len = 2048;
  c.plan.recompute = Recompute::kFull;
  return c;
}

Model Gpt1p7b() {
  Model m;
  m.layers = 24;
  m.hidden = 2304;
  m.vocab = 50000;  // deliberately not the FLOP-formula vocabulary
  m.activation = Activation::kGelu;
  return m;
}

TEST(ValidationMetricsTest, TflopsFromStepTime) {
  TrainCase c = ThroughputCase(ValidationMetric::kTflopsEq3);
  c.flops_vocab = 51200;
  TrainResult r;
  r.step_time_s = 3.5;
  // 1.5466830067924994e16 / 3.5 s / 32 GPUs = 138.097 TFLOP/s.
  Result<double> v = MetricFromTrainResult(c, Gpt1p7b(), r);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_NEAR(*v, 138.0967, 1e-3);
}

TEST(ValidationMetricsTest, FlopsVocabDefaultsToTheModelVocab) {
  TrainCase c = ThroughputCase(ValidationMetric::kTflopsEq3);
  EXPECT_DOUBLE_EQ(CaseStepFlops(c, Gpt1p7b()), MegatronEq3Flops(512, 2048, 24, 2304, 50000));
}

TEST(ValidationMetricsTest, BloomMetricUsesPlanRecomputeAsCheckpointFlag) {
  TrainCase c = ThroughputCase(ValidationMetric::kTflopsBloom);
  c.flops_vocab = 51200;
  c.plan.recompute = Recompute::kSelective;  // --checkpoint-activations off: factor 3
  EXPECT_DOUBLE_EQ(CaseStepFlops(c, Gpt1p7b()), 0.75 * MegatronEq3Flops(512, 2048, 24, 2304, 51200));
}

TEST(ValidationMetricsTest, TokensPerSecondPerChipFromStepTime) {
  TrainCase c = ThroughputCase(ValidationMetric::kTrainTokensPerSPerChip);
  TrainResult r;
  r.step_time_s = 4.0;
  // 512 sequences x 2,048 tokens = 1,048,576 tokens / 4 s / 32 chips = 8,192.
  Result<double> v = MetricFromTrainResult(c, Gpt1p7b(), r);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_DOUBLE_EQ(*v, 8192.0);
  // DeepSeek-V3's 180K H800 hours per trillion tokens: 1e12 / (180e3 x 3600) = 1,543.2 tokens/s per GPU;
  // a step of 15,360 x 4,096 tokens on 2,048 GPUs at that rate takes 19.906 s.
  c.chips = 2048;
  c.workload.global_batch = 15360;
  c.workload.seq_len = 4096;
  EXPECT_NEAR(TrainTokensPerSPerChip(c, 15360.0 * 4096 / 2048 / (1e12 / (180e3 * 3600))), 1543.2, 0.05);
  r.step_time_s = 0;
  EXPECT_FALSE(MetricFromTrainResult(c, Gpt1p7b(), r).ok());
}

TEST(ValidationMetricsTest, LayerTimeIsForwardPlusBackwardInMs) {
  TrainCase c;
  c.metric = ValidationMetric::kLayerFwdBwdMs;
  TrainResult r;
  r.layer_forward_s = 0.0077;
  r.layer_backward_s = 0.0119;
  Result<double> v = MetricFromTrainResult(c, Gpt1p7b(), r);
  ASSERT_TRUE(v.ok());
  EXPECT_NEAR(*v, 19.6, 1e-9);
}

TEST(ValidationMetricsTest, ZeroStepTimeIsAnErrorNotInfinity) {
  TrainCase c = ThroughputCase(ValidationMetric::kTflopsEq3);
  TrainResult r;  // step_time_s = 0
  EXPECT_FALSE(MetricFromTrainResult(c, Gpt1p7b(), r).ok());
  c.metric = ValidationMetric::kLayerFwdBwdMs;
  EXPECT_FALSE(MetricFromTrainResult(c, Gpt1p7b(), r).ok());
}

}  // namespace
}  // namespace xpusim
