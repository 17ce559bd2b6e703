// Training-step prediction: the public API of the training model.
//
//   TrainSetup setup = ...;                // model, system, chips, workload, plan
//   XPU_ASSIGN_OR_RETURN(auto ev, TrainEvaluator::Create(catalog, model, system, options));
//   XPU_ASSIGN_OR_RETURN(TrainResult r, ev.Evaluate(plan));
//
// TrainEvaluator does the slow work once (cost model, topology); Evaluate is
// pure arithmetic (no allocation) so a search can call it millions of times,
// from several threads at once.
#ifndef XPUSIM_TRAIN_H_
#define XPUSIM_TRAIN_H_

#include <cstdint>
#include <memory>
#include <string>

#include "xpusim/catalog.h"
#include "xpusim/precision.h"
#include "xpusim/status.h"

namespace xpusim {

enum class Recompute { kNone, kSelective, kFull };
enum class PipelineSchedule { k1F1B, kInterleaved, kZeroBubble, kDualPipe };

const char* RecomputeName(Recompute r);
const char* ScheduleName(PipelineSchedule s);
Result<Recompute> ParseRecompute(std::string_view s);
Result<PipelineSchedule> ParseSchedule(std::string_view s);

// A parallel plan for one job. chips = tp * pp * dp * cp; EP divides dp * cp.
struct ParallelPlan {
  int tp = 1, pp = 1, dp = 1, ep = 1, cp = 1;
  int vpp = 1;                 // virtual pipeline stages per rank (interleaved)
  bool sp = true;              // sequence parallelism (only meaningful with tp > 1)
  int zero = 1;                // ZeRO stage 0..3 over the data-parallel group
  Recompute recompute = Recompute::kSelective;
  int micro_batch = 1;         // sequences per micro-batch
  PipelineSchedule schedule = PipelineSchedule::k1F1B;
};

// The job, independent of how it is parallelised.
struct TrainWorkload {
  int64_t global_batch = 0;    // sequences per optimizer step
  int64_t seq_len = 0;         // tokens per sequence
  Precision precision = Precision::kBf16;  // GEMM precision (bf16 | fp8)
};

// Modelling switches that describe the software stack, not the hardware.
struct TrainOptions {
  bool dp_overlap = true;       // gradient reduction overlapped with backward (bucketed)
  bool tp_comm_overlap = false; // TP collectives overlapped with GEMMs (TE userbuffers)
  bool ep_overlap = false;      // EP all-to-all hidden behind compute (DualPipe-like)
  bool sustained_clocks = true; // apply the chip's power-limited sustained/burst factor
  bool flash_attention = true;  // fused attention (no s^2 activations)
  // Modules recomputed in the backward on top of plan.recompute, as
  // Megatron-Core's --recompute-modules layernorm / mla_up_proj / moe_act and
  // DeepSeek-V3 (report, Sec. 3.2.3 and 3.3.4) do: their outputs are not kept.
  bool recompute_norms = false;    // RMSNorm/LayerNorm outputs, rebuilt from their inputs
  bool recompute_mla_up = false;   // MLA q, k, v, rebuilt from the latents by the up-projections
  bool recompute_moe_act = false;  // routed experts' SwiGLU output, rebuilt from its input
  // Bits per value of the attention output kept for the output projection's
  // backward: 16 (bf16), or 12 for DeepSeek-V3's E5M6 cache (report Sec. 3.3.4;
  // `--attn-out-cache e5m6`).
  int attn_out_bits = 16;
  // Formats of the training state, as Megatron-Core's precision-aware optimizer
  // names them (--main-grads-dtype, --main-params-dtype, --exp-avg-dtype,
  // --exp-avg-sq-dtype; src/train/optimizer_state.h). The defaults are ZeRO's
  // mixed-precision Adam: 2-byte gradients (Megatron-Core's own default is
  // fp32), fp32 master weights and moments: 2 + 2 + 12 = 16 bytes per parameter
  // with the bf16 weights. DeepSeek-V3 (Sec. 3.3.4): fp32 gradients and master
  // weights, bf16 moments.
  Precision main_grads_dtype = Precision::kBf16;   // gradients accumulated over micro-batches: bf16 | fp32
  Precision main_params_dtype = Precision::kFp32;  // optimizer's master weights: fp32 | fp16
  Precision exp_avg_dtype = Precision::kFp32;      // Adam first moment: fp32 | fp16 | bf16 | fp8
  Precision exp_avg_sq_dtype = Precision::kFp32;   // Adam second moment: fp32 | fp16 | bf16 | fp8
  double pue = 0;               // facility PUE override (0: the system's)
  double usd_per_kwh = 0.08;    // electricity price
  double amortization_years = 4;  // capex written off over this period
  double power_cap_w = 0;         // board power cap per chip (0: the TDP); lowers the compute clock
  double utilization = 0;         // share of hours doing useful work, (0, 1]; 0: data/energy/costs.yaml
};

struct MemoryBreakdownGb {
  double weights = 0, gradients = 0, optimizer = 0, activations = 0, other = 0;
  double total() const { return weights + gradients + optimizer + activations + other; }
};

struct TimeBreakdownS {
  double compute = 0;   // fwd+bwd(+recompute) operator time of one step, one chip, no comm
  double tp_comm = 0, cp_comm = 0, pp_bubble = 0, pp_comm = 0, dp_comm = 0, ep_comm = 0;
  double optimizer = 0, other = 0;
};

struct TrainResult {
  ParallelPlan plan;
  int64_t num_micro_batches = 0;
  double step_time_s = 0;
  double tokens_per_s = 0;
  double model_tflops_per_chip = 0;     // model FLOPs (no recompute) / step / chips
  double hardware_tflops_per_chip = 0;  // incl. recompute
  double mfu = 0;
  bool fits = false;
  double memory_per_chip_gb = 0;
  double memory_capacity_gb = 0;
  MemoryBreakdownGb memory;
  TimeBreakdownS time;                  // exposed times; they sum to step_time_s
  double power_w_per_chip = 0;
  double cluster_power_kw = 0;          // at the wall, incl. node overhead and PUE
  double energy_per_token_j = 0;
  bool power_known = false;             // the chip has a TDP; else power and energy are unknown, not 0
  double model_flops_per_step = 0;
  double hardware_flops_per_step = 0;
  // One representative transformer layer, one micro-batch, on one chip,
  // including its exposed TP/CP/EP communication (Korthikanti Table 4 style).
  double layer_forward_s = 0;
  double layer_backward_s = 0;  // incl. recompute
};

// Time, energy and cost of a whole run of `tokens` tokens.
struct RunTotals {
  double train_days = 0;
  double energy_mwh = 0;
  double cost_usd = 0;
  double capex_share_usd = 0;   // hardware + network + facility shares below
  double electricity_usd = 0;
  // Breakdown and context (src/energy/cost.h).
  double hardware_capex_share_usd = 0;  // chips/nodes at their catalog prices
  double network_capex_share_usd = 0;   // scale-out fabric (share of hardware capex)
  double facility_capex_share_usd = 0;  // data-centre build cost per MW of IT load
  double cluster_capex_usd = 0;         // purchase price: hardware + network
  double facility_capex_usd = 0;        // build cost of the provisioned IT power
  double provisioned_it_mw = 0;         // chips x TDP + nodes x node overhead
  double usd_per_chip_hour = 0;         // all-in (capex shares + electricity)
  double usd_per_million_tokens = 0;
  Confidence price_confidence = Confidence::kEstimate;  // of the hardware price used
  // Without a TDP the energy, without a node or chip price the hardware
  // share, is unknown: callers report unknown, not the partial figure.
  bool power_known = false;
  bool price_known = false;
  bool cost_known() const { return power_known && price_known; }
};

class TrainEvaluator {
 public:
  static Result<TrainEvaluator> Create(const Catalog& catalog, const Model& model,
                                       const System& system, int64_t chips,
                                       const TrainWorkload& workload,
                                       const TrainOptions& options = {});
  // Checks legality (divisibility, EP, head counts) and predicts one step.
  Result<TrainResult> Evaluate(const ParallelPlan& plan) const;
  // Legality only (cheap); the message says what is wrong and how to fix it.
  Status CheckPlan(const ParallelPlan& plan) const;
  RunTotals Totals(const TrainResult& r, double tokens) const;

  const Model& model() const;
  const System& system() const;
  const Chip& chip() const;
  int64_t chips() const;
  const TrainWorkload& workload() const;
  const TrainOptions& options() const;
  // What energy and cost need from the catalog: a TDP, and a node or chip price.
  bool power_known() const;
  bool price_known() const;

  struct State;
  TrainEvaluator(const TrainEvaluator&);
  TrainEvaluator& operator=(const TrainEvaluator&);
  TrainEvaluator(TrainEvaluator&&) noexcept;
  TrainEvaluator& operator=(TrainEvaluator&&) noexcept;
  ~TrainEvaluator();

 private:
  explicit TrainEvaluator(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

}  // namespace xpusim

#endif  // XPUSIM_TRAIN_H_
