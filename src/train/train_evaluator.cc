// TrainEvaluator: assembles a training step from operators, collectives,
// the pipeline schedule, memory and power. See include/xpusim/train.h.
#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "cost/chip_cost.h"
#include "cost/collective.h"
#include "energy/cost.h"
#include "energy/power.h"
#include "train/memory.h"
#include "train/optimizer_state.h"
#include "train/pipeline.h"
#include "train/plan_check.h"
#include "workload/layer_ops.h"
#include "xpusim/train.h"

namespace xpusim {

struct TrainEvaluator::State {
  Model model;
  System system;
  Chip chip;
  int64_t chips = 0;
  TrainWorkload workload;
  TrainOptions options;
  ChipCostModel cost;
  Topology topo;
  double sustained = 1.0;          // power-limited sustained / burst compute rate
  double model_flops_per_token = 0;  // forward, MFU basis
  double peak_flops = 0;           // dense peak of the training precision, FLOP/s
  double pue = 1.0;
  int moe_layers = 0;
  // Compute slowdown per second of hidden EP all-to-all: the system's
  // alltoall_compute_share, else kOverlapContention.
  double ep_contention = 0;
  PowerModel power{};         // chip power under the cap (energy/power.h)
  CostSettings cost_settings{}; // data/energy/costs.yaml + flags
  ClusterCapex capex{};       // prices of this cluster (energy/cost.h)
};

namespace {

// Compute slows by this fraction of the time a collective runs underneath
// it: NCCL/HCCL collectives occupy about 8-16 of a GPU's 108-132 SMs (one
// CTA per channel, NCCL_MIN/MAX_NCHANNELS) and share HBM bandwidth
// (estimate; Rashidi et al. 2021, "Enabling compute-communication overlap in
// distributed deep learning training platforms", measure 10-40% kernel
// slowdowns under overlap).
constexpr double kOverlapContention = 0.1;

// Time of one operator on one chip.
struct OpTime {
  double fwd = 0, bwd = 0, wgrad = 0;
  bool compute_bound = true;
};

// fp8 recipes run the linear layers in fp8 and keep the rest in 16 bits.
Precision GemmPrecision(const Op& op, Precision training) {
  if (training == Precision::kFp8) return op.low_precision ? Precision::kFp8 : Precision::kBf16;
  return training;
}

OpTime TimeOp(const ChipCostModel& cost, const Op& op, Precision training, double slow) {
  OpTime t;
  switch (op.kind) {
    case OpKind::kGemm: {
      const Precision p = GemmPrecision(op, training);
      const GemmShape& g = op.gemm;
      t.fwd = cost.GemmTimeS(g, p) * slow;
      // dgrad: dX[m,k] = dY[m,n] W^T; wgrad: dW[k,n] = X^T[k,m] dY[m,n].
      const double dgrad = cost.GemmTimeS(GemmShape{g.m, g.k, g.n, g.batch}, p) * slow;
      t.wgrad = cost.GemmTimeS(GemmShape{g.k, g.n, g.m, g.batch}, p) * slow;
      t.bwd = dgrad + t.wgrad;
      break;
    }
    case OpKind::kAttention:
      t.fwd = cost.AttentionForwardTimeS(op.attn, training == Precision::kFp16 ? Precision::kFp16 : Precision::kBf16) * slow;
      t.bwd = cost.AttentionBackwardTimeS(op.attn, training == Precision::kFp16 ? Precision::kFp16 : Precision::kBf16) * slow;
      break;
    case OpKind::kMemory:
      t.fwd = cost.MemoryBoundTimeS(op.bytes);
      t.bwd = 2 * t.fwd;  // gradients of norms/activations read and write about twice as much
      t.compute_bound = false;
      break;
  }
  return t;
}

// Operators the options' recompute modules rebuild in the backward
// (TrainOptions::recompute_norms / _mla_up / _moe_act).
bool RecomputedModule(const Op& op, const TrainOptions& o) {
  const std::string_view n = op.name;
  return (o.recompute_norms && (n == "attn_norm" || n == "mlp_norm")) ||
         (o.recompute_mla_up && (n == "q_up" || n == "kv_up")) || (o.recompute_moe_act && n == "expert_act");
}

// Bytes of one token's copy in an EP dispatch: FP8 with its tile scales when
// training in fp8 (DeepSeek-V3 report, Sec. 3.3.3: the activations before the
// MoE up-projections, and the gradients before the down-projections, are
// quantized to FP8 and then dispatched).
double DispatchBytesPerCopy(double hidden, Precision training, double activation_bytes) {
  return hidden * (training == Precision::kFp8 ? kFp8DispatchBytesPerValue : activation_bytes);
}

// One layer, one micro-batch, on one chip.
struct LayerTime {
  double compute_fwd = 0, compute_bwd = 0, recompute = 0, wgrad = 0;
  double memory_bound = 0;  // part of the compute times spent in memory-bound kernels
  double tp_comm = 0, cp_comm = 0, ep_comm = 0;  // exposed, fwd + bwd (+ recompute)
  double hidden_comm = 0;   // TP/CP communication time overlapped with compute
  double hidden_ep = 0;     // EP all-to-all time overlapped with compute
  double hw_flops = 0;      // incl. recompute
  // Counts one operator's forward and backward (no recompute).
  void Add(const OpTime& t, double forward_flops) {
    compute_fwd += t.fwd;
    compute_bwd += t.bwd;
    wgrad += t.wgrad;
    if (!t.compute_bound) memory_bound += t.fwd + t.bwd;
    hw_flops += 3 * forward_flops;
  }
};

}  // namespace

TrainEvaluator::TrainEvaluator(std::unique_ptr<State> s) : s_(std::move(s)) {}
TrainEvaluator::TrainEvaluator(const TrainEvaluator& o) : s_(std::make_unique<State>(*o.s_)) {}
TrainEvaluator& TrainEvaluator::operator=(const TrainEvaluator& o) {
  s_ = std::make_unique<State>(*o.s_);
  return *this;
}
TrainEvaluator::TrainEvaluator(TrainEvaluator&&) noexcept = default;
TrainEvaluator& TrainEvaluator::operator=(TrainEvaluator&&) noexcept = default;
TrainEvaluator::~TrainEvaluator() = default;

const Model& TrainEvaluator::model() const { return s_->model; }
const System& TrainEvaluator::system() const { return s_->system; }
const Chip& TrainEvaluator::chip() const { return s_->chip; }
bool TrainEvaluator::power_known() const { return s_->power.tdp_w() > 0; }
bool TrainEvaluator::price_known() const { return s_->capex.price_known; }
int64_t TrainEvaluator::chips() const { return s_->chips; }
const TrainWorkload& TrainEvaluator::workload() const { return s_->workload; }
const TrainOptions& TrainEvaluator::options() const { return s_->options; }

Result<TrainEvaluator> TrainEvaluator::Create(const Catalog& catalog, const Model& model,
                                              const System& system, int64_t chips,
                                              const TrainWorkload& workload,
                                              const TrainOptions& options) {
  const Chip& chip = catalog.ChipOf(system);
  if (chips < 1) return Status::Invalid("--chips must be >= 1");
  if (!std::isfinite(options.pue) || options.pue < 0 || (options.pue != 0 && (options.pue < 1 || options.pue > 3)))
    return Status::Invalid("--pue must be between 1.0 and 3.0");
  if (!std::isfinite(options.usd_per_kwh) || options.usd_per_kwh < 0 || options.usd_per_kwh > 10)
    return Status::Invalid("--usd-per-kwh must be between 0 and 10");
  if (!std::isfinite(options.amortization_years) || options.amortization_years <= 0 || options.amortization_years > 30)
    return Status::Invalid("--amortization-years must be in (0, 30]");
  XPU_RETURN_IF_ERROR(CheckStateDtypes(options));
  // FP8 training (Transformer Engine, DeepSeek's recipe) runs its GEMMs on
  // FP8 units; without them the GEMMs would run at the bf16 rate while the
  // activations were cached in fp8, a mix no framework trains with.
  if (workload.precision == Precision::kFp8 && !chip.tflops(Precision::kFp8).known())
    return Status::Invalid(fmt::format("chip '{}' has no fp8 throughput in the catalog (no FP8 units): fp8 training "
                                       "needs them; use --precision bf16",
                                       chip.id));
  const double peak = chip.EffectivePeakTflops(workload.precision);
  if (!(peak > 0))
    return Status::Invalid("chip '" + chip.id + "' has no known " + std::string(PrecisionName(workload.precision)) +
                           " or wider throughput to train with");
  XPU_ASSIGN_OR_RETURN(ChipCostModel cost,
                       ChipCostModel::Create(chip, catalog.data_dir() / "calibration"));
  auto s = std::make_unique<State>(
      State{model, system, chip, chips, workload, options, cost.WithKernelOverheadS(kStreamedKernelOverheadS)});
  s->topo = Topology::FromSystem(system);
  // The power model turns the cap (default: TDP) into the sustained clock;
  // at the TDP it reproduces the chip's measured/estimated sustained factor.
  XPU_ASSIGN_OR_RETURN(s->power, PowerModel::Create(chip, s->cost.SustainedComputeFactor(), options.power_cap_w));
  s->sustained = options.sustained_clocks ? s->power.compute_factor() : std::min(1.0, s->power.compute_factor() / s->cost.SustainedComputeFactor());
  // --burst-clocks runs compute at the burst clock (scaled by a cap's
  // throttling) and pays that clock's power, above the TDP.
  if (!options.sustained_clocks) s->power = s->power.AtClockRatio(kBurstClockRatio * s->sustained);
  if (!std::isfinite(options.utilization) || options.utilization < 0 || options.utilization > 1)
    return Status::Invalid("--utilization must be in (0, 1]");
  XPU_ASSIGN_OR_RETURN(CostData cost_data, DefaultCostData(Catalog::DefaultDataDir()));
  s->cost_settings = SettingsFrom(cost_data);
  s->cost_settings.amortization_years = options.amortization_years;
  s->cost_settings.usd_per_kwh = options.usd_per_kwh;
  if (options.utilization > 0) s->cost_settings.utilization = options.utilization;
  s->capex = ComputeClusterCapex(chip, system, static_cast<double>(chips), s->cost_settings);
  s->model_flops_per_token = ModelForwardFlopsPerToken(model, workload.seq_len);
  s->peak_flops = peak * 1e12;
  s->pue = options.pue > 0 ? options.pue : system.pue.or_else(1.0);
  s->moe_layers = model.is_moe() ? model.moe_layers() : 0;
  s->ep_contention = system.alltoall_compute_share.or_else(kOverlapContention);
  return TrainEvaluator(std::move(s));
}

Status TrainEvaluator::CheckPlan(const ParallelPlan& plan) const {
  return CheckParallelPlan(s_->model, s_->chips, s_->workload, plan);
}

Result<TrainResult> TrainEvaluator::Evaluate(const ParallelPlan& plan) const {
  XPU_RETURN_IF_ERROR(CheckPlan(plan));
  const State& st = *s_;
  const Model& m = st.model;
  const ParallelPlan& p = plan;
  const TrainWorkload& w = st.workload;
  const TrainOptions& o = st.options;
  const double slow = 1.0 / st.sustained;
  const bool sp = p.sp && p.tp > 1;

  ShardSpec spec;
  spec.tp = p.tp;
  spec.cp = p.cp;
  spec.ep = p.ep;
  spec.sp = sp;
  spec.micro_batch = p.micro_batch;
  spec.seq_len = w.seq_len;
  spec.flash_attention = o.flash_attention;
  const double tokens_gemm = static_cast<double>(p.micro_batch) * (w.seq_len / p.cp);
  const double act_bytes = tokens_gemm * m.hidden * spec.activation_bytes;  // one activation tensor

  // Process groups in Megatron rank order: tp, cp, (ep within dp x cp), dp, pp.
  const Topology& topo = st.topo;
  const GroupShape tp_g = ShapeGroup(topo, p.tp, 1);
  const GroupShape cp_g = ShapeGroup(topo, p.cp, p.tp);
  const GroupShape ep_g = ShapeGroup(topo, p.ep, p.tp);
  const GroupShape dp_g = ShapeGroup(topo, p.dp * p.cp, p.tp);
  const GroupShape edp_g = ShapeGroup(topo, std::max(1, p.dp * p.cp / p.ep), static_cast<int64_t>(p.tp) * p.ep);
  const bool pp_cross = static_cast<int64_t>(p.tp) * p.cp * p.dp >= topo.scaleup_domain;

  auto layer_time = [&](bool moe) {
    LayerTime lt;
    const OpList ops = BuildLayerOps(m, spec, moe);
    double gemm_fwd = 0, attn_fwd = 0, attn_bwd = 0;
    for (const Op& op : ops) {
      const OpTime t = TimeOp(st.cost, op, w.precision, slow);
      const double f = op.forward_flops();
      lt.Add(t, f);
      if (op.kind == OpKind::kGemm) gemm_fwd += t.fwd;
      if (op.attention_core) {
        attn_fwd += t.fwd;
        attn_bwd += t.bwd;
      }
      if (p.recompute == Recompute::kFull || (p.recompute == Recompute::kSelective && op.attention_core) ||
          RecomputedModule(op, o)) {
        lt.recompute += t.fwd;
        lt.hw_flops += f;
        if (!t.compute_bound) lt.memory_bound += t.fwd;
      }
    }
    // TP: with SP, 2 all-gathers + 2 reduce-scatters per layer forward (and
    // backward); without SP, 2 all-reduces. Full recompute repeats the forward ones.
    if (p.tp > 1) {
      const double fwd = sp ? 2 * (AllGatherS(topo, tp_g, act_bytes) + ReduceScatterS(topo, tp_g, act_bytes))
                            : 2 * AllReduceS(topo, tp_g, act_bytes);
      double comm = fwd * (p.recompute == Recompute::kFull ? 3 : 2);
      if (o.tp_comm_overlap) {
        const double shown = std::max(0.0, comm - 3 * gemm_fwd);
        lt.hidden_comm += comm - shown;
        comm = shown;
      }
      lt.tp_comm = comm;
    }
    // CP: ring attention passes K and V chunks (cp-1) times, hidden behind
    // the attention kernel; backward also returns dK, dV.
    if (p.cp > 1) {
      const double kv_dim = m.mla.enabled()
                                ? static_cast<double>(m.heads) / p.tp * (m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
                                : 2.0 * std::max(1, m.kv_heads / p.tp) * m.head_dim;
      const double chunk = tokens_gemm * kv_dim * spec.activation_bytes;
      const double step = P2PS(topo, cp_g.outer > 1, chunk);
      lt.cp_comm = std::max(0.0, (p.cp - 1) * step - attn_fwd) + std::max(0.0, 2 * (p.cp - 1) * step - attn_bwd);
      lt.hidden_comm += 3 * (p.cp - 1) * step - lt.cp_comm;
    }
    // EP: dispatch + combine forward; backward, the combine's gradient goes
    // out like a dispatch and the dispatch's comes back like a combine. The
    // kernels forward over scale-up (DeepEP normal kernels, DeepSeek-V3 Sec.
    // 3.2.2): a token crosses scale-out once per remote domain holding its
    // experts, at most the routing's domain limit. Combines stay bf16 (Sec. 3.3.3).
    if (moe && p.ep > 1) {
      const double tokens_local = sp ? tokens_gemm / p.tp : tokens_gemm;
      const int limit = m.moe.RoutingDomainLimit(ep_g.outer);
      auto a2a = [&](double bytes_per_copy) {
        return ForwardedAllToAllLimitedS(topo, ep_g, tokens_local, m.moe.top_k, m.moe.num_experts, limit,
                                         bytes_per_copy);
      };
      const double pass = a2a(DispatchBytesPerCopy(m.hidden, w.precision, spec.activation_bytes)) +
                          a2a(m.hidden * spec.activation_bytes);
      double comm = 2 * pass;
      if (p.recompute == Recompute::kFull) comm += pass;  // the recompute forward repeats both
      if (o.ep_overlap) {
        // DualPipe pairs one micro-batch's forward chunk with another's
        // backward chunk: each one's all-to-all runs under the other's
        // compute (recompute included), on the SMs the system sets aside.
        const double shown = std::max(0.0, comm - (lt.compute_fwd + lt.compute_bwd + lt.recompute));
        lt.hidden_ep += comm - shown;
        comm = shown;
      }
      lt.ep_comm = comm;
    }
    return lt;
  };

  // Layers of the busiest stage.
  // Uneven splits (126 layers over 16 stages) put ceil() layers in each of
  // the busiest rank's vpp chunks, as Megatron-Core and Llama 3's schedule allow.
  const int chunks = p.pp * p.vpp;
  const int layers_per_stage = p.vpp * ((m.layers + chunks - 1) / chunks);
  const int moe_per_stage = std::min(layers_per_stage, (st.moe_layers + p.pp - 1) / p.pp);
  const int dense_per_stage = layers_per_stage - moe_per_stage;
  const LayerTime dense_l = dense_per_stage > 0 ? layer_time(false) : LayerTime{};
  const LayerTime moe_l = moe_per_stage > 0 ? layer_time(true) : LayerTime{};

  // Embedding (first stage) and head (last stage); with pp = 1 one chip has both.
  auto ops_time = [&](const OpList& ops, LayerTime& lt) {
    for (const Op& op : ops) lt.Add(TimeOp(st.cost, op, w.precision, slow), op.forward_flops());
  };
  LayerTime head, embed;
  ops_time(BuildHeadOps(m, spec), head);
  ops_time(BuildEmbeddingOps(m, spec), embed);
  LayerTime ends = head;
  if (p.pp == 1) {
    ends.compute_fwd += embed.compute_fwd;
    ends.compute_bwd += embed.compute_bwd;
    ends.memory_bound += embed.memory_bound;
    ends.hw_flops += embed.hw_flops;
  }

  auto stage_sum = [&](auto field) {
    return dense_per_stage * field(dense_l) + moe_per_stage * field(moe_l) + field(ends);
  };
  const double c_fwd = stage_sum([](const LayerTime& l) { return l.compute_fwd; });
  const double c_bwd = stage_sum([](const LayerTime& l) { return l.compute_bwd + l.recompute; });
  const double c_wgrad = stage_sum([](const LayerTime& l) { return l.wgrad; });
  const double c_mem = stage_sum([](const LayerTime& l) { return l.memory_bound; });
  const double tp_c = stage_sum([](const LayerTime& l) { return l.tp_comm; });
  const double cp_c = stage_sum([](const LayerTime& l) { return l.cp_comm; });
  const double ep_c = stage_sum([](const LayerTime& l) { return l.ep_comm; });
  const double hw_flops_mb = stage_sum([](const LayerTime& l) { return l.hw_flops; });
  const double hidden_mb = stage_sum([](const LayerTime& l) { return l.hidden_comm; });
  const double hidden_ep_mb = stage_sum([](const LayerTime& l) { return l.hidden_ep; });
  const double comm_mb = tp_c + cp_c + ep_c;

  const int64_t m_mb = w.global_batch / (static_cast<int64_t>(p.dp) * p.micro_batch);
  StageTimes stage;
  stage.forward_s = c_fwd + comm_mb / 3;  // comm split roughly 1:2 between passes
  stage.backward_s = c_bwd + comm_mb * 2 / 3;
  stage.weight_grad_s = c_wgrad;
  const double bubble = PipelineBubbleS(p.schedule, p.pp, p.vpp, m_mb, stage);

  // PP: activations sent forward and gradients back at every stage boundary
  // (scatter-gather over tp when SP is on), on the critical path.
  double pp_comm = 0, pp_hidden = 0;
  if (p.pp > 1) {
    const double bytes = sp ? act_bytes / p.tp : act_bytes;
    const double per_mb = 2 * P2PS(topo, pp_cross, bytes);
    pp_comm = per_mb * static_cast<double>(m_mb * p.vpp + p.pp - 1);
    if (p.schedule == PipelineSchedule::kDualPipe) {
      // DualPipe sends one chunk's activations and gradients while its
      // paired chunk computes ("both all-to-all and PP communication can be
      // fully hidden", DeepSeek-V3 Sec. 3.2.1); the p-1 of the ramp stay exposed.
      pp_hidden = std::min(per_mb * static_cast<double>(m_mb * p.vpp), m_mb * (c_fwd + c_bwd));
      pp_comm -= pp_hidden;
    }
  }

  // DP: gradient reduction (and ZeRO parameter gathers) once per step.
  MemoryInputs mi;
  mi.model = &m;
  mi.plan = p;
  mi.seq_len = w.seq_len;
  mi.num_micro_batches = m_mb;
  mi.layers_per_stage = layers_per_stage;
  mi.moe_layers_per_stage = moe_per_stage;
  mi.flash_attention = o.flash_attention;
  mi.recipe = RecipeFrom(o, w.precision);
  mi.state = StateBytes(o);
  // The parameters the memory model holds on this chip (StageParamsPerChip:
  // the busiest stage's layers, its embedding or LM head, both when pp = 1
  // and untied, two stages under DualPipe) are the ones whose gradients are
  // reduced and whose optimizer step runs.
  const StageParams held = StageParamsPerChip(m, p, layers_per_stage, moe_per_stage);
  const double dense_params = held.dense;
  const double expert_params = held.expert;
  // Bucketed collectives hide behind the compute they overlap with; the
  // last bucket (1/layers of the traffic) always stays exposed.
  const int buckets = std::max(1, layers_per_stage);
  double dp_hidden = 0;  // per exposed() call; ZeRO-3 scales it by micro-batches below
  auto exposed = [&](double comm, double window) {
    if (comm <= 0) return 0.0;
    const double shown = o.dp_overlap ? std::max(comm - window, comm / buckets) : comm;
    dp_hidden += comm - shown;
    return shown;
  };
  double dp_comm = 0;
  {
    // Gradients are reduced in the format they are accumulated in
    // (main_grads_dtype: Megatron-Core reduces its grad buffer, fp32 under
    // grad_reduce_in_fp32; GradReduceBytesPerParam); parameters are gathered
    // in the weights' bf16.
    const double grad_bytes = GradReduceBytesPerParam(mi.state);
    double ar = 0, rs = 0, ag = 0;  // per step, dense + expert groups
    for (auto [g, params] : {std::pair{dp_g, dense_params}, {edp_g, expert_params}}) {
      if (g.size <= 1 || params <= 0) continue;
      ar += AllReduceS(topo, g, params * grad_bytes);
      rs += ReduceScatterS(topo, g, params * grad_bytes);
      ag += AllGatherS(topo, g, params * mi.state.weights);
    }
    if (p.zero == 0) {
      // All-reduce of the gradients during the last micro-batch's backward.
      dp_comm = exposed(ar, stage.backward_s);
    } else if (p.zero <= 2) {
      // Reduce-scatter during the last backward; the updated parameters are
      // gathered during the next step's first forward.
      dp_comm = exposed(rs, stage.backward_s) + exposed(ag, stage.forward_s);
    } else {
      // ZeRO-3/FSDP: parameters gathered for every micro-batch's forward and
      // backward, gradients reduce-scattered after every backward.
      dp_comm = static_cast<double>(m_mb) * (exposed(ag, stage.forward_s) + exposed(ag + rs, stage.backward_s));
      dp_hidden *= static_cast<double>(m_mb);
    }
  }

  // Optimizer: Adam reads grads, master, m, v and writes master, m, v and
  // the bf16 weights, in the formats kept (OptimizerStepBytesPerParam: 28
  // bytes by default), for every locally owned parameter. The step is a fused
  // element-wise kernel over flat buffers (Apex/Transformer Engine FusedAdam,
  // multi_tensor_apply; DeepSpeed's fused Adam): pure streaming, no reduction
  // along rows, so it runs at the element-wise rate (H100: 0.91 of peak
  // bandwidth measured on a large add) rather than the all-ops average (0.60).
  const double shard_dense = p.zero >= 1 ? static_cast<double>(p.dp) * p.cp : 1.0;
  const double shard_expert = p.zero >= 1 ? std::max(1.0, static_cast<double>(p.dp) * p.cp / p.ep) : 1.0;
  const double opt_params = dense_params / shard_dense + expert_params / shard_expert;
  const double optimizer =
      st.cost.MemoryBoundTimeS(OptimizerStepBytesPerParam(mi.state) * opt_params, MemoryOp::kElementwise);

  TrainResult r;
  r.plan = p;
  r.num_micro_batches = m_mb;
  r.time.compute = m_mb * (c_fwd + c_bwd);
  r.time.tp_comm = m_mb * tp_c;
  r.time.cp_comm = m_mb * cp_c;
  r.time.ep_comm = m_mb * ep_c;
  r.time.pp_bubble = bubble;
  r.time.pp_comm = pp_comm;
  r.time.dp_comm = dp_comm;
  r.time.optimizer = optimizer;
  // Overlap is not free: collectives run as kernels on some of the chip's
  // cores and share its memory bandwidth, slowing the compute they hide behind.
  // The EP kernels hold alltoall_compute_share of the cores while they run
  // (DeepSeek-V3: 20 of 132 SMs), so compute under them runs that much slower.
  // DualPipe's PP sends share those SMs.
  r.time.other =
      kOverlapContention * (m_mb * hidden_mb + dp_hidden) + st.ep_contention * (m_mb * hidden_ep_mb + pp_hidden);
  r.step_time_s = r.time.compute + r.time.tp_comm + r.time.cp_comm + r.time.ep_comm + bubble + pp_comm +
                  dp_comm + optimizer + r.time.other;

  const double tokens_per_step = static_cast<double>(w.global_batch) * w.seq_len;
  r.tokens_per_s = tokens_per_step / r.step_time_s;
  r.model_flops_per_step = 3.0 * st.model_flops_per_token * tokens_per_step;
  r.hardware_flops_per_step = hw_flops_mb * m_mb * static_cast<double>(st.chips) / 1.0;
  r.model_tflops_per_chip = r.model_flops_per_step / r.step_time_s / static_cast<double>(st.chips) / 1e12;
  r.hardware_tflops_per_chip = hw_flops_mb * m_mb / r.step_time_s / 1e12;
  r.mfu = r.model_flops_per_step / r.step_time_s / static_cast<double>(st.chips) / st.peak_flops;
  r.layer_forward_s = (dense_per_stage > 0 ? dense_l : moe_l).compute_fwd +
                      (dense_per_stage > 0 ? dense_l : moe_l).tp_comm / 3;
  {
    const LayerTime& l = dense_per_stage > 0 ? dense_l : moe_l;
    r.layer_backward_s = l.compute_bwd + l.recompute + (l.tp_comm + l.cp_comm + l.ep_comm) * 2 / 3;
    r.layer_forward_s = l.compute_fwd + (l.tp_comm + l.cp_comm + l.ep_comm) / 3;
  }

  r.memory = TrainingMemory(mi);
  r.memory_per_chip_gb = r.memory.total();
  r.memory_capacity_gb = st.chip.MemoryCapacityGB();
  r.fits = r.memory_per_chip_gb <= r.memory_capacity_gb;

  // Power from what the chip does over the step.
  Activity act;
  const double busy_memory = m_mb * c_mem + optimizer;
  act.memory = busy_memory / r.step_time_s;
  act.compute = std::max(0.0, r.time.compute - m_mb * c_mem) / r.step_time_s;
  act.comm = std::max(0.0, 1.0 - act.compute - act.memory);
  r.power_w_per_chip = st.power.ChipPowerW(act);
  r.power_known = power_known();
  const double nodes = std::ceil(static_cast<double>(st.chips) / st.system.chips_per_node);
  const double it_w = r.power_w_per_chip * st.chips + nodes * st.system.node_overhead_power_w.or_else(0);
  r.cluster_power_kw = it_w * st.pue / 1e3;
  r.energy_per_token_j = r.cluster_power_kw * 1e3 / r.tokens_per_s;
  return r;
}

RunTotals TrainEvaluator::Totals(const TrainResult& r, double tokens) const {
  const State& st = *s_;
  RunTotals t;
  const double seconds = tokens / r.tokens_per_s;
  const double hours = seconds / 3600;
  t.train_days = seconds / 86400;
  t.energy_mwh = r.cluster_power_kw * hours / 1e3;
  const HourlyCost h = Hourly(st.capex, st.cost_settings, r.cluster_power_kw);
  t.electricity_usd = h.electricity_usd * hours;
  t.hardware_capex_share_usd = h.hardware_usd * hours;
  t.network_capex_share_usd = h.network_usd * hours;
  t.facility_capex_share_usd = h.facility_usd * hours;
  t.capex_share_usd = h.capex_usd() * hours;
  t.cost_usd = t.capex_share_usd + t.electricity_usd;
  t.cluster_capex_usd = st.capex.hardware_usd + st.capex.network_usd;
  t.facility_capex_usd = st.capex.facility_usd;
  t.provisioned_it_mw = st.capex.provisioned_it_mw;
  t.usd_per_chip_hour = h.total_usd() / static_cast<double>(st.chips);
  t.usd_per_million_tokens = UsdPerMillionTokens(h.total_usd(), r.tokens_per_s);
  t.price_confidence = st.capex.price_confidence;
  t.power_known = r.power_known;
  t.price_known = st.capex.price_known;
  return t;
}

}  // namespace xpusim
