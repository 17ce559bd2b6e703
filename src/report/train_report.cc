#include "report/train_report.h"

#include <fmt/format.h>

#include "report/format.h"
#include "report/table.h"

namespace xpusim::report {

std::string PlanToString(const ParallelPlan& p) {
  return fmt::format("tp{} pp{} dp{} ep{} cp{} vpp{} {} zero{} {} mb{} {}", p.tp, p.pp, p.dp, p.ep, p.cp,
                     p.vpp, p.sp && p.tp > 1 ? "sp" : "nosp", p.zero, RecomputeName(p.recompute),
                     p.micro_batch, ScheduleName(p.schedule));
}

std::string SeqWarning(const TrainEvaluator& ev) {
  const int64_t seq = ev.workload().seq_len, ctx = ev.model().max_seq;
  if (ctx <= 0 || seq <= ctx) return "";
  return fmt::format("seq {} is beyond the {}-token context of {} (max_seq): a context-extension run, timed as such",
                     FormatInt(seq), FormatInt(ctx), ev.model().id);
}

Json TrainResultToJson(const TrainEvaluator& ev, const TrainResult& r,
                       const std::optional<RunTotals>& totals) {
  const ParallelPlan& p = r.plan;
  Json j;
  j["model"] = ev.model().id;
  j["system"] = ev.system().id;
  j["chip"] = ev.chip().id;
  j["chips"] = ev.chips();
  j["seq_len"] = ev.workload().seq_len;
  j["precision"] = std::string(PrecisionName(ev.workload().precision));
  if (const std::string w = SeqWarning(ev); !w.empty()) j["warnings"] = Json::array({w});
  j["step_time_s"] = r.step_time_s;
  j["tokens_per_s"] = r.tokens_per_s;
  j["model_tflops_per_chip"] = r.model_tflops_per_chip;
  j["hardware_tflops_per_chip"] = r.hardware_tflops_per_chip;
  j["mfu"] = r.mfu;
  j["fits"] = r.fits;
  j["memory_per_chip_gb"] = r.memory_per_chip_gb;
  j["memory_capacity_gb"] = r.memory_capacity_gb;
  j["memory_breakdown_gb"] = {{"weights", r.memory.weights},
                              {"gradients", r.memory.gradients},
                              {"optimizer", r.memory.optimizer},
                              {"activations", r.memory.activations},
                              {"other", r.memory.other}};
  const TrainOptions& o = ev.options();
  // The formats the gradients and optimizer state are kept in (the flags of
  // a precision-aware optimizer; Megatron-Core names).
  j["state_formats"] = {{"main_grads_dtype", PrecisionName(o.main_grads_dtype)},
                        {"main_params_dtype", PrecisionName(o.main_params_dtype)},
                        {"exp_avg_dtype", PrecisionName(o.exp_avg_dtype)},
                        {"exp_avg_sq_dtype", PrecisionName(o.exp_avg_sq_dtype)}};
  const TimeBreakdownS& t = r.time;
  j["time_breakdown_s"] = {{"compute", t.compute},     {"tp_comm", t.tp_comm},
                           {"cp_comm", t.cp_comm},     {"pp_bubble", t.pp_bubble},
                           {"pp_comm", t.pp_comm},     {"dp_comm", t.dp_comm},
                           {"ep_comm", t.ep_comm},     {"optimizer", t.optimizer},
                           {"other", t.other}};
  j["parallel"] = {{"tp", p.tp},
                   {"pp", p.pp},
                   {"dp", p.dp},
                   {"ep", p.ep},
                   {"cp", p.cp},
                   {"vpp", p.vpp},
                   {"sp", p.sp && p.tp > 1},
                   {"zero", p.zero},
                   {"recompute", RecomputeName(p.recompute)},
                   {"micro_batch", p.micro_batch},
                   {"global_batch", ev.workload().global_batch},
                   {"num_micro_batches", r.num_micro_batches},
                   {"schedule", ScheduleName(p.schedule)}};
  // Unknown (no TDP, no price) is null, never a partial figure.
  auto power = [&](double v) { return r.power_known ? Json(v) : Json(nullptr); };
  j["power_w_per_chip"] = power(r.power_w_per_chip);
  j["cluster_power_kw"] = power(r.cluster_power_kw);
  j["energy_per_token_j"] = power(r.energy_per_token_j);
  j["model_flops_per_step"] = r.model_flops_per_step;
  j["hardware_flops_per_step"] = r.hardware_flops_per_step;
  if (totals) {
    j["train_days"] = totals->train_days;
    const bool cost = totals->cost_known();
    j["energy_mwh"] = power(totals->energy_mwh);
    j["cost_usd"] = cost ? Json(totals->cost_usd) : Json(nullptr);
    j["cost_breakdown_usd"] = {{"capex_share", cost ? Json(totals->capex_share_usd) : Json(nullptr)},
                               {"electricity", power(totals->electricity_usd)}};
  }
  return j;
}

std::string TrainResultToText(const TrainEvaluator& ev, const TrainResult& r,
                              const std::optional<RunTotals>& totals) {
  std::string out = fmt::format("{} on {} x {} ({}), seq {}, global batch {}, {}\n", ev.model().name,
                                FormatInt(ev.chips()), ev.chip().name, ev.system().id, ev.workload().seq_len,
                                FormatInt(ev.workload().global_batch), PrecisionName(ev.workload().precision));
  out += fmt::format("plan: {}  ({} micro-batches)\n", PlanToString(r.plan), FormatInt(r.num_micro_batches));
  if (const std::string w = SeqWarning(ev); !w.empty()) out += "note: " + w + "\n";
  out += "\n";

  Table head("Prediction");
  head.AddColumn("metric").AddColumn("value", "", Align::kRight).AddColumn("unit");
  auto row = [&](const std::string& k, const std::string& v, const std::string& u) {
    head.AddRow({Text(k), Cell{v, v, true}, Text(u)});
  };
  row("step time", FormatSig(r.step_time_s, 4), "s");
  row("throughput", FormatNumber(r.tokens_per_s, 0), "tokens/s");
  row("MFU", FormatNumber(100 * r.mfu, 1), "%");
  row("model TFLOP/s per chip", FormatNumber(r.model_tflops_per_chip, 1), "TFLOP/s");
  row("hardware TFLOP/s per chip", FormatNumber(r.hardware_tflops_per_chip, 1), "TFLOP/s");
  row("memory per chip", FormatNumber(r.memory_per_chip_gb, 1) + " / " + FormatNumber(r.memory_capacity_gb, 1),
      r.fits ? "GB (fits)" : "GB (DOES NOT FIT)");
  const std::string no_tdp = fmt::format(" (no TDP for {} in the catalog)", ev.chip().id);
  auto power_row = [&](const std::string& k, const std::string& v, const std::string& u) {
    r.power_known ? row(k, v, u) : row(k, "unknown", u + no_tdp);
  };
  power_row("power per chip", FormatNumber(r.power_w_per_chip, 0), "W");
  power_row("cluster power (facility)", FormatNumber(r.cluster_power_kw, 0), "kW");
  power_row("energy per token", FormatSig(r.energy_per_token_j, 3), "J");
  if (totals) {
    row("time to train", FormatNumber(totals->train_days, 1), "days");
    power_row("energy", FormatNumber(totals->energy_mwh, 0), "MWh");
    if (totals->cost_known())
      row("cost (capex share + power)", FormatNumber(totals->cost_usd / 1e6, 2), "M USD");
    else
      row("cost (capex share + power)", "unknown",
          r.power_known ? fmt::format("M USD (no price for {} or {} in the catalog)", ev.chip().id, ev.system().id)
                        : "M USD" + no_tdp);
  }
  out += head.Render() + "\n";

  Table time("Time per step");
  time.AddColumn("part").AddColumn("time", "s").AddColumn("share", "%");
  const TimeBreakdownS& t = r.time;
  for (auto [name, v] : {std::pair{"compute (fwd+bwd+recompute)", t.compute}, {"TP comm (exposed)", t.tp_comm},
                         {"CP comm (exposed)", t.cp_comm}, {"EP all-to-all (exposed)", t.ep_comm},
                         {"PP bubble", t.pp_bubble}, {"PP send/recv", t.pp_comm},
                         {"DP grad sync (exposed)", t.dp_comm}, {"optimizer", t.optimizer},
                         {"other (overlap contention)", t.other}}) {
    time.AddRow({Text(name), Sig(v, 4), Num(100 * v / r.step_time_s, 1)});
  }
  out += time.Render() + "\n";

  Table mem("Memory per chip (busiest pipeline stage)");
  mem.AddColumn("part").AddColumn("memory", "GB");
  const MemoryBreakdownGb& m = r.memory;
  for (auto [name, v] : {std::pair{"weights", m.weights}, {"gradients", m.gradients}, {"optimizer states", m.optimizer},
                         {"activations", m.activations}, {"other (temporaries, runtime, fragmentation)", m.other}}) {
    mem.AddRow({Text(name), Num(v, 2)});
  }
  mem.AddRow({Text("total"), Num(m.total(), 2)});
  const TrainOptions& o = ev.options();
  mem.AddNote(fmt::format("gradients {}, master weights {}, Adam moments {} / {}", PrecisionName(o.main_grads_dtype),
                          PrecisionName(o.main_params_dtype), PrecisionName(o.exp_avg_dtype),
                          PrecisionName(o.exp_avg_sq_dtype)));
  out += mem.Render();
  return out;
}

}  // namespace xpusim::report
