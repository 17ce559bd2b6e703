// `xpusim plan` (DESIGN C8): the fleet that minimises cost or time for a
// training job, or cost or energy for a serving target, under a site power
// cap, a budget, per-chip supply by year and export availability by buyer
// region. Throughput, power, capex and energy of every candidate come from
// the project's models at a ladder of chip counts: the training model with
// its plan search (plan/search.h, TrainEvaluator::Totals), or the serving
// search (SearchServe, include/xpusim/serve.h) for one serving instance
// (plan/fleet_serve.h); the choice among them is a MILP
// (plan/fleet_milp.h) solved by GLPK. doc/planning.md describes the model
// and its limits.
#ifndef XPUSIM_PLAN_FLEET_PLAN_H_
#define XPUSIM_PLAN_FLEET_PLAN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan/fleet_data.h"
#include "plan/fleet_milp.h"
#include "plan/fleet_scenario.h"
#include "xpusim/catalog.h"
#include "xpusim/serve.h"
#include "xpusim/train.h"

namespace xpusim {

// One rung of a candidate's ladder: the best plan at `chips` (training),
// or one serving instance on `chips` with its best layout and batch.
struct FleetRung {
  int64_t chips = 0;
  int64_t global_batch = 0;     // sequences per step it trains (its share in a mixed job)
  double nodes = 0, racks = 0;  // racks 0: unknown
  double tokens_per_s = 0;      // training tokens/s, or output tokens/s of one serving instance
  TrainResult best;             // training
  ServeResult serve;            // serving: layout, batch, TTFT, TPOT, cost per Mtok of the instance
  std::string layout;           // serving: "tp8 pp1 dp1 ep1" (or the two pools when disaggregated)
  double site_mw = 0;           // provisioned (TDP) IT power x PUE
  double avg_mw = 0;            // average wall power while training (serving: at the operating point)
  double idle_mw = 0;           // serving: wall power of the instance with nothing to do
  double capex_usd = 0;         // hardware + network + facility build
  double energy_j_per_token = 0;
  bool price_known = false;     // a node or chip price: else the hardware would look free
};

struct FleetCandidate {
  System system;
  Chip chip;
  int64_t unit = 0;             // rungs are multiples of this (node or scale-up domain)
  std::vector<FleetRung> rungs; // non-dominated: each faster than the one before
  ChipAccess access;            // export availability to the buyer
  bool supply_limited = false;  // supply_chips is a limit (data or override; 0 leaves the chip out)
  double supply_chips = 0;      // meaningful when supply_limited
  std::string supply_note;
  std::string excluded;         // non-empty: why it offers no rung
  int searches = 0;
  std::vector<std::pair<int64_t, int64_t>> tried;  // (units, batch) refined around the chosen rungs
};

struct FleetRow {
  int candidate = 0, rung = 0;
  int64_t instances = 1;        // serving: instances of the rung bought
  double tokens = 0;            // tokens of the job it trains
  double busy_days = 0, energy_mwh = 0, electricity_usd = 0;  // serving: over the service period
  double avg_mw = 0;            // serving: average wall power of the instances (busy and idle)
};

struct FleetTotals {
  int64_t chips = 0;
  double site_mw = 0, avg_mw = 0, capex_usd = 0, train_days = 0, energy_mwh = 0, electricity_usd = 0;
  double total_cost_usd = 0, tokens_per_s = 0, sync_s_per_step = 0;
  // Serving: instances bought; cost per million output tokens and energy
  // per token at the target rate over the service period (every instance
  // drawing its operating-point power max_utilization of the time, idle
  // power the rest).
  int64_t instances = 0;
  double cost_per_mtok_usd = 0, energy_per_token_j = 0;
};

// A constraint of the scenario at the solution: its limit, use and slack,
// and whether relaxing it alone improves the objective (binding).
struct FleetConstraint {
  std::string name;             // "power", "budget", "supply:ascend-910c", "deadline", "throughput", "export"
  std::string label;            // for people, "" = name: "domestic only" for the "export" row that domestic_only makes
  std::string unit;
  double limit = 0, used = 0, slack = 0;
  bool binding = false;
  double objective_if_relaxed = 0;  // NaN: still infeasible / not tried
  std::string detail;
};

struct FleetPlanResult {
  bool feasible = false;
  bool serving = false;
  std::string objective_name;   // "cost_usd" | "time_days" | "avg_power_mw" (serving, objective energy)
  double objective = 0;
  double duration_s = 0;        // target duration (deadline / tokens/s target); 0: none
  double steps = 0;
  int64_t seq = 0, global_batch = 0;
  std::vector<FleetCandidate> candidates;
  std::vector<FleetRow> fleet;
  FleetTotals totals;
  std::vector<FleetConstraint> constraints;
  // Infeasible: the constraint sets whose relaxation makes a plan exist.
  std::vector<std::vector<std::string>> fixes;
  std::string why_infeasible;
  // Serving: the target (output tokens/s), the service period, and when
  // infeasible the most SLO-meeting tokens/s the limits allow (NaN: not known).
  double target_tokens_per_s = 0, service_years = 0, max_tokens_per_s = 0;
  int milp_solves = 0, searches = 0;
  double seconds = 0, milp_seconds = 0;
};

Result<FleetPlanResult> PlanFleet(const Catalog& catalog, const FleetScenario& scenario);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_FLEET_PLAN_H_
