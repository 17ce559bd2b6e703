#include "infer/serve_memory.h"

#include <algorithm>

#include "train/memory.h"

namespace xpusim {
namespace {

constexpr double kGb = 1e9;
constexpr double kEmbeddingBytes = 2;  // embeddings and LM head stay 16-bit in quantised checkpoints

double MlpParams(const Model& m, int64_t ffn) {
  return (m.activation == Activation::kSwiGlu ? 3.0 : 2.0) * static_cast<double>(m.hidden) * ffn;
}

}  // namespace

double KvBytesPerTokenLayer(const Model& m, int tp, double kv_bytes) {
  if (m.mla.enabled()) return static_cast<double>(m.mla.kv_lora_rank + m.mla.qk_rope_head_dim) * kv_bytes;
  const double kv_local = m.kv_heads >= tp ? static_cast<double>(m.kv_heads) / tp : 1.0;
  return 2.0 * kv_local * m.head_dim * kv_bytes;
}

double KvBytesPerTokenModel(const Model& m, double kv_bytes) {
  return KvBytesPerTokenLayer(m, 1, kv_bytes) * m.layers;
}

int LayersPerStage(const Model& m, int pp) { return (m.layers + pp - 1) / pp; }

int MoeLayersPerStage(const Model& m, int pp) {
  if (!m.is_moe()) return 0;
  return std::min(LayersPerStage(m, pp), (m.moe_layers() + pp - 1) / pp);
}

int LocalExperts(const Model& m, int ep) {
  if (!m.is_moe()) return 0;
  return (m.moe.num_experts + ep - 1) / ep;
}

ServeMemoryPlan PlanServeMemory(const ServeMemoryInputs& in) {
  const Model& m = *in.model;
  const ServeLayout& l = in.layout;
  const int layers = LayersPerStage(m, l.pp);
  const int moe = MoeLayersPerStage(m, l.pp);
  ServeMemoryPlan p;
  // Weights: every layer of the busiest stage; the embedding and (untied) LM
  // head sit on the first and last stage, both on one chip when pp = 1.
  double layer_params = (layers - moe) * DenseLayerParamsPerChip(m, l.tp, false) +
                        moe * DenseLayerParamsPerChip(m, l.tp, true);
  if (moe > 0) layer_params += moe * LocalExperts(m, l.ep) * MlpParams(m, m.moe.expert_ffn_hidden) / l.tp;
  const double embed = static_cast<double>(m.vocab) * m.hidden / l.tp;
  const double ends = (l.pp == 1 && !m.tied_embeddings) ? 2 * embed : embed;
  p.weights_gb = (layer_params * in.weight_bytes + ends * kEmbeddingBytes) / kGb;
  // Activations of the largest iteration: residual stream, norms and the
  // attention/MLP intermediates of one layer at a time (bf16), plus fp32 logits.
  const double ffn = m.is_moe() ? std::max<double>(m.moe.expert_ffn_hidden * m.moe.top_k, m.ffn_hidden)
                                : static_cast<double>(m.ffn_hidden);
  const double per_token = 2.0 * (6.0 * m.hidden + 3.0 * ffn / l.tp);
  p.activations_gb = static_cast<double>(in.workspace_tokens) * per_token / kGb;
  p.reserve_gb = kRuntimeReserveGb;
  p.kv_bytes_per_token = KvBytesPerTokenLayer(m, l.tp, in.kv_bytes) * layers;
  p.kv_budget_gb = in.capacity_gb * in.usable_fraction - p.weights_gb - p.activations_gb - p.reserve_gb;
  return p;
}

}  // namespace xpusim
