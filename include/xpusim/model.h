// Immutable description of a transformer language model, from a catalog YAML
// file or a Hugging Face config.json.
#ifndef XPUSIM_MODEL_H_
#define XPUSIM_MODEL_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "xpusim/sourced.h"

namespace xpusim {

enum class Activation { kSwiGlu, kGelu };  // gated (3 matrices) or plain (2) MLP
enum class NormKind { kRmsNorm, kLayerNorm };
enum class PositionKind { kRope, kLearned, kAlibi };

// Mixture-of-experts layers (Mixtral, DeepSeek). num_experts == 0: dense model.
struct MoeConfig {
  int num_experts = 0;              // routed experts per MoE layer
  int top_k = 0;                    // routed experts per token
  int shared_experts = 0;           // always-active experts (DeepSeek)
  int64_t expert_ffn_hidden = 0;    // intermediate size of one routed expert
  int64_t shared_ffn_hidden = 0;    // intermediate size of one shared expert
  int first_dense_layers = 0;       // leading layers with a dense MLP
  int layer_frequency = 1;          // every n-th layer (after the dense ones) is MoE
  // Group-limited routing (DeepSeek-V2/V3 n_group / topk_group): the experts
  // form `expert_groups` equal groups and a token's top_k lie in at most
  // `groups_per_token` of them. 0: no limit. DeepSeek-V3 trains with one group
  // per node of its EP64 (8 nodes) and at most 4 nodes per token (report, Sec. 2.1.2).
  int expert_groups = 0;
  int groups_per_token = 0;
  bool enabled() const { return num_experts > 0; }
  // Scale-up domains a token's experts can span, with the experts laid out in
  // order over an EP group spanning `domains` domains (0: no limit). Whole
  // groups per domain: at most groups_per_token domains; a group spread over
  // k domains: k times that.
  int RoutingDomainLimit(int domains) const {
    if (expert_groups <= 0 || groups_per_token <= 0) return 0;
    const int domains_per_group = std::max(1, domains / expert_groups);
    return std::min(domains, groups_per_token * domains_per_group);
  }
};

// Multi-head latent attention (DeepSeek-V2/V3). kv_lora_rank == 0: not MLA.
struct MlaConfig {
  int q_lora_rank = 0;     // 0: plain query projection
  int kv_lora_rank = 0;
  int qk_nope_head_dim = 0;
  int qk_rope_head_dim = 0;
  int v_head_dim = 0;
  bool enabled() const { return kv_lora_rank > 0; }
};

struct Model {
  std::string id;
  std::string name;
  std::string family;  // llama, mistral, mixtral, qwen2, deepseek_v3, gpt2, gpt_neox, gpt
  std::vector<std::string> aliases;  // lowercase; catalog lookups accept them
  std::string file;

  int layers = 0;
  int64_t hidden = 0;
  int64_t ffn_hidden = 0;  // dense MLP intermediate size
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;        // usually hidden / heads
  int64_t vocab = 0;
  int max_seq = 0;
  Activation activation = Activation::kSwiGlu;
  NormKind norm = NormKind::kRmsNorm;
  PositionKind position = PositionKind::kRope;
  bool tied_embeddings = false;
  bool qkv_bias = false;
  bool linear_bias = false;  // biases on all linear layers (GPT-2/NeoX)
  MoeConfig moe;
  MlaConfig mla;

  // Published totals to check the computed counts against (NaN if none).
  SourcedValue published_params_b;
  SourcedValue published_active_params_b;
  std::vector<Source> sources;

  bool is_moe() const { return moe.enabled(); }
  // Layers whose MLP is an MoE block.
  int moe_layers() const;
};

// Parameter counts computed from the architecture.
int64_t TotalParams(const Model& m);
int64_t ActiveParams(const Model& m);  // per token (routed top-k + shared)
// Parameters of one transformer layer's attention block.
int64_t AttentionParams(const Model& m);
int64_t EmbeddingParams(const Model& m);  // input + (untied) output embedding

}  // namespace xpusim

#endif  // XPUSIM_MODEL_H_
