// ServeEvaluator: construction, legality, and the step-time API the
// request-level simulator calls. Evaluate() is in serve_evaluate.cc.
#include <algorithm>
#include <cmath>

#include "infer/serve_cost.h"
#include "infer/serve_state.h"

namespace xpusim {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

ServeEvaluator::ServeEvaluator(std::unique_ptr<State> s) : s_(std::move(s)) { s_->Repoint(); }
ServeEvaluator::ServeEvaluator(const ServeEvaluator& o) : s_(std::make_unique<State>(*o.s_)) { s_->Repoint(); }
ServeEvaluator& ServeEvaluator::operator=(const ServeEvaluator& o) {
  s_ = std::make_unique<State>(*o.s_);
  s_->Repoint();
  return *this;
}
ServeEvaluator::ServeEvaluator(ServeEvaluator&&) noexcept = default;
ServeEvaluator& ServeEvaluator::operator=(ServeEvaluator&&) noexcept = default;
ServeEvaluator::~ServeEvaluator() = default;

const Model& ServeEvaluator::model() const { return s_->model; }
const System& ServeEvaluator::system() const { return s_->system; }
const Chip& ServeEvaluator::chip() const { return s_->chip; }
int64_t ServeEvaluator::chips() const { return s_->chips; }
double ServeEvaluator::IdlePowerWPerChip() const { return s_->power.idle_w(); }
double ServeEvaluator::IdleClusterPowerKw() const {
  return ComputeServeEconomics(s_->power, s_->system, s_->chips, Activity{}, 0, s_->options, s_->cost_settings, s_->capex)
      .cluster_power_kw;
}
const ServeDeployment& ServeEvaluator::deployment() const { return s_->deployment; }
const ServeOptions& ServeEvaluator::options() const { return s_->options; }

Result<ServeEvaluator> ServeEvaluator::Create(const Catalog& catalog, const Model& model, const System& system,
                                              int64_t chips, const ServeDeployment& d, const ServeOptions& o) {
  XPU_RETURN_IF_ERROR(CheckServeLayout(model, system, chips, d.layout));
  XPU_RETURN_IF_ERROR(CheckServeOptions(o));
  const Chip& chip = catalog.ChipOf(system);
  if (!(chip.memory_gb.or_else(0) > 0))
    return Status::Invalid("chip '" + chip.id + "' has no memory_gb; serving needs the HBM capacity");
  XPU_ASSIGN_OR_RETURN(ChipCostModel cost, ChipCostModel::Create(chip, Catalog::DefaultDataDir() / "calibration"));
  auto s = std::make_unique<State>(State{model, system, chip, chips, d, o, cost.WithKernelOverheadS(kStreamedKernelOverheadS)});
  s->Repoint();
  XPU_ASSIGN_OR_RETURN(s->cost_settings, ServeCostSettings(o));
  s->capex = ServeCapex(chip, system, chips, s->cost_settings);
  StepModel& st = s->step;
  st.layout = d.layout;
  st.weights = d.weights;
  st.kv = d.kv;
  st.topo = Topology::FromSystem(system);
  st.slow = o.sustained_clocks ? 1.0 / s->cost.SustainedComputeFactor() : 1.0;
  XPU_ASSIGN_OR_RETURN(s->power, PowerModel::Create(chip, s->cost.SustainedComputeFactor()));
  if (!o.sustained_clocks) s->power = s->power.AtClockRatio(kBurstClockRatio);
  st.ep_overlap = o.ep_overlap;
  st.routing_skew = o.balanced_routing ? 1.0 : kRealRoutingSkew;
  st.comm_compute_share = system.alltoall_compute_share.or_else(0);
  st.draft_tokens = o.draft_tokens;
  st.ridge_flops_per_byte = s->cost.PeakTflops(d.weights) * 1e12 / (s->cost.MemoryBandwidthGBs() * 1e9);
  {
    // Flash-attention efficiency of a large, compute-bound shape from the
    // chip's attention curve: the rate decode attention reaches when the
    // KV read is not the limit (split-KV kernels fill the machine).
    AttentionShape ref;
    ref.batch = 4;
    ref.seq_q = ref.seq_kv = 4096;
    ref.heads = 32;
    ref.causal = false;
    const double t = s->cost.AttentionForwardTimeS(ref, Precision::kBf16);
    if (t > 0) st.attn_eff = std::clamp(ref.forward_flops() / (t * s->cost.PeakTflops(Precision::kBf16) * 1e12), 0.05, 1.0);
  }
  s->capacity_gb = chip.MemoryCapacityGB();
  ServeMemoryInputs mi;
  mi.model = &s->model;
  mi.layout = d.layout;
  mi.weight_bytes = PrecisionBytes(d.weights);
  mi.kv_bytes = PrecisionBytes(d.kv);
  mi.workspace_tokens = o.prefill_chunk_tokens;
  mi.capacity_gb = s->capacity_gb;
  mi.usable_fraction = o.usable_memory_fraction;
  s->memory = PlanServeMemory(mi);
  double accepted = 1, p = 1;
  for (int i = 0; i < o.draft_tokens; ++i) accepted += (p *= o.draft_acceptance);
  s->tokens_per_decode_step = accepted;
  return ServeEvaluator(std::move(s));
}

StepBreakdown ServeEvaluator::StepTime(const StepBatch& b) const {
  const int64_t dp = s_->deployment.layout.dp;
  ReplicaBatch r;
  if (b.prefill_tokens > 0) {
    const int64_t seqs = std::max<int64_t>(1, b.prefill_sequences);
    r.prefill_sequences = CeilDiv(seqs, dp);
    r.prefill_tokens = CeilDiv(b.prefill_tokens * r.prefill_sequences, seqs);
    r.prefill_context = std::max(0.0, b.prefill_context);
  }
  if (b.decode_sequences > 0) {
    r.decode_sequences = CeilDiv(b.decode_sequences, dp);
    r.decode_kv_len = std::max(1.0, b.decode_kv_len);
  }
  return s_->ReplicaStep(r);
}

double ServeEvaluator::PrefillTimeS(int64_t tokens, int64_t sequences, double context) const {
  StepBatch b;
  b.prefill_tokens = tokens;
  b.prefill_sequences = sequences;
  b.prefill_context = context;
  return StepTimeS(b);
}

double ServeEvaluator::DecodeStepTimeS(int64_t sequences, double kv_len) const {
  StepBatch b;
  b.decode_sequences = sequences;
  b.decode_kv_len = kv_len;
  return StepTimeS(b);
}

double ServeEvaluator::KvTransferTimeS(double tokens) const {
  // Every tp rank of every stage ships its share in parallel over its own NIC.
  const double bytes = tokens * s_->memory.kv_bytes_per_token;
  return P2PS(s_->step.topo, /*cross_domain=*/true, bytes);
}

double ServeEvaluator::KvBytesPerTokenPerChip() const { return s_->memory.kv_bytes_per_token; }
double ServeEvaluator::KvBytesPerToken() const {
  return KvBytesPerTokenModel(s_->model, PrecisionBytes(s_->deployment.kv));
}
int64_t ServeEvaluator::KvCapacityTokens() const {
  const double per_chip = s_->memory.kv_budget_gb * 1e9 / s_->memory.kv_bytes_per_token;
  if (!(per_chip > 0)) return 0;
  return static_cast<int64_t>(std::floor(per_chip)) * s_->deployment.layout.dp;
}
double ServeEvaluator::WeightBytesPerChip() const { return s_->memory.weights_gb * 1e9; }

}  // namespace xpusim
