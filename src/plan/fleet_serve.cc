// Serving fleet planner (plan/fleet_serve.h, doc/planning.md "Serving
// targets"). The candidates, the constraint report and the infeasibility
// diagnosis are the training planner's (plan/fleet_common.h); only the
// ladder (instances from the serving search) and the MILP's rows differ.
#include "plan/fleet_serve.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "infer/serve_cost.h"
#include "plan/fleet_common.h"
#include "plan/match.h"

namespace xpusim {
namespace {

constexpr int64_t kMaxInstanceChipsDefault = 1024;
constexpr double kSecondsPerYear = 365.25 * 86400;

std::string LayoutText(const ServeLayout& l) { return fmt::format("tp{} pp{} dp{} ep{}", l.tp, l.pp, l.dp, l.ep); }

// True when `n` replicas of the smaller instance `a` (n x a.chips ==
// b.chips) deliver at least b's tokens/s for no more power: b is then never
// needed (same chips, capex and site power, which are linear in nodes).
bool ReplicasDominate(const FleetRung& a, const FleetRung& b) {
  if (b.chips % a.chips != 0) return false;
  const double n = static_cast<double>(b.chips / a.chips);
  return n * a.tokens_per_s * 1.001 >= b.tokens_per_s && n * a.avg_mw <= b.avg_mw * 1.001;
}

// Instance sizes in whole nodes (two per doubling) up to max_instance_chips;
// a disaggregated instance needs a node per pool. Stops at the first
// instance that alone meets the target (larger ones only add chips; assumed
// not cheaper per token), and when tokens/s per chip has not improved for
// three sizes in a row (larger instances are then no better than replicas).
// Without a target rate (objective throughput) only the second rule stops.
Status BuildServeLadder(const Catalog& catalog, const ServeFleetJob& job, const FleetScenario& sc,
                        FleetCandidate* c) {
  c->rungs.clear();
  c->unit = std::max(1, c->system.chips_per_node);
  const int64_t max_chips = sc.serve.max_instance_chips > 0 ? sc.serve.max_instance_chips : kMaxInstanceChipsDefault;
  const int64_t kmax = std::max<int64_t>(1, max_chips / c->unit);
  double best_per_chip = 0;
  int flat = 0;
  for (int64_t k : LadderSteps(kmax)) {
    if (job.disaggregated && k < 2) continue;
    XPU_ASSIGN_OR_RETURN(std::optional<FleetRung> r, ServeInstance(catalog, job, c->system, k * c->unit));
    ++c->searches;
    if (!r) continue;  // nothing fits or meets the SLOs at this size (a larger one may)
    if (!(r->capex_usd > 0)) {
      c->excluded = fmt::format("no price for {} or {} in the catalog", c->system.id, c->chip.id);
      c->rungs.clear();
      return Status::Ok();
    }
    const double per_chip = r->tokens_per_s / static_cast<double>(r->chips);
    flat = per_chip > best_per_chip * 1.001 ? 0 : flat + 1;
    best_per_chip = std::max(best_per_chip, per_chip);
    const bool meets = sc.serve.output_tokens_per_s > 0 && r->tokens_per_s >= sc.serve.output_tokens_per_s;
    if (std::none_of(c->rungs.begin(), c->rungs.end(), [&](const FleetRung& a) { return ReplicasDominate(a, *r); }))
      c->rungs.push_back(std::move(*r));
    if (meets || flat >= 3) break;
  }
  if (c->rungs.empty())
    c->excluded = fmt::format("no layout of {} fits and meets the SLOs on up to {} chips", job.model.id,
                              kmax * c->unit);
  return Status::Ok();
}

struct Built {
  ServeFleetProblem problem;
  std::vector<int> cand_of_group;
};

// Average wall power of an instance busy `utilization` of the time at its
// operating point and idle the rest, MW.
double ServingAverageMw(const FleetRung& r, double utilization) {
  return utilization * r.avg_mw + (1 - utilization) * r.idle_mw;
}

// `rate`: the capacity to buy (cost, energy) or the scale of the objective (kMaxRate).
Built Build(const std::vector<FleetCandidate>& cands, const FleetScenario& sc, bool include_blocked,
            ServeFleetObjective objective, double rate) {
  Built b;
  ServeFleetProblem& p = b.problem;
  p.rate = rate;
  p.horizon_s = sc.serve.service_years * kSecondsPerYear;
  p.power_cap_mw = sc.power_mw;
  p.budget_usd = sc.budget_usd;
  p.max_chips_per_group = static_cast<double>(sc.max_chips_per_system);
  p.heterogeneous = sc.heterogeneous;
  p.objective = objective;
  OfferedGroups o = OfferGroups(cands, include_blocked, [&](const FleetCandidate&, const FleetRung& r) {
    FleetLevel l;
    l.chips = r.chips;
    l.tokens_per_s = r.tokens_per_s;
    l.site_mw = r.site_mw;
    l.capex_usd = r.capex_usd;
    // Busy max_utilization of the time at the operating point, idle the rest;
    // electricity per token of capacity (x tokens_per_s: USD/s).
    l.avg_mw = ServingAverageMw(r, sc.serve.max_utilization);
    l.usd_per_token = l.avg_mw * 1e6 / r.tokens_per_s / 3.6e6 * sc.usd_per_kwh;
    return l;
  });
  p.groups = std::move(o.groups);
  p.supply = std::move(o.supply);
  b.cand_of_group = std::move(o.cand_of_group);
  return b;
}

}  // namespace

Result<ServeFleetJob> MakeServeFleetJob(const Catalog& catalog, const FleetScenario& sc) {
  ServeFleetJob job;
  XPU_ASSIGN_OR_RETURN(job.model, catalog.ResolveModel(sc.model));
  XPU_ASSIGN_OR_RETURN(job.base.weights, ParseWeightPrecision(sc.serve.weights));
  XPU_ASSIGN_OR_RETURN(job.base.kv, ParseKvPrecision(sc.serve.kv));
  job.options.pue = sc.pue;
  job.options.search_prefill_chunk = true;  // a deployment tuned to its TTFT SLO
  job.options.usd_per_kwh = sc.usd_per_kwh;
  job.options.amortization_years = sc.serve.service_years;
  job.workload.input_len = sc.serve.input_len;
  job.workload.output_len = sc.serve.output_len;
  job.slo.tpot_s = sc.serve.tpot_slo_ms / 1e3;
  job.slo.ttft_s = sc.serve.ttft_slo_ms / 1e3;
  job.disaggregated = sc.serve.disaggregated;
  XPU_ASSIGN_OR_RETURN(CostData cost, DefaultCostData(catalog.data_dir()));
  job.cost = SettingsFrom(cost);
  job.cost.usd_per_kwh = sc.usd_per_kwh;
  job.cost.amortization_years = sc.serve.service_years;
  return job;
}

Result<std::optional<FleetRung>> ServeInstance(const Catalog& catalog, const ServeFleetJob& job, const System& sys,
                                               int64_t chips) {
  Result<ServeResult> r =
      job.disaggregated
          ? SearchDisaggregatedSplit(catalog, job.model, sys, chips, job.base, job.options, job.workload, job.slo)
          : SearchServe(catalog, job.model, sys, chips, job.base, job.options, job.workload, job.slo);
  // Precondition: nothing fits or meets the SLOs at this count.
  if (!r.ok() && r.status().code() == ErrorCode::kFailedPrecondition) return std::optional<FleetRung>();
  if (!r.ok()) return r.status();
  if (!(r->tokens_per_s > 0)) return std::optional<FleetRung>();
  FleetRung g;
  g.chips = chips;
  g.serve = *r;
  g.tokens_per_s = r->tokens_per_s;
  g.layout = job.disaggregated ? fmt::format("prefill {} x {} / decode {} x {}", r->prefill_chips,
                                             LayoutText(r->prefill_layout), r->decode_chips, LayoutText(r->layout))
                               : LayoutText(r->layout);
  g.layout += fmt::format(", chunk {}", r->prefill_chunk_tokens);  // the prefill token budget
  const NodesRacks nr = CountNodesRacks(sys, chips);
  g.nodes = nr.nodes;
  g.racks = nr.racks;
  const Chip chip = catalog.ChipOf(sys);
  const ClusterCapex cap = ComputeClusterCapex(chip, sys, static_cast<double>(chips), job.cost);
  const double pue = job.options.pue > 0 ? job.options.pue : sys.pue.or_else(1.0);
  g.site_mw = cap.provisioned_it_mw * pue;
  g.avg_mw = r->cluster_power_kw / 1e3;
  // Idle: the serving wall power with no activity (every chip at its idle
  // power, the nodes' overhead, PUE).
  XPU_ASSIGN_OR_RETURN(const PowerModel idle_power, PowerModel::Create(chip, 1.0));  // idle: no clock
  g.idle_mw = ComputeServeEconomics(idle_power, sys, chips, Activity{}, 0, job.options, job.cost, cap).cluster_power_kw / 1e3;
  g.capex_usd = cap.price_known ? cap.hardware_usd + cap.network_usd + cap.facility_usd : 0;
  g.price_known = cap.price_known;
  g.energy_j_per_token = r->energy_per_token_j;
  return std::optional<FleetRung>(g);
}

Result<FleetPlanResult> PlanServeFleet(const Catalog& catalog, const FleetScenario& sc) {
  const auto t0 = std::chrono::steady_clock::now();
  FleetPlanResult res;
  res.serving = true;
  res.target_tokens_per_s = sc.serve.output_tokens_per_s;
  res.service_years = sc.serve.service_years;
  const bool max_rate = sc.objective == "throughput";
  res.objective_name = max_rate ? "output_tokens_per_s" : sc.objective == "energy" ? "avg_power_mw" : "cost_usd";
  XPU_ASSIGN_OR_RETURN(FleetData data, LoadScenarioData(catalog, sc));
  XPU_ASSIGN_OR_RETURN(const BuyerRegion* region, FindRegion(data, sc.region));
  XPU_ASSIGN_OR_RETURN(const ServeFleetJob job, MakeServeFleetJob(catalog, sc));
  XPU_ASSIGN_OR_RETURN(res.candidates, PrepareCandidates(catalog, sc, data, *region));
  // The fastest and slowest instances offered: the scale of the throughput
  // objective, and "at least one instance" when nothing fits the limits.
  double fastest = 0, slowest = 0;
  for (FleetCandidate& c : res.candidates) {
    if (c.excluded.empty()) XPU_RETURN_IF_ERROR(BuildServeLadder(catalog, job, sc, &c));
    res.searches += c.searches;
    for (const FleetRung& r : c.rungs) {
      fastest = std::max(fastest, r.tokens_per_s);
      slowest = slowest > 0 ? std::min(slowest, r.tokens_per_s) : r.tokens_per_s;
    }
  }

  auto solve_into = [&](bool include_blocked, const FleetRelax& relax, ServeFleetObjective obj, double rate,
                        Built* out) -> Result<FleetSolution> {
    Built b = Build(res.candidates, sc, include_blocked, obj, rate);
    auto s = CountSolves(!b.problem.groups.empty(), &res, [&] { return SolveServeFleet(b.problem, relax); });
    if (out) *out = std::move(b);
    return s;
  };
  // The rate is the problem itself, not a family to relax (relaxed, the
  // empty fleet is optimal); it is reported as a constraint below.
  std::vector<FleetFamily> families = ScenarioFamilies(sc, res.candidates, false, "");
  // Serving caps the chips of each system with a MILP row (training caps its
  // ladders), so here it is a limit to report and relax like the others.
  if (sc.max_chips_per_system > 0)
    families.insert(families.end() - (families.empty() || families.back().name != "export" ? 0 : 1),
                    FleetFamily{"max_chips_per_system", false, {.max_chips = true}});
  auto finish = [&] {
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
  };

  // Objective throughput: the most SLO-meeting tokens/s the limits allow
  // (MILP kMaxRate), then the cheapest fleet that delivers it, which is
  // the cost problem with that rate as its target.
  double most = 0;
  if (max_rate) {
    XPU_ASSIGN_OR_RETURN(FleetSolution m,
                         solve_into(false, {}, ServeFleetObjective::kMaxRate, std::max(fastest, 1.0), nullptr));
    most = m.feasible ? m.objective : 0;
    if (!(most > 0)) {
      // Not even one instance fits: which limits stop the first one.
      const FleetSolveFn one = [&](bool include_blocked, const FleetRelax& relax) {
        return solve_into(include_blocked, relax, ServeFleetObjective::kCost, std::max(slowest, 1.0), nullptr);
      };
      XPU_RETURN_IF_ERROR(ExplainInfeasible(families, res.candidates, one, &res));
      if (!res.fixes.empty()) res.why_infeasible += " (no instance fits within the limits)";
      return finish();
    }
    res.target_tokens_per_s = most;
  }

  const ServeFleetObjective objective = sc.objective == "energy" ? ServeFleetObjective::kEnergy : ServeFleetObjective::kCost;
  // The capacity to buy: the target over the utilisation allowed.
  const double u = sc.serve.max_utilization;
  const double rate = max_rate ? most * (1 - 1e-9) : sc.serve.output_tokens_per_s / u;
  if (max_rate) res.target_tokens_per_s = most * u;  // what that capacity serves with the headroom
  const FleetSolveFn solve = [&](bool include_blocked, const FleetRelax& relax) {
    return max_rate ? solve_into(include_blocked, relax, ServeFleetObjective::kMaxRate, fastest, nullptr)
                    : solve_into(include_blocked, relax, objective, rate, nullptr);
  };
  Built built;
  XPU_ASSIGN_OR_RETURN(FleetSolution sol, solve_into(false, {}, objective, rate, &built));
  res.feasible = sol.feasible;

  if (!sol.feasible) {
    XPU_RETURN_IF_ERROR(ExplainInfeasible(families, res.candidates, solve, &res));
    // The most the limits allow, for scale.
    XPU_ASSIGN_OR_RETURN(FleetSolution m, solve_into(false, {}, ServeFleetObjective::kMaxRate, rate, nullptr));
    res.max_tokens_per_s = m.feasible ? m.objective * u : 0;
    if (std::any_of(res.candidates.begin(), res.candidates.end(),
                    [](const FleetCandidate& c) { return !c.rungs.empty() && c.access.allowed; }))
      res.why_infeasible += fmt::format("; within the limits the best fleet serves {:.4g} output tokens/s ({:.1f}% of the "
                                        "target {:.4g})",
                                        res.max_tokens_per_s, 100 * res.max_tokens_per_s / res.target_tokens_per_s,
                                        res.target_tokens_per_s);
    return finish();
  }

  const ServeFleetProblem& p = built.problem;
  const double hours = p.horizon_s / 3600;
  FleetTotals& t = res.totals;
  for (const FleetPick& k : sol.picks) {
    const int ci = built.cand_of_group[k.group];
    const FleetRung& r = res.candidates[ci].rungs[k.level];
    const double n = static_cast<double>(k.count);
    FleetRow row;
    row.candidate = ci;
    row.rung = k.level;
    row.instances = k.count;
    const double avg_mw = ServingAverageMw(r, u);
    row.avg_mw = n * avg_mw;
    row.energy_mwh = n * avg_mw * hours;
    row.electricity_usd = row.energy_mwh * 1e3 * sc.usd_per_kwh;
    t.instances += k.count;
    t.chips += k.count * r.chips;
    t.site_mw += n * r.site_mw;
    t.avg_mw += n * avg_mw;
    t.capex_usd += n * r.capex_usd;
    t.tokens_per_s += n * r.tokens_per_s;
    t.energy_mwh += row.energy_mwh;
    t.electricity_usd += row.electricity_usd;
    res.fleet.push_back(row);
  }
  t.total_cost_usd = t.capex_usd + t.electricity_usd;
  t.cost_per_mtok_usd = t.total_cost_usd / (res.target_tokens_per_s * p.horizon_s) * 1e6;
  t.energy_per_token_j = t.avg_mw * 1e6 / res.target_tokens_per_s;
  res.objective = max_rate ? t.tokens_per_s : sol.objective;

  for (const FleetFamily& f : families) {
    if (f.name == "supply" && p.supply.empty()) continue;  // only blocked candidates had limits
    FleetConstraint c = LimitConstraint(f, sc, res, p.groups, p.supply, sol, region->id);
    XPU_RETURN_IF_ERROR(MarkBinding(f, solve, res.objective, &c, max_rate));
    res.constraints.push_back(std::move(c));
  }
  if (!max_rate) {
    FleetConstraint target;
    target.name = "throughput";
    target.unit = "tokens/s";
    target.limit = rate;
    target.used = t.tokens_per_s;
    target.slack = target.used - target.limit;  // a lower bound: the spare capacity
    target.binding = true;                      // relaxed, buying nothing is optimal
    target.objective_if_relaxed = 0;
    target.detail = "SLO-meeting output tokens/s delivered (a lower bound: slack is spare capacity)";
    if (u < 1)
      target.detail += fmt::format("; the target {:.4g} at {:.0f}% utilisation", res.target_tokens_per_s, 100 * u);
    // Before export, where the training report puts its target.
    auto at = std::find_if(res.constraints.begin(), res.constraints.end(),
                           [](const FleetConstraint& c) { return c.name == "export"; });
    res.constraints.insert(at, std::move(target));
  }
  return finish();
}

}  // namespace xpusim
