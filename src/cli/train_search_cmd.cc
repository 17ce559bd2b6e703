// `xpusim train --search`: the best parallel plan for the job (plan/search.h),
// printed as a top-k table, the best plan's full report and why the
// runner-up loses; `--json` gives the best plan's `train --json` object plus
// a "search" object. With --chips-sweep: one search per chip count and a
// strong/weak scaling table.
#include <unistd.h>

#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "cli/train_flags.h"
#include "core/suggest.h"
#include "plan/search.h"
#include "report/format.h"
#include "report/table.h"
#include "report/train_report.h"

namespace xpusim::cli {
namespace {

using report::Json;

// A one-line progress bar on stderr, drawn only on a terminal and only once
// the search has run for a second.
void DrawProgress(double fraction, double elapsed_s) {
  static bool drawn = false;
  if (!isatty(STDERR_FILENO)) return;
  if (fraction >= 1.0) {
    if (drawn) std::fprintf(stderr, "\r%60s\r", "");
    drawn = false;
    return;
  }
  if (elapsed_s < 1.0) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  std::fprintf(stderr, "\rsearching [%s] %3.0f%%  %.1f s", bar.c_str(), 100 * fraction, elapsed_s);
  std::fflush(stderr);
  drawn = true;
}

Result<bool> ParseOnOff(const std::string& v) {
  const std::string l = ToLower(v);
  if (l == "on" || l == "true" || l == "1") return true;
  if (l == "off" || l == "false" || l == "0") return false;
  return Status::Invalid(fmt::format("--sp takes on or off (got '{}')", v));
}

Result<SearchOptions> OptionsFromFlags(const TrainFlags& f) {
  SearchOptions o;
  XPU_ASSIGN_OR_RETURN(o.objective, ParseSearchObjective(f.objective));
  o.top_k = f.top;
  o.max_memory_frac = f.max_memory_frac;
  o.max_tp = f.max_tp.value_or(0);
  if (f.max_tp && *f.max_tp < 1) return Status::Invalid(fmt::format("--max-tp must be >= 1 (got {})", *f.max_tp));
  o.extra_schedules = f.all_schedules;
  if (f.threads < 0) return Status::Invalid(fmt::format("--threads must be >= 0 (got {})", f.threads));
  o.threads = f.threads;
  if (f.tokens > 0) o.cost_tokens = f.tokens;
  FixedPlanFields& x = o.fixed;
  x.tp = f.tp, x.pp = f.pp, x.dp = f.dp, x.ep = f.ep, x.cp = f.cp, x.vpp = f.vpp, x.zero = f.zero;
  x.micro_batch = f.micro_batch;
  for (auto [name, v] : {std::pair{"tp", f.tp}, {"pp", f.pp}, {"dp", f.dp}, {"ep", f.ep}, {"cp", f.cp},
                         {"vpp", f.vpp}, {"micro-batch", f.micro_batch}}) {
    if (v && *v < 1) return Status::Invalid(fmt::format("--{} must be >= 1 (got {})", name, *v));
  }
  if (f.zero && (*f.zero < 0 || *f.zero > 3))
    return Status::Invalid(fmt::format("--zero must be 0, 1, 2 or 3 (got {})", *f.zero));
  if (!f.sp.empty()) {
    XPU_ASSIGN_OR_RETURN(bool sp, ParseOnOff(f.sp));
    x.sp = sp;
  }
  if (!f.recompute.empty()) {
    XPU_ASSIGN_OR_RETURN(Recompute r, ParseRecompute(f.recompute));
    x.recompute = r;
  }
  if (!f.schedule.empty()) {
    XPU_ASSIGN_OR_RETURN(PipelineSchedule s, ParseSchedule(f.schedule));
    x.schedule = s;
  }
  o.progress = DrawProgress;
  return o;
}

std::string CountsLine(const SearchResult& s) {
  return fmt::format("enumerated {}, pruned {}, out of memory {}, evaluated {} in {:.3f} s ({} threads)",
                     report::FormatInt(s.counts.enumerated), report::FormatInt(s.counts.pruned),
                     report::FormatInt(s.counts.oom), report::FormatInt(s.counts.evaluated), s.seconds, s.threads);
}

Json SearchJson(const SearchResult& s, const SearchOptions& o) {
  Json top = Json::array();
  for (const RankedPlan& rp : s.top) {
    const TrainResult& r = rp.result;
    const ParallelPlan& p = r.plan;
    top.push_back({{"tp", p.tp}, {"pp", p.pp}, {"dp", p.dp}, {"ep", p.ep}, {"cp", p.cp}, {"vpp", p.vpp},
                   {"sp", p.sp && p.tp > 1}, {"zero", p.zero}, {"recompute", RecomputeName(p.recompute)},
                   {"micro_batch", p.micro_batch}, {"schedule", ScheduleName(p.schedule)},
                   {"num_micro_batches", r.num_micro_batches}, {"step_time_s", r.step_time_s}, {"mfu", r.mfu},
                   {"memory_per_chip_gb", r.memory_per_chip_gb}, {"tokens_per_s", r.tokens_per_s},
                   {"energy_per_token_j", r.energy_per_token_j}, {"cost_per_token_usd", rp.cost_per_token_usd},
                   {"objective_value", rp.objective}});
  }
  return {{"enumerated", s.counts.enumerated},
          {"pruned", s.counts.pruned},
          {"oom", s.counts.oom},
          {"evaluated", s.counts.evaluated},
          {"seconds", s.seconds},
          {"threads", s.threads},
          {"objective", SearchObjectiveName(o.objective)},
          {"max_memory_frac", o.max_memory_frac},
          {"usable_memory_gb", s.usable_memory_gb},
          {"top", top}};
}

// The two largest exposed non-compute terms, as shares of the step.
std::string MainLosses(const TrainResult& r) {
  const TimeBreakdownS& t = r.time;
  std::vector<std::pair<double, const char*>> terms = {
      {t.pp_bubble, "bubble"}, {t.tp_comm, "TP"}, {t.cp_comm, "CP"},       {t.ep_comm, "EP"},
      {t.dp_comm, "DP"},       {t.pp_comm, "PP p2p"}, {t.optimizer, "optim"}};
  std::stable_sort(terms.begin(), terms.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::string out;
  for (int i = 0; i < 2; ++i) {
    if (terms[i].first <= 0.005 * r.step_time_s) break;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {:.0f}%", terms[i].second, 100 * terms[i].first / r.step_time_s);
  }
  if (r.plan.recompute != Recompute::kNone && r.hardware_flops_per_step > r.model_flops_per_step * 1.005) {
    if (!out.empty()) out += ", ";
    out += fmt::format("recompute {:.0f}%", 100 * (r.hardware_flops_per_step / r.model_flops_per_step - 1));
  }
  return out.empty() ? "-" : out;
}

std::string WhyRunnerUpLoses(const TrainEvaluator& ev, const RankedPlan& best, const RankedPlan& second,
                             SearchObjective obj) {
  const TrainResult& a = best.result;
  const TrainResult& b = second.result;
  std::string out = "Why the runner-up loses\n";
  out += fmt::format("  best:      {}\n  runner-up: {}\n", report::PlanToString(a.plan), report::PlanToString(b.plan));
  if (obj == SearchObjective::kTime) {
    out += fmt::format("  the runner-up's step takes {} s vs {} s ({:+.2f}%)\n", report::FormatSig(b.step_time_s, 4),
                       report::FormatSig(a.step_time_s, 4), 100 * (b.step_time_s / a.step_time_s - 1));
  } else {
    const char* unit = obj == SearchObjective::kEnergy ? "J/token" : "USD per Mtoken";
    const double k = obj == SearchObjective::kEnergy ? 1.0 : 1e6;
    out += fmt::format("  {} objective: {} vs {} {} ({:+.2f}%); step {} s vs {} s\n", SearchObjectiveName(obj),
                       report::FormatSig(k * second.objective, 4), report::FormatSig(k * best.objective, 4), unit,
                       100 * (second.objective / best.objective - 1), report::FormatSig(b.step_time_s, 4),
                       report::FormatSig(a.step_time_s, 4));
  }
  const std::vector<TermDelta> d = CompareStepTimes(a, b);
  std::string worse, better;
  for (const TermDelta& t : d) {
    if (std::abs(t.delta_s()) < 1e-4 * a.step_time_s) continue;
    std::string s = fmt::format("{} {:+.4g} s ({} -> {})", t.name, t.delta_s(), report::FormatSig(t.best_s, 3),
                                report::FormatSig(t.other_s, 3));
    if (t.delta_s() > 0) worse += (worse.empty() ? "" : "; ") + s;
    else better += (better.empty() ? "" : "; ") + s;
  }
  if (!worse.empty()) out += "  it loses on: " + worse + "\n";
  if (!better.empty()) out += "  it gains on: " + better + "\n";
  out += fmt::format("  memory per chip: {:.1f} GB vs {:.1f} GB (activations {:.1f} vs {:.1f} GB)\n", b.memory_per_chip_gb,
                     a.memory_per_chip_gb, b.memory.activations, a.memory.activations);
  return out;
}

std::string NothingFits(const TrainEvaluator& ev, const SearchResult& s, const SearchOptions& o) {
  std::string msg = fmt::format("no plan of {} on {} x {} fits in {:.1f} GB per chip ({:.0f}% of {:.1f} GB); {}",
                                ev.model().id, ev.chips(), ev.chip().id, s.usable_memory_gb, 100 * o.max_memory_frac,
                                ev.chip().MemoryCapacityGB(), CountsLine(s));
  if (s.least_memory) {
    msg += fmt::format(". The smallest found needs {:.1f} GB ({})", s.least_memory->memory_per_chip_gb,
                       report::PlanToString(s.least_memory->plan));
  } else if (s.counts.enumerated == 0) {
    msg += ". No legal plan: check the fixed degrees (--tp/--pp/--dp/--ep/--cp/--vpp/--micro-batch) against "
           "the chip count, the global batch and the model's heads and layers";
  }
  msg += ". Try more chips, a chip with more memory, a smaller --global-batch or --seq, a larger --max-tp, "
         "--max-memory-frac closer to 1, or drop fixed degrees";
  return msg;
}

Result<std::string> RunSweep(Context& ctx, const TrainEvaluator& ev, const TrainFlags& f, const SearchOptions& o) {
  XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
  XPU_ASSIGN_OR_RETURN(std::vector<int64_t> chips, ParseChipSweep(f.chips_sweep));
  XPU_ASSIGN_OR_RETURN(std::vector<SweepPoint> pts, SweepChips(*catalog, ev, chips, f.weak_scaling, o));
  const char* mode = f.weak_scaling ? "weak" : "strong";
  if (ctx.format() == OutputFormat::kJson) {
    Json arr = Json::array();
    for (const SweepPoint& pt : pts) {
      Json j = {{"chips", pt.chips}, {"global_batch", pt.global_batch}, {"fits", !pt.search.top.empty()},
                {"scaling_efficiency", pt.scaling_efficiency}};
      if (!pt.search.top.empty()) {
        XPU_ASSIGN_OR_RETURN(TrainEvaluator e, TrainEvaluator::Create(*catalog, ev.model(), ev.system(), pt.chips,
                                                                       TrainWorkload{pt.global_batch, ev.workload().seq_len,
                                                                                     ev.workload().precision},
                                                                       ev.options()));
        j["best"] = report::TrainResultToJson(e, pt.search.top[0].result, std::nullopt);
      }
      j["search"] = SearchJson(pt.search, o);
      arr.push_back(std::move(j));
    }
    return Json{{"mode", mode}, {"model", ev.model().id}, {"system", ev.system().id}, {"points", arr}}.dump(2) + "\n";
  }
  report::Table t(fmt::format("{} scaling of {} on {} (seq {}, {} global batch {})", f.weak_scaling ? "Weak" : "Strong",
                              ev.model().id, ev.system().id, ev.workload().seq_len,
                              f.weak_scaling ? "starting" : "fixed", report::FormatInt(pts.front().global_batch)));
  t.AddColumn("chips").AddColumn("global batch").AddColumn("best plan").AddColumn("step time", "s")
      .AddColumn("tokens/s").AddColumn("MFU", "%").AddColumn("memory", "GB").AddColumn("scaling eff.", "%")
      .AddColumn("search", "s");
  for (const SweepPoint& pt : pts) {
    if (pt.search.top.empty()) {
      t.AddRow({report::Int(pt.chips), report::Int(pt.global_batch), report::Text("nothing fits"), report::Text("-"),
                report::Text("-"), report::Text("-"), report::Text("-"), report::Text("-"), report::Num(pt.search.seconds, 2)});
      continue;
    }
    const TrainResult& r = pt.search.top[0].result;
    t.AddRow({report::Int(pt.chips), report::Int(pt.global_batch), report::Text(report::PlanToString(r.plan)),
              report::Sig(r.step_time_s, 4), report::Num(r.tokens_per_s, 0), report::Num(100 * r.mfu, 1),
              report::Num(r.memory_per_chip_gb, 1), report::Num(100 * pt.scaling_efficiency, 1),
              report::Num(pt.search.seconds, 2)});
  }
  t.AddNote(fmt::format("scaling efficiency: tokens/s per chip relative to {} chips; objective {}", pts.front().chips,
                        SearchObjectiveName(o.objective)));
  return t.Render();
}

}  // namespace

Result<std::string> RunTrainSearch(Context& ctx, const TrainEvaluator& ev, const TrainFlags& f) {
  XPU_ASSIGN_OR_RETURN(SearchOptions o, OptionsFromFlags(f));
  if (!f.chips_sweep.empty()) return RunSweep(ctx, ev, f, o);
  XPU_ASSIGN_OR_RETURN(SearchResult s, SearchPlans(ev, o));
  if (s.top.empty()) return Status::Precondition(NothingFits(ev, s, o));
  const TrainResult& best = s.top[0].result;
  std::optional<RunTotals> totals;
  if (f.tokens > 0) totals = ev.Totals(best, f.tokens);
  std::string plot_note;  // --plot: Pareto chart (match_cmd.cc, issue 6)
  if (!f.plot.empty()) {
    XPU_ASSIGN_OR_RETURN(plot_note, WriteTrainSearchPlot(ev, o, f));
  }

  if (ctx.format() == OutputFormat::kJson) {
    Json j = report::TrainResultToJson(ev, best, totals);
    j["search"] = SearchJson(s, o);
    if (!f.plot.empty()) j["plot"] = f.plot;
    return j.dump(2) + "\n";
  }

  std::string out = fmt::format("Search: {} on {} x {} ({}), seq {}, global batch {}, {}; objective {}\n",
                                ev.model().id, report::FormatInt(ev.chips()), ev.chip().id, ev.system().id,
                                ev.workload().seq_len, report::FormatInt(ev.workload().global_batch),
                                PrecisionName(ev.workload().precision), SearchObjectiveName(o.objective));
  out += CountsLine(s) + "\n\n";

  report::Table t(fmt::format("Top {} plans (memory limit {:.1f} GB per chip)", s.top.size(), s.usable_memory_gb));
  t.AddColumn("#").AddColumn("plan").AddColumn("step time", "s").AddColumn("tokens/s").AddColumn("MFU", "%")
      .AddColumn("memory", "GB").AddColumn("fits");
  if (o.objective != SearchObjective::kTime)
    t.AddColumn(o.objective == SearchObjective::kEnergy ? "energy" : "cost",
                o.objective == SearchObjective::kEnergy ? "J/token" : "USD/Mtoken");
  t.AddColumn("main losses");
  for (size_t i = 0; i < s.top.size(); ++i) {
    const TrainResult& r = s.top[i].result;
    std::vector<report::Cell> row = {report::Int(static_cast<long long>(i + 1)), report::Text(report::PlanToString(r.plan)),
                                     report::Sig(r.step_time_s, 4), report::Num(r.tokens_per_s, 0),
                                     report::Num(100 * r.mfu, 1), report::Num(r.memory_per_chip_gb, 1),
                                     report::Text("yes")};
    if (o.objective == SearchObjective::kEnergy) row.push_back(report::Sig(s.top[i].objective, 4));
    if (o.objective == SearchObjective::kCost) row.push_back(report::Sig(1e6 * s.top[i].objective, 4));
    row.push_back(report::Text(MainLosses(r)));
    t.AddRow(std::move(row));
  }
  if (s.best_oom && s.best_oom->objective < s.top[0].objective) {
    const TrainResult& r = s.best_oom->result;
    t.AddNote(fmt::format("out of memory: {} would take {} s but needs {:.1f} GB per chip", report::PlanToString(r.plan),
                          report::FormatSig(r.step_time_s, 4), r.memory_per_chip_gb));
  }
  out += t.Render() + "\n";
  out += "Best plan\n" + report::TrainResultToText(ev, best, totals) + "\n";
  if (s.top.size() >= 2) out += WhyRunnerUpLoses(ev, s.top[0], s.top[1], o.objective);
  return out + plot_note;
}

}  // namespace xpusim::cli
