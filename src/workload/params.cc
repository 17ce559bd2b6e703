// Parameter counts of a transformer from its architecture (include/xpusim/model.h).
//
// Counting rules, matching the Hugging Face / Megatron module layouts:
//  - Attention: q, k, v, o projections with GQA (k and v have kv_heads heads);
//    qkv_bias adds q/k/v biases (Qwen2); linear_bias adds q/k/v and o biases.
//  - MLA (DeepSeek-V2/V3): q_a_proj h x q_lora + q_a_layernorm + q_b_proj
//    q_lora x heads*(nope+rope) (or q_proj h x heads*(nope+rope) when
//    q_lora_rank == 0); kv_a_proj_with_mqa h x (kv_lora+rope) + kv_a_layernorm +
//    kv_b_proj kv_lora x heads*(nope+v); o_proj heads*v x h. Its two inner
//    norms are RMSNorms (weight only).
//  - MLP: SwiGLU has 3 matrices, GELU/ReLU 2; linear_bias adds a bias to each.
//  - MoE layer: routed experts + shared experts + router (h x experts, no bias).
//  - Norms: two per layer plus the final one; RMSNorm has a weight, LayerNorm a
//    weight and a bias.
//  - Embeddings: token table, plus the output head when untied, plus the
//    learned position table (max_seq x h) for GPT-style models.
// Not counted (all < 0.01% of the models in the catalog): Qwen3 q/k norms,
// DeepSeek-V3's router score-correction bias, Qwen2-MoE's shared-expert gate,
// BLOOM's embedding LayerNorm, and DeepSeek-V3's multi-token-prediction module
// (the published 671B is the main model without it).
#include <cstdint>

#include "xpusim/model.h"

namespace xpusim {
namespace {

int64_t NormParams(const Model& m, int64_t width) {
  return m.norm == NormKind::kLayerNorm ? 2 * width : width;
}

// One MLP of intermediate size `ffn`.
int64_t MlpParams(const Model& m, int64_t ffn) {
  const int64_t matrices = m.activation == Activation::kSwiGlu ? 3 : 2;
  int64_t p = matrices * m.hidden * ffn;
  if (m.linear_bias) p += (matrices - 1) * ffn + m.hidden;
  return p;
}

int64_t MlaParams(const Model& m) {
  const MlaConfig& a = m.mla;
  const int64_t h = m.hidden;
  const int64_t heads = m.heads;
  const int64_t q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  int64_t p = 0;
  if (a.q_lora_rank > 0) {
    p += h * a.q_lora_rank + a.q_lora_rank + int64_t{a.q_lora_rank} * heads * q_head;
  } else {
    p += h * heads * q_head;
  }
  p += h * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank;
  p += int64_t{a.kv_lora_rank} * heads * (a.qk_nope_head_dim + a.v_head_dim);
  p += heads * a.v_head_dim * h;
  return p;
}

// Routed + shared experts + router of one MoE layer.
int64_t MoeLayerMlpParams(const Model& m) {
  const MoeConfig& e = m.moe;
  return e.num_experts * MlpParams(m, e.expert_ffn_hidden) +
         e.shared_experts * MlpParams(m, e.shared_ffn_hidden) + m.hidden * e.num_experts;
}

}  // namespace

int Model::moe_layers() const {
  if (!moe.enabled()) return 0;
  const int sparse_span = layers - moe.first_dense_layers;
  if (sparse_span <= 0) return 0;
  // Of the layers after the leading dense ones, every layer_frequency-th is an
  // MoE layer (Qwen2-MoE's decoder_sparse_step convention: (i + 1) % n == 0).
  const int freq = moe.layer_frequency > 0 ? moe.layer_frequency : 1;
  return sparse_span / freq;
}

int64_t AttentionParams(const Model& m) {
  if (m.mla.enabled()) return MlaParams(m);
  const int64_t h = m.hidden;
  const int64_t q_width = int64_t{m.heads} * m.head_dim;
  const int64_t kv_width = int64_t{m.kv_heads} * m.head_dim;
  int64_t p = h * q_width + 2 * h * kv_width + q_width * h;
  if (m.qkv_bias || m.linear_bias) p += q_width + 2 * kv_width;
  if (m.linear_bias) p += h;
  return p;
}

int64_t EmbeddingParams(const Model& m) {
  int64_t p = m.vocab * m.hidden;
  if (!m.tied_embeddings) p += m.vocab * m.hidden;
  if (m.position == PositionKind::kLearned) p += int64_t{m.max_seq} * m.hidden;
  return p;
}

int64_t TotalParams(const Model& m) {
  const int64_t moe_layers = m.moe_layers();
  const int64_t dense_layers = m.layers - moe_layers;
  int64_t p = EmbeddingParams(m);
  p += int64_t{m.layers} * (AttentionParams(m) + 2 * NormParams(m, m.hidden));
  p += dense_layers * MlpParams(m, m.ffn_hidden);
  if (moe_layers > 0) p += moe_layers * MoeLayerMlpParams(m);
  p += NormParams(m, m.hidden);  // final norm
  return p;
}

int64_t ActiveParams(const Model& m) {
  const int64_t total = TotalParams(m);
  const int64_t moe_layers = m.moe_layers();
  if (moe_layers == 0) return total;
  const int64_t idle_experts = m.moe.num_experts - m.moe.top_k;
  return total - moe_layers * idle_experts * MlpParams(m, m.moe.expert_ffn_hidden);
}

}  // namespace xpusim
