#include "infer/serve_memory.h"

#include <algorithm>
#include <optional>

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

std::vector<PipelineStage> PipelineStages(const Model& m, int pp) {
  pp = std::clamp(pp, 1, std::max(1, m.layers));
  const int base = m.layers / pp, extra = m.layers % pp;
  const int first_moe = m.is_moe() ? m.moe.first_dense_layers : m.layers;
  const int freq = m.is_moe() && m.moe.layer_frequency > 0 ? m.moe.layer_frequency : 1;
  std::vector<PipelineStage> stages(pp);
  int layer = 0;
  for (int s = 0; s < pp; ++s) {
    PipelineStage& st = stages[s];
    st.first = s == 0;
    st.last = s == pp - 1;
    for (int n = base + (s < extra ? 1 : 0); n > 0; --n, ++layer) {
      // Model::moe_layers: after the dense ones, layer i is MoE when (i - first + 1) % freq == 0.
      const bool moe = layer >= first_moe && (layer - first_moe + 1) % freq == 0;
      (moe ? st.moe : st.dense) += 1;
    }
  }
  return stages;
}

int LocalExperts(const Model& m, int ep) {
  if (!m.is_moe()) return 0;
  return (m.moe.num_experts + ep - 1) / ep;
}

ServeMemoryPlan PlanServeMemory(const ServeMemoryInputs& in) {
  const Model& m = *in.model;
  const ServeLayout& l = in.layout;
  // Activations of the largest iteration: residual stream, norms and the
  // attention/MLP intermediates of one layer at a time (bf16), plus fp32 logits.
  const double ffn = m.is_moe() ? std::max<double>(m.moe.expert_ffn_hidden * m.moe.top_k, m.ffn_hidden)
                                : static_cast<double>(m.ffn_hidden);
  const double per_token = 2.0 * (6.0 * m.hidden + 3.0 * ffn / l.tp);
  const double activations_gb = static_cast<double>(in.workspace_tokens) * per_token / kGb;
  const double embed = static_cast<double>(m.vocab) * m.hidden / l.tp;
  std::optional<ServeMemoryPlan> binding;
  for (const PipelineStage& st : PipelineStages(m, l.pp)) {
    ServeMemoryPlan p;
    // Weights: the stage's layers; the embedding on the first stage and the
    // output head on the last (one matrix for both when they are tied and on
    // one chip).
    double layer_params = st.dense * DenseLayerParamsPerChip(m, l.tp, false) +
                          st.moe * DenseLayerParamsPerChip(m, l.tp, true);
    if (st.moe > 0) layer_params += st.moe * LocalExperts(m, l.ep) * MlpParams(m, m.moe.expert_ffn_hidden) / l.tp;
    double ends = (st.first ? embed : 0) + (st.last ? embed : 0);
    if (st.first && st.last && m.tied_embeddings) ends = embed;
    p.weights_gb = (layer_params * in.weight_bytes + ends * kEmbeddingBytes) / kGb;
    p.activations_gb = activations_gb;
    p.reserve_gb = kRuntimeReserveGb;
    p.kv_bytes_per_token = KvBytesPerTokenLayer(m, l.tp, in.kv_bytes) * st.layers();
    p.kv_budget_gb = in.capacity_gb * in.usable_fraction - p.weights_gb - p.activations_gb - p.reserve_gb;
    // Every stage holds the KV of all the replica's sequences (for its
    // layers): the stage with the fewest tokens' room bounds the batch.
    auto room = [](const ServeMemoryPlan& x) { return x.kv_budget_gb / x.kv_bytes_per_token; };
    if (!binding || room(p) < room(*binding)) binding = p;
  }
  return *binding;
}

}  // namespace xpusim
