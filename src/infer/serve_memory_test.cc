#include "infer/serve_memory.h"

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
  EXPECT_EQ(LayersPerStage(m, 4), 16);
}

}  // namespace
}  // namespace xpusim
