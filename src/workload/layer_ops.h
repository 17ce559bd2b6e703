// The operators of one transformer layer (and of the embedding / LM head)
// for one micro-batch on one chip, after sharding by TP (+SP), CP and EP.
//
// Shapes follow Megatron-Core: column-parallel QKV / up projections and
// row-parallel output / down projections split over tp; attention heads over
// tp; the sequence over cp (each rank attends its 1/cp of the queries to the
// whole causal context); routed experts over ep with expert tensor parallel
// = tp; the MLA down-projections are replicated across tp.
//
// Everything is fixed-size: building a layer allocates nothing.
#ifndef XPUSIM_WORKLOAD_LAYER_OPS_H_
#define XPUSIM_WORKLOAD_LAYER_OPS_H_

#include <array>
#include <cstdint>

#include "cost/chip_cost.h"
#include "xpusim/model.h"

namespace xpusim {

enum class OpKind : uint8_t { kGemm, kAttention, kMemory };

struct Op {
  const char* name = "";
  OpKind kind = OpKind::kMemory;
  bool low_precision = false;   // GEMM that runs in fp8 when training in fp8
  bool attention_core = false;  // recomputed under selective recompute
  GemmShape gemm;               // kGemm
  AttentionShape attn;          // kAttention
  double bytes = 0;             // kMemory: bytes read + written, forward
  double forward_flops() const;
};

struct OpList {
  static constexpr int kMax = 20;
  std::array<Op, kMax> ops;
  int count = 0;
  void Add(const Op& op) { ops[count++] = op; }
  const Op* begin() const { return ops.data(); }
  const Op* end() const { return ops.data() + count; }
  double forward_flops() const;
};

struct ShardSpec {
  int tp = 1;
  int cp = 1;
  int ep = 1;
  bool sp = false;         // sequence parallel: norms/residual work split over tp
  int64_t micro_batch = 1;  // sequences
  int64_t seq_len = 0;      // full sequence length (before cp)
  double activation_bytes = 2;  // bf16 activations
  // Fused (flash) attention; false: two batched GEMMs over the full s x s
  // scores plus a softmax kernel, as in Megatron-LM before 2022.
  bool flash_attention = true;
};

// One transformer layer; `moe` selects the MoE MLP (REQUIRES m.is_moe()).
OpList BuildLayerOps(const Model& m, const ShardSpec& s, bool moe);
// Input embedding lookup (first pipeline stage).
OpList BuildEmbeddingOps(const Model& m, const ShardSpec& s);
// Final norm, LM head and cross-entropy loss (last pipeline stage).
OpList BuildHeadOps(const Model& m, const ShardSpec& s);

// Forward FLOPs per token of the whole model, unsharded, causal attention
// over a sequence of `seq_len` (the MFU basis: multiply by 3 for fwd+bwd).
double ModelForwardFlopsPerToken(const Model& m, int64_t seq_len);

}  // namespace xpusim

#endif  // XPUSIM_WORKLOAD_LAYER_OPS_H_
