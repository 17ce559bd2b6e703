#include "workload/layer_ops.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

Model Llama8bLike() {
  Model m;
  m.id = "llama-like";
  m.layers = 32;
  m.hidden = 4096;
  m.ffn_hidden = 14336;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.vocab = 128256;
  m.activation = Activation::kSwiGlu;
  return m;
}

TEST(LayerOpsTest, SixNDForADenseModel) {
  const Model m = Llama8bLike();
  // At a 1-token context attention is negligible: forward = 2 x (matmul
  // params), so fwd+bwd = 6 N per token with N the non-embedding weights + LM head.
  const double h = 4096, f = 14336, kv = 8 * 128;
  const double per_layer = h * h /*q*/ + 2 * h * kv /*k,v*/ + h * h /*o*/ + 3 * h * f;
  const double n = 32 * per_layer + 128256 * h;
  // The one-token context still attends to itself: 4 d heads FLOPs per layer.
  const double attn = 32 * 4.0 * 128 * 32;
  EXPECT_NEAR(3 * ModelForwardFlopsPerToken(m, 1), 6 * n + 3 * attn, 1.0);
}

TEST(LayerOpsTest, CausalAttentionFlops) {
  const Model m = Llama8bLike();
  ShardSpec s;
  s.seq_len = 8192;
  const OpList ops = BuildLayerOps(m, s, false);
  double attn = 0;
  for (const Op& op : ops)
    if (op.kind == OpKind::kAttention) attn = op.forward_flops();
  // QK^T and PV: 2 x 2 d heads per (query, key) pair; the causal mask
  // keeps s (s + 1) / 2 of the s^2 pairs.
  EXPECT_NEAR(attn, 4.0 * 128 * 32 * (8192.0 * 8193 / 2), 1.0);
}

TEST(LayerOpsTest, TensorParallelShardsGemms) {
  const Model m = Llama8bLike();
  ShardSpec s1, s8;
  s1.seq_len = s8.seq_len = 4096;
  s8.tp = 8;
  EXPECT_NEAR(BuildLayerOps(m, s1, false).forward_flops() / BuildLayerOps(m, s8, false).forward_flops(), 8.0,
              1e-9);
}

}  // namespace
}  // namespace xpusim
