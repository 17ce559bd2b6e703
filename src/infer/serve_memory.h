// Serving memory per chip: quantised weights, KV cache per token, activation
// workspace, and the KV capacity that is left (DESIGN C4).
//
// KV bytes per token per layer:
//   standard / GQA attention: 2 (K and V) x kv_heads x head_dim x kv_bytes,
//     split over tp (a rank holds kv_heads / tp heads; below tp = kv_heads the
//     heads are replicated, one per rank);
//   MLA (DeepSeek-V2/V3): the compressed latent plus the decoupled RoPE key,
//     (kv_lora_rank + qk_rope_head_dim) x kv_bytes, held whole by every tp rank.
#ifndef XPUSIM_INFER_SERVE_MEMORY_H_
#define XPUSIM_INFER_SERVE_MEMORY_H_

#include <cstdint>

#include "xpusim/model.h"
#include "xpusim/serve.h"

namespace xpusim {

// KV bytes of one token in one layer on one tp rank.
double KvBytesPerTokenLayer(const Model& m, int tp, double kv_bytes);
// Whole model, one copy (tp = 1), all layers.
double KvBytesPerTokenModel(const Model& m, double kv_bytes);

// Layers of the busiest pipeline stage (ceil) and the MoE layers among them.
int LayersPerStage(const Model& m, int pp);
int MoeLayersPerStage(const Model& m, int pp);

// Routed experts one EP rank holds: ceil(E / ep) (a remainder is filled
// with redundant copies, as DeepSeek's EP144 with 2 experts per GPU).
int LocalExperts(const Model& m, int ep);

struct ServeMemoryInputs {
  const Model* model = nullptr;
  ServeLayout layout;
  double weight_bytes = 2;        // per linear-layer weight
  double kv_bytes = 2;            // per KV element
  int64_t workspace_tokens = 8192;  // largest prefill iteration (activations)
  double capacity_gb = 0;         // HBM per chip
  double usable_fraction = 0.95;
};

struct ServeMemoryPlan {
  double weights_gb = 0;
  double activations_gb = 0;
  double reserve_gb = 0;
  double kv_budget_gb = 0;          // what is left for KV (may be negative)
  double kv_bytes_per_token = 0;    // this chip, all its layers
};

ServeMemoryPlan PlanServeMemory(const ServeMemoryInputs& in);

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_MEMORY_H_
