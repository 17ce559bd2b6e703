#include "infer/serve_memory.h"

#include <vector>

#include <gtest/gtest.h>

#include "support/test_catalog.h"
#include "xpusim/catalog.h"

namespace xpusim {
namespace {

const Catalog& Cat() { return test_support::TestCatalog(); }

TEST(ServeMemoryTest, GqaKvBytesByHand) {
  const Model& m = **Cat().FindModel("llama3-70b");  // 80 layers, 8 KV heads of 128
  // 2 (K, V) x 8 heads x 128 dims x 2 bytes = 4096 bytes per token per layer.
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 1, 2), 2.0 * 8 * 128 * 2);
  EXPECT_DOUBLE_EQ(KvBytesPerTokenModel(m, 2), 80.0 * 2 * 8 * 128 * 2);  // 327,680
  // tp 8: one KV head per rank; tp 16: still one (replicated), not half.
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 8, 2), 2.0 * 1 * 128 * 2);
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 16, 2), 2.0 * 1 * 128 * 2);
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 8, 1), 2.0 * 1 * 128 * 1);  // fp8 KV
}

TEST(ServeMemoryTest, MlaKvBytesByHand) {
  const Model& m = **Cat().FindModel("deepseek-v3");  // kv_lora 512 + rope 64, 61 layers
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 1, 2), (512.0 + 64) * 2);   // 1,152, not 128 heads x 192 x 2
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m, 8, 2), (512.0 + 64) * 2);   // the latent is whole on every tp rank
  EXPECT_DOUBLE_EQ(KvBytesPerTokenModel(m, 2), 61.0 * 576 * 2);        // 70,272 bytes
}

TEST(ServeMemoryTest, Llama70bOn8H100Capacity) {
  const Model& m = **Cat().FindModel("llama3-70b");
  ServeMemoryInputs in;
  in.model = &m;
  in.layout.tp = 8;
  in.weight_bytes = 2;
  in.kv_bytes = 2;
  in.capacity_gb = 80;
  in.usable_fraction = 0.95;
  const ServeMemoryPlan p = PlanServeMemory(in);
  // Weights: all parameters in bf16 over 8 ranks (norms are replicated: tiny).
  EXPECT_NEAR(p.weights_gb, TotalParams(m) * 2.0 / 8 / 1e9, 0.05);
  EXPECT_DOUBLE_EQ(p.kv_bytes_per_token, 80.0 * 2 * 1 * 128 * 2);  // 40,960 bytes per chip
  EXPECT_NEAR(p.kv_budget_gb, 80 * 0.95 - p.weights_gb - p.activations_gb - p.reserve_gb, 1e-9);
  // About 55 GB free per chip -> ~1.3M tokens of KV for the TP group.
  EXPECT_GT(p.kv_budget_gb, 50);
  EXPECT_LT(p.kv_budget_gb, 58);
}

TEST(ServeMemoryTest, ExpertsPerRankRoundUp) {
  const Model& m = **Cat().FindModel("deepseek-v3");
  EXPECT_EQ(LocalExperts(m, 32), 8);
  EXPECT_EQ(LocalExperts(m, 144), 2);  // DeepSeek decode EP144: 2 routed experts per GPU
}

TEST(ServeMemoryTest, PipelineStagesSplitLayersAsTensorRtLlm) {
  const Model& m = **Cat().FindModel("deepseek-v3");  // 61 layers: 3 dense, then 58 MoE
  // pp 2: 61 = 2 x 30 + 1, the first stage gets the extra layer:
  // layers 0-30 (3 dense + 28 MoE, embedding) and 31-60 (30 MoE, head).
  std::vector<PipelineStage> s = PipelineStages(m, 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].dense, 3);
  EXPECT_EQ(s[0].moe, 28);
  EXPECT_TRUE(s[0].first);
  EXPECT_FALSE(s[0].last);
  EXPECT_EQ(s[1].dense, 0);
  EXPECT_EQ(s[1].moe, 30);
  EXPECT_TRUE(s[1].last);
  // pp 16: 61 = 16 x 3 + 13: stages 0-12 hold 4 layers, 13-15 hold 3.
  // Stage 0 = layers 0-3 = 3 dense + 1 MoE; the busiest are 4 MoE, not 3 dense + 1.
  s = PipelineStages(m, 16);
  ASSERT_EQ(s.size(), 16u);
  EXPECT_EQ(s[0].dense, 3);
  EXPECT_EQ(s[0].moe, 1);
  for (int i = 1; i <= 12; ++i) EXPECT_EQ(s[i].moe, 4) << i;
  for (int i = 13; i <= 15; ++i) EXPECT_EQ(s[i].moe, 3) << i;
  EXPECT_TRUE(s[15].last);
  // pp 1: one stage with everything.
  s = PipelineStages(m, 1);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].dense, 3);
  EXPECT_EQ(s[0].moe, 58);
  EXPECT_TRUE(s[0].first && s[0].last);
}

// A small MoE model whose parameters are easy to count by hand.
Model TinyMoe() {
  Model m;
  m.id = "tiny-moe";
  m.layers = 6;
  m.hidden = 1000;
  m.ffn_hidden = 3000;
  m.heads = m.kv_heads = 10;
  m.head_dim = 100;
  m.vocab = 10000;
  m.activation = Activation::kSwiGlu;
  m.moe.num_experts = 8;
  m.moe.top_k = 2;
  m.moe.expert_ffn_hidden = 500;
  m.moe.first_dense_layers = 2;
  return m;
}

TEST(ServeMemoryTest, BusiestPipelineStageBoundsTheKv) {
  const Model m = TinyMoe();
  ServeMemoryInputs in;
  in.model = &m;
  in.layout = ServeLayout{.tp = 1, .pp = 2, .dp = 1, .ep = 1};
  in.weight_bytes = 2;
  in.kv_bytes = 2;
  in.workspace_tokens = 0;  // no activations, to count weights and KV alone
  in.capacity_gb = 4;
  in.usable_fraction = 1;
  // By hand (bf16, tp 1, ep 1):
  //   attention 4 x 1000 x 1000 = 4,000,000; two norms 2,000
  //   dense layer: + SwiGLU 3 x 1000 x 3000 = 9,000,000        -> 13,002,000
  //   MoE layer:   + router 1000 x 8 + 8 experts x 3 x 1000 x 500 -> 4,002,000 + 8,000 + 12,000,000 = 16,010,000
  //   embedding (and untied head) 10,000 x 1000 = 10,000,000
  // pp 2 splits 6 layers 3 + 3: stage 0 = 2 dense + 1 MoE + embedding =
  // 52,014,000; stage 1 = 3 MoE + head = 58,030,000 params = 0.11606 GB.
  // Both hold 3 layers of KV (2 x 10 heads x 100 x 2 B = 4,000 B each):
  // 12,000 B per token, so the heavier stage 1 leaves less room and binds:
  // 4 - 0.11606 - 1.5 reserve = 2.38394 GB for KV.
  // (Rounding each up, 3 layers of which ceil(4 / 2) = 2 MoE, gave
  // 1 dense + 2 MoE + embedding = 55,022,000: 6 million too few.)
  const ServeMemoryPlan p = PlanServeMemory(in);
  EXPECT_NEAR(p.weights_gb, 0.11606, 1e-9);
  EXPECT_DOUBLE_EQ(p.kv_bytes_per_token, 12000);
  EXPECT_NEAR(p.kv_budget_gb, 2.38394, 1e-9);
}

TEST(ServeMemoryTest, LastStageHoldsTheHeadFirstTheEmbedding) {
  const Model& m = **Cat().FindModel("llama3-70b");
  ServeMemoryInputs in;
  in.model = &m;
  in.layout = ServeLayout{.tp = 1, .pp = 3, .dp = 1, .ep = 1};
  in.weight_bytes = 2;
  in.kv_bytes = 2;
  in.workspace_tokens = 0;
  in.capacity_gb = 80;
  in.usable_fraction = 1;
  // Llama-3-70B layer: attention 8192 x (8192 + 2 x 1024 + 8192) = 150,994,944,
  // norms 16,384, SwiGLU 3 x 8192 x 28,672 = 704,643,072 -> 855,654,400.
  // Embedding = head = 128,256 x 8192 = 1,050,673,152.
  // pp 3 splits 80 layers 27 + 27 + 26:
  //   stage 0: 27 layers + embedding = 24,153,341,952 params = 48.306683904 GB, KV 27 x 4096 B
  //   stage 1: 27 layers             = 23,102,668,800 params = 46.2053376 GB,  KV 27 x 4096 B
  //   stage 2: 26 layers + head      = 23,297,687,552 params = 46.595375104 GB, KV 26 x 4096 B
  // Room for KV tokens: (80 - 1.5 - weights) / KV: stage 0 = 30.193316096e9 / 110,592 = 273,015
  // (stage 1: 292,016; stage 2: 299,585): stage 0 binds.
  const ServeMemoryPlan p = PlanServeMemory(in);
  EXPECT_NEAR(p.weights_gb, 48.306683904, 1e-9);
  EXPECT_DOUBLE_EQ(p.kv_bytes_per_token, 27.0 * 4096);
}

}  // namespace
}  // namespace xpusim
