#include "train/memory.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

// A GPT-style model: GELU MLP of 4h, MHA, LayerNorm, no biases.
Model Gpt(int layers, int64_t h, int heads) {
  Model m;
  m.id = "gpt-test";
  m.layers = layers;
  m.hidden = h;
  m.ffn_hidden = 4 * h;
  m.heads = heads;
  m.kv_heads = heads;
  m.head_dim = static_cast<int>(h / heads);
  m.vocab = 51200;
  m.max_seq = 2048;
  m.activation = Activation::kGelu;
  m.norm = NormKind::kRmsNorm;
  m.tied_embeddings = true;
  return m;
}

TEST(MemoryTest, ActivationsMatchKorthikantiWithoutDropoutMasks) {
  const Model m = Gpt(24, 2304, 24);
  const double h = 2304;
  ParallelPlan p;
  p.recompute = Recompute::kNone;
  p.sp = false;
  // Korthikanti et al. 2022 Eq. 1: 34 s b h per layer, of which 2 s b h are
  // dropout masks (modern LLMs train without dropout) -> 32 h per token.
  EXPECT_NEAR(ActivationBytesPerToken(m, p, false, true, 2048), 32 * h, 1e-6);
  // TP without SP: s b h (10 + 24/t) -> (8 + 24/t) h without the masks.
  p.tp = 8;
  EXPECT_NEAR(ActivationBytesPerToken(m, p, false, true, 2048), (8 + 24.0 / 8) * h, 1e-6);
  // TP + SP: 34 s b h / t -> 32 h / t.
  p.sp = true;
  EXPECT_NEAR(ActivationBytesPerToken(m, p, false, true, 2048), 32 * h / 8, 1e-6);
  // Full recompute keeps only the layer input: 2 s b h / t with SP.
  p.recompute = Recompute::kFull;
  EXPECT_NEAR(ActivationBytesPerToken(m, p, false, true, 2048), 2 * h / 8, 1e-6);
  // Without flash attention the 5 a s^2 b term returns: 5 a s / t per token.
  p.recompute = Recompute::kNone;
  EXPECT_NEAR(ActivationBytesPerToken(m, p, false, false, 2048), 32 * h / 8 + 5.0 * 24 * 2048 / 8, 1e-6);
}

TEST(MemoryTest, SixteenBytesPerParamAndZeroSharding) {
  const Model m = Gpt(4, 1024, 16);
  MemoryInputs in;
  in.model = &m;
  in.plan.zero = 0;
  in.seq_len = 2048;
  in.num_micro_batches = 1;
  in.layers_per_stage = 4;
  // Parameters: 4 layers x (4h^2 attention + 8h^2 MLP + 2h norms) + V h (tied).
  const double h = 1024;
  const double params = 4 * (12 * h * h + 2 * h) + 51200 * h;
  MemoryBreakdownGb mem = TrainingMemory(in);
  EXPECT_NEAR((mem.weights + mem.gradients + mem.optimizer) * 1e9, 16 * params, 1);
  EXPECT_NEAR(mem.weights * 1e9, 2 * params, 1);
  // ZeRO-1 over 8 ranks shards the 12 optimizer bytes; ZeRO-3 everything.
  in.plan.dp = 8;
  in.plan.zero = 1;
  mem = TrainingMemory(in);
  EXPECT_NEAR(mem.optimizer * 1e9, 12 * params / 8, 1);
  EXPECT_NEAR(mem.gradients * 1e9, 2 * params, 1);
  in.plan.zero = 3;
  mem = TrainingMemory(in);
  EXPECT_NEAR((mem.weights + mem.gradients + mem.optimizer) * 1e9, 16 * params / 8, 1);
}

TEST(MemoryTest, PipelineHoldsInFlightMicroBatches) {
  const Model m = Gpt(8, 1024, 16);
  MemoryInputs in;
  in.model = &m;
  in.plan.recompute = Recompute::kNone;
  in.seq_len = 2048;
  in.layers_per_stage = 2;
  in.plan.pp = 4;
  in.num_micro_batches = 16;
  const double one = TrainingMemory(in).activations;
  in.num_micro_batches = 1;  // only one micro-batch ever in flight
  EXPECT_NEAR(one / TrainingMemory(in).activations, 4.0, 1e-9);
}

}  // namespace
}  // namespace xpusim
