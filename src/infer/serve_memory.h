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
#include <vector>

#include "xpusim/model.h"
#include "xpusim/serve.h"

namespace xpusim {

// KV bytes of one token in one layer on one tp rank.
double KvBytesPerTokenLayer(const Model& m, int tp, double kv_bytes);
// Whole model, one copy (tp = 1), all layers.
double KvBytesPerTokenModel(const Model& m, double kv_bytes);

// One pipeline stage: a contiguous run of layers. The layers are split as
// TensorRT-LLM does (Mapping.pp_layers, torch.tensor_split): when pp does not
// divide them, the first layers % pp stages get one layer more. Which layers
// are MoE follows the model (leading dense layers, then every
// layer_frequency-th). The first stage holds the embedding, the last the
// output head (and any MTP draft blocks); with pp = 1 one stage holds both.
struct PipelineStage {
  int dense = 0, moe = 0;  // layers with a dense MLP / an MoE MLP
  bool first = false, last = false;
  int layers() const { return dense + moe; }
};
std::vector<PipelineStage> PipelineStages(const Model& m, int pp);

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

// Per chip of the stage that holds the fewest KV tokens (most weights for
// its KV per token); with pp = 1 the only one.
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
