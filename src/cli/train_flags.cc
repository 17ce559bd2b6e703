#include "cli/train_flags.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <tuple>

#include <fmt/format.h>

#include "cli/validators.h"
#include "core/suggest.h"
#include "plan/search.h"
#include "train/optimizer_state.h"

namespace xpusim::cli {
namespace {

// --trials N: Monte Carlo runs of the run's failure process (percentiles of
// the train time, train_reliability.cc); 0 inside TrainFlags means "closed
// form only", so an explicit 0 must be refused, not read as "no trials".
CLI::Validator TrialsRange() {
  return CLI::Validator(
      [](std::string& in) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(in.c_str(), &end, 10);
        const bool whole = !in.empty() && end != nullptr && *end == '\0' && errno == 0;
        if (whole && v >= 1 && v <= 1'000'000) return "";
        return "the number of Monte Carlo runs, a whole number from 1 to 1000000 (got '" + in +
               "'); leave --trials out for the closed-form estimate alone";
      },
      "[1, 1000000]");
}

}  // namespace

void AddTrainFlags(CLI::App& app, TrainFlags& f) {
  app.add_option("--model", f.model, "Model id, HF config.json or model YAML")->required();
  app.add_option("--system", f.system, "System id or system YAML")->required();
  app.add_option("--chips", f.chips, "Number of chips");
  app.add_option("--tp", f.tp, "Tensor-parallel degree");
  app.add_option("--pp", f.pp, "Pipeline-parallel degree");
  app.add_option("--dp", f.dp, "Data-parallel degree (default: chips / (tp pp cp))");
  app.add_option("--ep", f.ep, "Expert-parallel degree (divides dp x cp)");
  app.add_option("--cp", f.cp, "Context-parallel degree");
  app.add_option("--vpp", f.vpp, "Virtual pipeline stages per rank (interleaved schedule)");
  app.add_option("--sp", f.sp, "Sequence parallelism: on|off (default on when tp > 1)");
  app.add_option("--zero", f.zero, "ZeRO stage 0|1|2|3 (default 1)");
  app.add_option("--recompute", f.recompute, "Activation recompute: none|selective|full (default selective)");
  app.add_option("--recompute-modules", f.recompute_modules,
                 "Also recompute, comma-separated: layernorm, mla_up_proj, moe_act (Megatron-Core names; "
                 "DeepSeek-V3 recomputes all three)");
  app.add_option("--attn-out-cache", f.attn_out_cache,
                 "Format of the attention output kept for the backward: bf16|e5m6 (default bf16; DeepSeek-V3 "
                 "keeps 12-bit E5M6)");
  app.add_option("--main-grads-dtype", f.main_grads_dtype,
                 "Gradients kept for accumulation over micro-batches: bf16|fp32 (default bf16, 2 bytes per "
                 "parameter; Megatron-Core's default and DeepSeek-V3's choice are fp32)");
  app.add_option("--main-params-dtype", f.main_params_dtype,
                 "Optimizer's master weights: fp32|fp16 (default fp32)");
  app.add_option("--exp-avg-dtype", f.exp_avg_dtype,
                 "Adam first moment: fp32|fp16|bf16|fp8 (default fp32; DeepSeek-V3 keeps bf16)");
  app.add_option("--exp-avg-sq-dtype", f.exp_avg_sq_dtype,
                 "Adam second moment: fp32|fp16|bf16|fp8 (default fp32; DeepSeek-V3 keeps bf16). These four are "
                 "Megatron-Core's precision-aware optimizer flags; they set memory, the optimizer step's traffic and, "
                 "for the gradients, the bytes the data-parallel reduction sends");
  app.add_option("--schedule", f.schedule, "Pipeline schedule: 1f1b|interleaved|zb|dualpipe");
  app.add_option("--micro-batch", f.micro_batch, "Sequences per micro-batch (default 1)");
  app.add_option("--global-batch", f.global_batch, "Sequences per optimizer step (default ~4M tokens)");
  app.add_option("--seq", f.seq, "Sequence length in tokens (default min(model max, 8192))");
  app.add_option("--precision", f.precision, "GEMM precision: bf16|fp16|fp8 (fp8: linear layers in fp8, the rest bf16)");
  // 0 means "no run length" in TrainFlags: an explicit --tokens 0 is refused.
  app.add_option("--tokens", f.tokens, "Training tokens, (0, 1e18]: adds days, MWh and cost (e.g. 15e12)")
      ->check(NumberIn(0, 1e18, true, "(0, 1e18]"));
  CLI::Option* search = app.add_flag("--search", f.search, "Search the best parallel plan");
  // Search-only flags would be silently ignored without --search: CLI11's
  // needs() makes that an error ("--top requires --search").
  app.add_option("--top", f.top, "With --search: how many plans to show")->needs(search);
  app.add_option("--objective", f.objective, "With --search: time|energy|cost")->needs(search);
  app.add_option("--max-memory-frac", f.max_memory_frac, "With --search: usable fraction of chip memory")->needs(search);
  app.add_option("--max-tp", f.max_tp, "With --search: largest tp to consider")->needs(search);
  CLI::Option* sweep =
      app.add_option("--chips-sweep", f.chips_sweep, "With --search: chip counts 512,1024 or 512:8192:x2 (scaling table)");
  app.add_flag("--weak-scaling", f.weak_scaling, "With --chips-sweep: grow the global batch with the chips")->needs(sweep);
  app.add_flag("--all-schedules", f.all_schedules, "With --search: also try zero-bubble and DualPipe")->needs(search);
  app.add_option("--threads", f.threads, "With --search: worker threads (default: all cores)")->needs(search);
  app.add_option("--dp-overlap", f.dp_overlap, "Overlap gradient reduction with backward: on|off");
  app.add_flag("--tp-comm-overlap", f.tp_comm_overlap, "Overlap TP collectives with GEMMs");
  app.add_flag("--ep-overlap", f.ep_overlap, "Hide EP all-to-all behind compute (DualPipe-like)");
  app.add_flag("--unfused-attention", f.unfused_attention,
               "Attention without a fused (flash) kernel: s^2 scores through memory, as before 2022");
  app.add_flag("--burst-clocks", f.burst_clocks, "Compute at the burst clock, past the power limit (draws more than the TDP)");
  // 0 means "unset" in the library options, so an explicit 0 must not pass:
  // CLI11's validators refuse it (and say the range) at parse time.
  app.add_option("--pue", f.pue, "Facility PUE (default: the system's)")->check(Pue());
  app.add_option("--usd-per-kwh", f.usd_per_kwh, "Electricity price (default 0.08)");
  app.add_option("--amortization-years", f.amortization_years, "Capex amortisation period (default 4)");
  app.add_flag("--reliability", f.reliability, "Add failures, checkpoints and goodput of the run (needs --tokens)");
  app.add_option("--trials", f.trials, "With --reliability: Monte Carlo trials (percentiles of the train time)")
      ->check(TrialsRange());
  app.add_option("--seed", f.seed, "With --trials: random seed (default 1)");
  // 0 means "from the system" in the reliability inputs: an explicit 0 is refused.
  app.add_option("--storage-gb-s", f.storage_gb_s, "With --reliability: aggregate checkpoint bandwidth, GB/s, (0, 1e9]")
      ->check(NumberIn(0, 1e9, true, "(0, 1e9] GB/s"));
  app.add_option("--power-cap-w", f.power_cap_w, "Board power cap per chip in W (default: TDP); lowers the compute clock")
      ->check(PositiveNumber());
  app.add_option("--utilization", f.utilization, "Share of cluster hours doing useful work, (0,1] (default 1; capex of idle hours is charged to the run)")
      ->check(Fraction());
  app.add_option("--plot", f.plot, "Write an SVG chart: the time and memory breakdown; with --search the Pareto chart (time vs energy vs cost) of the plans found");
  app.add_flag("--force", f.force, "Overwrite the --plot file if it exists");
}

namespace {

Result<bool> OnOff(const std::string& flag, const std::string& v) {
  const std::string l = ToLower(v);
  if (l == "on" || l == "true" || l == "1") return true;
  if (l == "off" || l == "false" || l == "0") return false;
  return Status::Invalid(fmt::format("--{} takes on or off (got '{}')", flag, v));
}

// "layernorm,mla_up_proj,moe_act" (any subset, any order) into the options.
Status ParseRecomputeModules(const std::string& list, TrainOptions* o) {
  static const std::vector<std::string> kNames = {"layernorm", "mla_up_proj", "moe_act"};
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string name = ToLower(list.substr(start, end - start));
    start = end + 1;
    if (name.empty()) continue;
    if (name == "layernorm") {
      o->recompute_norms = true;
    } else if (name == "mla_up_proj") {
      o->recompute_mla_up = true;
    } else if (name == "moe_act") {
      o->recompute_moe_act = true;
    } else {
      return Status::Invalid(fmt::format("--recompute-modules: unknown module '{}' (choose from layernorm, "
                                         "mla_up_proj, moe_act){}",
                                         name, DidYouMean(name, kNames)));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<TrainJob> ResolveTrainJob(const Catalog& catalog, const TrainFlags& f) {
  TrainJob job;
  XPU_ASSIGN_OR_RETURN(job.model, catalog.ResolveModel(f.model));
  XPU_ASSIGN_OR_RETURN(job.system, catalog.ResolveSystem(f.system));
  job.chips = f.chips;
  if (!f.chips_sweep.empty()) {
    if (!f.search) return Status::Invalid("--chips-sweep goes with --search");
    if (f.tokens > 0)
      return Status::Invalid("--tokens does not apply to --chips-sweep: the scaling table has no days, energy or cost; "
                             "give one --chips (with --search) for those");
    if (!f.plot.empty())
      return Status::Invalid("--plot does not apply to --chips-sweep: the scaling table has no chart; give one --chips "
                             "(with --search) for the Pareto chart, or drop --plot");
    XPU_ASSIGN_OR_RETURN(std::vector<int64_t> sweep, ParseChipSweep(f.chips_sweep));
    if (job.chips == 0) job.chips = sweep.front();
  }
  if (job.chips < 1)
    return Status::Invalid(fmt::format("--chips is required and must be >= 1 (got {}); or search a range with --search --chips-sweep 512:8192:x2", f.chips));
  XPU_ASSIGN_OR_RETURN(job.workload.precision,
                       ParsePrecisionAmong("--precision", f.precision,
                                           {Precision::kBf16, Precision::kFp16, Precision::kFp8}));
  job.workload.seq_len = f.seq ? *f.seq : std::min<int64_t>(job.model.max_seq > 0 ? job.model.max_seq : 4096, 8192);
  if (job.workload.seq_len < 1) return Status::Invalid(fmt::format("--seq must be >= 1 (got {})", job.workload.seq_len));
  if (f.global_batch) {
    job.workload.global_batch = *f.global_batch;
  } else {
    // About 4M tokens per step, a common choice for large runs.
    job.workload.global_batch = std::max<int64_t>(1, (4 << 20) / job.workload.seq_len);
  }
  if (job.workload.global_batch < 1)
    return Status::Invalid(fmt::format("--global-batch must be >= 1 (got {})", job.workload.global_batch));
  if (!std::isfinite(f.tokens) || f.tokens < 0 || f.tokens > 1e18)
    return Status::Invalid("--tokens must be a finite number in (0, 1e18]");
  TrainOptions& o = job.options;
  XPU_ASSIGN_OR_RETURN(o.dp_overlap, OnOff("dp-overlap", f.dp_overlap));
  o.tp_comm_overlap = f.tp_comm_overlap;
  o.ep_overlap = f.ep_overlap;
  o.sustained_clocks = !f.burst_clocks;
  o.flash_attention = !f.unfused_attention;
  XPU_RETURN_IF_ERROR(ParseRecomputeModules(f.recompute_modules, &o));
  for (auto [flag, value, choices, out] :
       {std::tuple{"--main-grads-dtype", &f.main_grads_dtype, &MainGradsDtypes(), &o.main_grads_dtype},
        {"--main-params-dtype", &f.main_params_dtype, &MainParamsDtypes(), &o.main_params_dtype},
        {"--exp-avg-dtype", &f.exp_avg_dtype, &MomentDtypes(), &o.exp_avg_dtype},
        {"--exp-avg-sq-dtype", &f.exp_avg_sq_dtype, &MomentDtypes(), &o.exp_avg_sq_dtype}}) {
    if (value->has_value()) {  // given, even empty: parsed (an empty value is an error)
      XPU_ASSIGN_OR_RETURN(*out, ParseStateDtype(flag, **value, *choices));
    }
  }
  if (f.attn_out_cache) {
    const std::string v = ToLower(*f.attn_out_cache);
    if (v == "bf16") {
      o.attn_out_bits = 16;
    } else if (v == "e5m6") {
      o.attn_out_bits = 12;
    } else {
      return Status::Invalid(fmt::format("--attn-out-cache must be bf16|e5m6 (got '{}'){}", *f.attn_out_cache,
                                         DidYouMean(v, std::vector<std::string>{"bf16", "e5m6"})));
    }
  }
  o.pue = f.pue;
  o.usd_per_kwh = f.usd_per_kwh;
  o.amortization_years = f.amortization_years;
  o.power_cap_w = f.power_cap_w;
  o.utilization = f.utilization;
  return job;
}

Result<ParallelPlan> PlanFromFlags(const TrainFlags& f, const TrainJob& job) {
  ParallelPlan p;
  p.tp = f.tp.value_or(1);
  p.pp = f.pp.value_or(1);
  p.cp = f.cp.value_or(1);
  p.ep = f.ep.value_or(1);
  p.vpp = f.vpp.value_or(1);
  p.zero = f.zero.value_or(1);
  p.micro_batch = f.micro_batch.value_or(1);
  for (auto [name, v] : {std::pair{"tp", p.tp}, {"pp", p.pp}, {"cp", p.cp}, {"ep", p.ep}, {"vpp", p.vpp},
                         {"micro-batch", p.micro_batch}}) {
    if (v < 1) return Status::Invalid(fmt::format("--{} must be >= 1 (got {})", name, v));
  }
  if (f.dp) {
    p.dp = *f.dp;
  } else {
    const int64_t denom = static_cast<int64_t>(p.tp) * p.pp * p.cp;
    if (job.chips % denom != 0)
      return Status::Invalid(fmt::format("tp x pp x cp = {} does not divide --chips {}; pick degrees whose product divides the chip count",
                                         denom, job.chips));
    p.dp = static_cast<int>(job.chips / denom);
  }
  p.sp = p.tp > 1;
  if (!f.sp.empty()) {
    XPU_ASSIGN_OR_RETURN(p.sp, OnOff("sp", f.sp));
  }
  if (!f.recompute.empty()) {
    XPU_ASSIGN_OR_RETURN(p.recompute, ParseRecompute(f.recompute));
  }
  if (!f.schedule.empty()) {
    XPU_ASSIGN_OR_RETURN(p.schedule, ParseSchedule(f.schedule));
  } else {
    p.schedule = p.vpp > 1 ? PipelineSchedule::kInterleaved : PipelineSchedule::k1F1B;
  }
  return p;
}

}  // namespace xpusim::cli
