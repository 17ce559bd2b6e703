#include "plan/fleet_plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "plan/fleet_common.h"
#include "plan/fleet_serve.h"
#include "plan/search.h"
#include "train/optimizer_state.h"

namespace xpusim {
namespace {

constexpr int64_t kMaxChipsDefault = 262144;
// Micro-batches above 8 sequences rarely fit at training sequence lengths
// and never win on time in the search; skipping them makes a rung ~3x cheaper.
constexpr int kMaxMicroBatch = 8;

struct Job {
  Model model;
  TrainWorkload workload;
  TrainOptions options;
  double tokens = 0;
};

// Gradient exchange between two chip types per step when mixed: after the
// groups' own reduce-scatter each chip holds params / chips of the
// gradient and swaps it with its peer in the other group over the
// scale-out NIC, send and receive (2x), not overlapped. The gradient goes in
// the format the job's options accumulate it in, as the groups' own
// reduction does (GradReduceBytesPerParam: 2 bytes in bf16, 4 in fp32).
double SyncSeconds(const Model& m, const TrainOptions& o, const System& s, const Chip& c, int64_t chips) {
  double gbit = s.scaleout_bandwidth_gbit_s.or_else(c.scaleout_bandwidth_gbit_s.or_else(0));
  if (!(gbit > 0)) return 1e9;  // no fabric data: cannot be mixed
  const double bytes_per_s = gbit * 1e9 / 8 * s.scaleout_efficiency.or_else(0.8);
  const double grad_bytes = GradReduceBytesPerParam(StateBytes(o)) * static_cast<double>(TotalParams(m));
  return 2 * grad_bytes / (static_cast<double>(chips) * bytes_per_s) + 2 * s.scaleout_latency_us.or_else(5) * 1e-6;
}

Result<std::optional<FleetRung>> Rung(const Catalog& catalog, const Job& job, const System& sys, int64_t chips) {
  XPU_ASSIGN_OR_RETURN(TrainEvaluator ev,
                       TrainEvaluator::Create(catalog, job.model, sys, chips, job.workload, job.options));
  SearchOptions so;
  so.objective = SearchObjective::kTime;
  so.top_k = 1;
  so.max_micro_batch = kMaxMicroBatch;
  so.cost_tokens = job.tokens;
  XPU_ASSIGN_OR_RETURN(SearchResult r, SearchPlans(ev, so));
  if (r.top.empty()) return std::optional<FleetRung>();
  FleetRung g;
  g.chips = chips;
  g.global_batch = job.workload.global_batch;
  g.best = r.top[0].result;
  g.tokens_per_s = g.best.tokens_per_s;
  const RunTotals t = ev.Totals(g.best, job.tokens);
  g.nodes = std::ceil(static_cast<double>(chips) / std::max(1, sys.chips_per_node));
  if (sys.nodes_per_rack.known() && sys.nodes_per_rack.value > 0) g.racks = std::ceil(g.nodes / sys.nodes_per_rack.value);
  const double pue = job.options.pue > 0 ? job.options.pue : sys.pue.or_else(1.0);
  g.site_mw = t.provisioned_it_mw * pue;
  g.avg_mw = g.best.cluster_power_kw / 1e3;
  g.capex_usd = t.cluster_capex_usd + t.facility_capex_usd;
  g.price_known = t.price_known;
  g.energy_j_per_token = g.best.cluster_power_kw * 1e3 / g.best.tokens_per_s;
  return std::optional<FleetRung>(g);
}

// Shares of the global batch a group can train in a mixed job: a quarter,
// half, three quarters and all of it (complements, so they can sum to the
// batch exactly); only the whole batch when mixing is off.
std::vector<int64_t> BatchShares(int64_t batch, bool heterogeneous) {
  std::vector<int64_t> b = {batch};
  if (heterogeneous)
    for (int64_t q : {batch / 4, batch / 2, batch - batch / 2, batch - batch / 4})
      if (q >= 1) b.push_back(q);
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

Status BuildLadder(const Catalog& catalog, const Job& job, const FleetScenario& sc, double duration_s, bool soft_bounds,
                   FleetCandidate* c) {
  c->rungs.clear();
  c->excluded.clear();
  c->unit = std::max<int64_t>(std::max(1, c->system.chips_per_node), c->system.scaleup_domain_chips);
  XPU_ASSIGN_OR_RETURN(std::optional<FleetRung> whole, Rung(catalog, job, c->system, c->unit));
  ++c->searches;
  int64_t max_chips = sc.max_chips_per_system > 0 ? sc.max_chips_per_system : kMaxChipsDefault;
  // Soft bounds: no feasible fleet exceeds the site power, the supply or the
  // budget; the ladder goes to 2x them so that re-solving with one of them
  // relaxed (binding / infeasibility diagnosis) has rungs beyond it.
  if (soft_bounds && whole && sc.power_mw > 0 && whole->site_mw > 0)
    max_chips = std::min<double>(max_chips, 2 * sc.power_mw / whole->site_mw * c->unit);
  if (soft_bounds && whole && sc.budget_usd > 0 && whole->capex_usd > 0)
    max_chips = std::min<double>(max_chips, 2 * sc.budget_usd / whole->capex_usd * c->unit);
  // A supply of 0 (supply_override) bounds nothing: the ladder is what
  // relaxing supply would offer.
  if (soft_bounds && c->supply_limited && c->supply_chips > 0)
    max_chips = std::min<double>(max_chips, 2 * c->supply_chips);
  const int64_t kmax = std::max<int64_t>(1, max_chips / c->unit);
  const int64_t batch = job.workload.global_batch;
  for (int64_t b : BatchShares(batch, sc.heterogeneous)) {
    Job share = job;
    share.workload.global_batch = b;
    const double fraction = static_cast<double>(b) / batch;
    const double target_rate = duration_s > 0 ? fraction * job.tokens / duration_s : 0;
    double last = 0, per_unit = 0;
    int flat = 0;
    for (int64_t k : LadderSteps(kmax)) {
      // Rungs that cannot train this share by the target even at twice the
      // best per-unit rate seen so far are never bought (with the target);
      // skip their searches.
      if (per_unit > 0 && target_rate > 0 && 2 * k * per_unit < target_rate) continue;
      std::optional<FleetRung> r;
      if (k == 1 && b == batch) {
        r = whole;
      } else {
        XPU_ASSIGN_OR_RETURN(r, Rung(catalog, share, c->system, k * c->unit));
        ++c->searches;
      }
      if (!r) continue;  // no plan fits at this count (e.g. too few chips for the model)
      per_unit = std::max(per_unit, r->best.tokens_per_s / k);
      // Facility capex alone is not a price: without the hardware's the
      // system would look nearly free (doc/planning.md).
      if (!r->price_known) {
        c->excluded = fmt::format("no price for {} or {} in the catalog", c->system.id, c->chip.id);
        c->rungs.clear();
        return Status::Ok();
      }
      if (r->best.tokens_per_s > last * 1.001) {  // more chips that are not faster are never worth buying
        last = r->best.tokens_per_s;
        c->rungs.push_back(std::move(*r));
        flat = 0;
      } else if (++flat >= 3) {
        break;  // the job does not scale further (global batch)
      }
      // Cost objective: once one rung trains this share by the target
      // alone, larger ones only add capex (assumed: energy per token does
      // not fall with more chips).
      if (sc.objective == "cost" && target_rate > 0 && last >= target_rate) break;
    }
  }
  if (c->rungs.empty())
    c->excluded = fmt::format("no parallel plan of {} fits in memory on up to {} chips", job.model.id, kmax * c->unit);
  return Status::Ok();
}

// Keeps, per batch share, the rungs that are faster than every smaller one
// (ordered by share, then chips).
void DropDominated(std::vector<FleetRung>* rungs) {
  std::sort(rungs->begin(), rungs->end(), [](const FleetRung& a, const FleetRung& b) {
    return a.global_batch != b.global_batch ? a.global_batch < b.global_batch : a.chips < b.chips;
  });
  std::vector<FleetRung> kept;
  for (FleetRung& r : *rungs)
    if (kept.empty() || kept.back().global_batch != r.global_batch ||
        r.best.tokens_per_s > kept.back().best.tokens_per_s * 1.001)
      kept.push_back(std::move(r));
  *rungs = std::move(kept);
}

// Adds the rungs halfway (in units) between rung `i` and its neighbours;
// true when one was added.
Result<bool> RefineAround(const Catalog& catalog, const Job& job, FleetCandidate* c, int i) {
  const int64_t here = c->rungs[i].chips / c->unit;
  const int64_t b = c->rungs[i].global_batch;
  auto same = [&](int j) { return j >= 0 && j < static_cast<int>(c->rungs.size()) && c->rungs[j].global_batch == b; };
  std::vector<int64_t> ks;
  if (same(i - 1)) ks.push_back((c->rungs[i - 1].chips / c->unit + here) / 2);
  if (same(i + 1)) ks.push_back((here + c->rungs[i + 1].chips / c->unit + 1) / 2);
  Job share = job;
  share.workload.global_batch = b;
  bool added = false;
  for (int64_t k : ks) {
    const std::pair<int64_t, int64_t> key{k, b};
    if (std::any_of(c->rungs.begin(), c->rungs.end(),
                    [&](const FleetRung& r) { return r.chips == k * c->unit && r.global_batch == b; }) ||
        std::find(c->tried.begin(), c->tried.end(), key) != c->tried.end())
      continue;
    c->tried.push_back(key);
    XPU_ASSIGN_OR_RETURN(std::optional<FleetRung> r, Rung(catalog, share, c->system, k * c->unit));
    ++c->searches;
    if (!r || !r->price_known) continue;
    c->rungs.push_back(std::move(*r));
    added = true;
  }
  if (added) DropDominated(&c->rungs);
  return added;
}

struct Built {
  FleetProblem problem;
  std::vector<int> cand_of_group;
};

Built Build(const std::vector<FleetCandidate>& cands, const FleetScenario& sc, const Job& job, double duration_s,
            double steps, bool include_blocked) {
  Built b;
  FleetProblem& p = b.problem;
  p.tokens = job.tokens;
  p.steps = steps;
  p.duration_s = duration_s;
  p.power_cap_mw = sc.power_mw;
  p.budget_usd = sc.budget_usd;
  p.heterogeneous = sc.heterogeneous;
  p.minimise_time = sc.objective == "time";
  OfferedGroups o = OfferGroups(cands, include_blocked, [&](const FleetCandidate& c, const FleetRung& r) {
    return FleetLevel{r.chips,
                      r.best.tokens_per_s,
                      r.site_mw,
                      r.capex_usd,
                      r.energy_j_per_token / 3.6e6 * job.options.usd_per_kwh,
                      SyncSeconds(job.model, job.options, c.system, c.chip, r.chips),
                      static_cast<double>(r.global_batch) / job.workload.global_batch};
  });
  p.groups = std::move(o.groups);
  p.supply = std::move(o.supply);
  b.cand_of_group = std::move(o.cand_of_group);
  return b;
}

}  // namespace

Result<FleetPlanResult> PlanFleet(const Catalog& catalog, const FleetScenario& sc) {
  if (sc.serving) return PlanServeFleet(catalog, sc);
  const auto t0 = std::chrono::steady_clock::now();
  FleetPlanResult res;
  XPU_ASSIGN_OR_RETURN(FleetData data, LoadScenarioData(catalog, sc));
  XPU_ASSIGN_OR_RETURN(const BuyerRegion* region, FindRegion(data, sc.region));
  Job job;
  XPU_ASSIGN_OR_RETURN(job.model, catalog.ResolveModel(sc.model));
  job.workload.precision = *ParsePrecision(sc.precision);
  job.workload.seq_len = sc.seq > 0 ? sc.seq : std::min<int64_t>(job.model.max_seq > 0 ? job.model.max_seq : 4096, 8192);
  job.workload.global_batch = sc.global_batch > 0 ? sc.global_batch : std::max<int64_t>(1, (4 << 20) / job.workload.seq_len);
  job.options.pue = sc.pue;
  job.options.usd_per_kwh = sc.usd_per_kwh;
  job.tokens = sc.tokens;
  res.seq = job.workload.seq_len;
  res.global_batch = job.workload.global_batch;
  res.steps = sc.tokens / static_cast<double>(job.workload.global_batch * job.workload.seq_len);
  res.duration_s = sc.deadline_days > 0 ? sc.deadline_days * 86400 : sc.tokens_per_s > 0 ? sc.tokens / sc.tokens_per_s : 0;
  res.objective_name = sc.objective == "time" ? "time_days" : "cost_usd";

  XPU_ASSIGN_OR_RETURN(res.candidates, PrepareCandidates(catalog, sc, data, *region));
  for (FleetCandidate& c : res.candidates) {
    if (c.excluded.empty() && job.workload.precision == Precision::kFp8 && !c.chip.tflops(Precision::kFp8).known())
      c.excluded = fmt::format("no FP8 units on {} (no fp8 throughput in the catalog): the job trains in fp8", c.chip.id);
    if (c.excluded.empty()) XPU_RETURN_IF_ERROR(BuildLadder(catalog, job, sc, res.duration_s, true, &c));
    res.searches += c.searches;
  }

  auto solve_into = [&](bool include_blocked, const FleetRelax& relax, Built* out) -> Result<FleetSolution> {
    Built b = Build(res.candidates, sc, job, res.duration_s, res.steps, include_blocked);
    auto s = CountSolves(!b.problem.groups.empty(), &res, [&] { return SolveFleet(b.problem, relax); });
    if (out) *out = std::move(b);
    return s;
  };
  const FleetSolveFn solve = [&](bool include_blocked, const FleetRelax& relax) {
    return solve_into(include_blocked, relax, nullptr);
  };
  Built built;
  XPU_ASSIGN_OR_RETURN(FleetSolution sol, solve_into(false, {}, &built));
  // Refine: the ladder has two rungs per doubling, so the count bought can be
  // up to a third above the smallest that would do. Search the midpoints
  // between each chosen rung and its neighbours and solve again (twice):
  // the answer lands within ~8% of the best count on a finer ladder.
  for (int round = 0; round < 2 && sol.feasible; ++round) {
    bool added = false;
    for (const FleetPick& k : sol.picks) {
      FleetCandidate& c = res.candidates[built.cand_of_group[k.group]];
      const int before = c.searches;
      XPU_ASSIGN_OR_RETURN(bool more, RefineAround(catalog, job, &c, k.level));
      res.searches += c.searches - before;
      added |= more;
    }
    if (!added) break;
    XPU_ASSIGN_OR_RETURN(sol, solve_into(false, {}, &built));
  }
  res.feasible = sol.feasible;

  const std::vector<FleetFamily> families =
      ScenarioFamilies(sc, res.candidates, !built.problem.supply.empty(),
                       res.duration_s > 0 ? (sc.deadline_days > 0 ? "deadline" : "throughput") : "");

  if (!sol.feasible) {
    // The ladders stop at 2x the limits; relaxing one may need larger fleets.
    for (FleetCandidate& c : res.candidates) {
      if (!c.excluded.empty() && c.rungs.empty() && c.searches == 0) continue;
      const int before = c.searches;
      XPU_RETURN_IF_ERROR(BuildLadder(catalog, job, sc, res.duration_s, false, &c));
      res.searches += c.searches - before;
    }
    XPU_RETURN_IF_ERROR(ExplainInfeasible(families, res.candidates, solve, &res));
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
  }

  // The fleet and its totals.
  const FleetProblem& p = built.problem;
  double busiest = 0;
  for (const FleetPick& k : sol.picks) {
    const int ci = built.cand_of_group[k.group];
    const FleetRung& r = res.candidates[ci].rungs[k.level];
    FleetRow row;
    row.candidate = ci;
    row.rung = k.level;
    row.tokens = k.tokens;
    row.busy_days = k.tokens / r.best.tokens_per_s / 86400;
    row.energy_mwh = k.tokens * r.energy_j_per_token / 3.6e9;
    row.electricity_usd = k.tokens * p.groups[k.group].levels[k.level].usd_per_token;
    busiest = std::max(busiest, row.busy_days);
    FleetTotals& t = res.totals;
    t.chips += r.chips;
    t.site_mw += r.site_mw;
    t.avg_mw += r.avg_mw;
    t.capex_usd += r.capex_usd;
    t.energy_mwh += row.energy_mwh;
    t.electricity_usd += row.electricity_usd;
    res.fleet.push_back(row);
  }
  FleetTotals& t = res.totals;
  t.sync_s_per_step = sol.tau_s;
  t.train_days = busiest + res.steps * sol.tau_s / 86400;
  t.total_cost_usd = t.capex_usd + t.electricity_usd;
  t.tokens_per_s = sc.tokens / (t.train_days * 86400);
  res.objective = sc.objective == "time" ? t.train_days : t.total_cost_usd;


  // Binding constraints: limit, use, slack, and the objective with that
  // family relaxed alone (binding when it improves).
  for (const FleetFamily& f : families) {
    if (f.name == "supply" && p.supply.empty()) continue;  // only blocked candidates had limits
    FleetConstraint c = LimitConstraint(f, sc, res, p.groups, p.supply, sol, region->id);
    if (f.name == "deadline" || f.name == "throughput") {
      c.unit = "days";
      c.limit = res.duration_s / 86400, c.used = t.train_days;
      c.slack = c.limit - c.used;
      c.detail = f.name == "deadline" ? "time to train vs deadline" : "time to train at the target tokens/s";
    }
    XPU_RETURN_IF_ERROR(MarkBinding(f, solve, sol.objective, &c));
    res.constraints.push_back(std::move(c));
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace xpusim
