// One engine iteration of a serving replica on one chip, from the same
// operators (workload/layer_ops) and cost model (cost/chip_cost) as training.
//
// Prefill: every layer's GEMMs over the new prompt tokens (compute-bound at
// large M), causal flash attention of those tokens over their context.
// Decode: the same GEMMs with M = sequences (x (1 + draft tokens)): at small
// M they stream the weights; attention reads each sequence's KV cache. MoE
// layers load only the experts the batch touches (infer/expert_load.h).
// Communication per layer: TP all-reduce (latency-bound at small batch),
// EP dispatch + combine all-to-all; PP sends activations between stages.
// With ep_overlap the EP layers run as two micro-batches whose compute and
// all-to-alls alternate (see AddLayer): the exposed EP time is what the
// shorter side of each phase cannot hide, plus the cost of running every
// kernel twice at half the rows.
//
// Thread-safety: StepModel is immutable after construction.
#ifndef XPUSIM_INFER_STEP_TIME_H_
#define XPUSIM_INFER_STEP_TIME_H_

#include <cstdint>
#include <vector>

#include "cost/chip_cost.h"
#include "cost/collective.h"
#include "infer/serve_memory.h"
#include "xpusim/model.h"
#include "xpusim/serve.h"

namespace xpusim {

// Work of one replica (one dp rank) in one iteration.
struct ReplicaBatch {
  int64_t prefill_tokens = 0;
  int64_t prefill_sequences = 0;
  double prefill_context = 0;
  int64_t decode_sequences = 0;
  double decode_kv_len = 0;
};

struct StepModel {
  const Model* model = nullptr;
  ServeLayout layout;
  Precision weights = Precision::kBf16;
  Precision kv = Precision::kBf16;
  const ChipCostModel* cost = nullptr;  // streamed-kernel overheads
  Topology topo;
  double slow = 1.0;           // 1 / sustained compute factor, for compute-bound kernels
  double attn_eff = 0.6;       // large-shape flash-attention efficiency (measured curve)
  double ridge_flops_per_byte = 300;  // peak / bandwidth of the weight precision
  bool ep_overlap = false;
  int draft_tokens = 0;
  // Busiest EP rank's routed load over the balanced-routing floor
  // (kRealRoutingSkew, or 1 for perfectly balanced routing).
  double routing_skew = 1.0;
  // Share of the compute units the high-throughput (prefill) all-to-all
  // kernels occupy while they run (System::alltoall_compute_share).
  double comm_compute_share = 0;

  // Per-chip time of one iteration of the replica: every sequence advances
  // one step. With pp > 1, one rotation of the pipeline (PipelineRotationS).
  StepBreakdown Time(const ReplicaBatch& b) const;

  // GEMM time of one layer over `tokens` rows per rank (the busiest EP rank
  // for the experts), by where it runs in the two-batch overlap schedule.
  struct LayerGemms {
    double attention_side = 0, shared = 0, experts = 0;
    double compute_bound = 0, memory_bytes = 0;
  };
  LayerGemms GemmsFor(int64_t tokens, bool moe) const;
  // The layer's memory-bound kernels (norms, activations, residuals) moving `bytes`.
  double MemoryOpsS(double bytes) const;

 private:
  double GemmS(const GemmShape& g, Precision p, double* compute_bound) const;
  StepBreakdown StageTime(const ReplicaBatch& b, const PipelineStage& stage) const;
  void AddLayer(const ReplicaBatch& b, bool moe, int count, StepBreakdown& out) const;
};

// Time for every one of `micro_batches` micro-batches to pass once through
// pipeline stages taking stage_s[i] each (one step of every sequence):
// the stages work on different micro-batches at once, so the slowest stage,
// running all micro-batches back to back, bounds it (micro_batches x max);
// and a micro-batch must traverse every stage, cross the pp - 1 links
// between them (hop_s each) and send its sampled tokens back to the first
// stage (return_s) before its next step (sum + hops). A closed cycle of
// micro-batches runs at the larger of the two. One stage: stage_s[0].
double PipelineRotationS(const std::vector<double>& stage_s, int64_t micro_batches, double hop_s, double return_s);

// Prompts a replica prefills in one iteration: as many of `prompt_tokens`
// each as fit the token budget `chunk_tokens` (at least one), per scheduled
// batch. With pp stages every micro-batch is a scheduled batch with its own
// budget (vLLM's max_num_batched_tokens per virtual engine or batch-queue
// entry, TensorRT-LLM's max_num_tokens per micro-batch), so an iteration of
// the pipeline carries up to pp budgets; at most `sequences` prompts.
int64_t PrefillSequencesPerIteration(int64_t chunk_tokens, int64_t prompt_tokens, int pp, int64_t sequences);

// Prompt tokens a prefill computes per sequence (the rest come from the
// prefix cache), at least one.
int64_t ComputedPromptTokens(int64_t input_len, double prefix_cache_hit);

// All-reduce inside one scale-up domain as inference runtimes do it for
// small messages: the best of ring, one-shot (every rank reads all peers:
// alpha + (n-1) S / B) and two-shot (reduce-scatter + all-gather:
// 2 alpha + 2 (n-1)/n S / B) (TensorRT-LLM custom all-reduce, vLLM custom AR).
double ServingAllReduceS(const Topology& t, const GroupShape& g, double bytes);

// How much more routed work the busiest EP rank carries with real routing and
// a redundant-expert load balancer (EPLB) than with perfectly balanced
// routing, beyond the statistical floor of BusiestRankLoadFactor. Calibrated
// on one measured pair: SGLang's DeepSeek-R1 prefill on 32 H100, 6,288 tokens/s
// per GPU with its default EPLB against 7,417 with perfect EPLB (1.180x;
// CloudMatrix384 paper, Table 2); this factor gives 1.18x in the model. Checked on the
// other pair of that table: CloudMatrix-Infer's own default/perfect EPLB ratio is 1.183x
// measured, 1.13x modelled.
inline constexpr double kRealRoutingSkew = 1.44;

// One MoE layer under two-batch overlap, from the per-micro-batch times of
// its attention-side compute, expert compute (routed + shared) and the
// dispatch and combine all-to-alls. The compute stream alternates between
// micro-batches A and B while the other one communicates:
//   attention(B) | dispatch(A);  experts(A) | dispatch(B);
//   experts(B) | combine(A);     attention(A, next layer) | combine(B)
// and each phase lasts as long as its longer side. While an all-to-all runs,
// compute keeps 1 - comm_compute_share of the chip (DeepEP's high-throughput
// kernels occupy SMs; its low-latency ones and Ascend's SDMA/AIV path do not).
double TwoBatchOverlapLayerS(double attention_side_s, double experts_s, double dispatch_s, double combine_s,
                             double comm_compute_share = 0);

}  // namespace xpusim

#endif  // XPUSIM_INFER_STEP_TIME_H_
