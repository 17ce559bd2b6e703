// Fleet selection as a mixed-integer linear program (DESIGN C8), solved
// with GLPK. Pure arithmetic over precomputed candidate levels; the
// training and serving models are run elsewhere (plan/fleet_plan.cc,
// plan/fleet_serve.cc) and only their numbers enter here, so this part can
// be tested against brute force.
//
// Every candidate group (one system type) offers levels: a chip count
// (rung) trained at a share of the job's global batch, each with a
// throughput, site power, capex and energy per token measured by the
// training model at that count and that batch. Formulation
// (doc/planning.md):
//   x[g,l] in {0,1}    level l of group g is bought   (sum_l x[g,l] <= 1)
//   mixed in {0,1}     more than one group is used (heterogeneous job)
//   z[g,l] in {0,1}    x[g,l] AND mixed
//   tau >= 0           cross-type gradient exchange per step (s), >= t[g,l] z[g,l]
//   sum share x = 1    the groups bought take the whole global batch
//   share W <= T D     for a level bought (else x fixed to 0)
//   share W x + T steps tau <= T D
//   sum site_mw x <= power cap;  sum capex x <= budget;
//   sum_{g of chip c} chips x <= supply[c]
//   minimise  sum (capex + share W usd_per_token) x
// This is synchronous data parallelism where the slowest group sets the
// pace: a step takes max_g share_g W / (steps T_g) + tau <= D / steps.
// Minimum time is found by bisection on D over this feasibility problem,
// then the cheapest fleet at that D.
//
// A serving fleet (SolveServeFleet) reuses the groups, levels and the
// power, budget and supply rows; its levels are serving instances bought
// in integer counts (see ServeFleetProblem).
#ifndef XPUSIM_PLAN_FLEET_MILP_H_
#define XPUSIM_PLAN_FLEET_MILP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "xpusim/status.h"

namespace xpusim {

struct FleetLevel {
  int64_t chips = 0;
  double tokens_per_s = 0;      // T
  double site_mw = 0;           // provisioned power at the wall (IT x PUE)
  double capex_usd = 0;         // hardware + network + facility build
  double usd_per_token = 0;     // electricity per token while training
  double sync_s = 0;            // t: cross-type gradient exchange per step when mixed
  double share = 1;             // share of the global batch this level trains, (0, 1]
  double avg_mw = 0;            // average wall power while running (serving: the energy objective)
};

struct FleetGroup {
  std::string id;               // system id
  std::string chip;             // chip id (supply limits are per chip)
  std::vector<FleetLevel> levels;
};

struct SupplyLimit {
  std::string chip;
  double chips = 0;
};

// Which constraint families are enforced (the infeasibility diagnosis
// relaxes them one at a time).
struct FleetRelax {
  bool power = false, budget = false, supply = false, deadline = false;
  bool max_chips = false;  // serving: the chips-per-group row (training caps its ladders instead)
};

struct FleetProblem {
  std::vector<FleetGroup> groups;
  double tokens = 0;            // W
  double steps = 0;             // optimizer steps in the run
  double duration_s = 0;        // D (deadline, or tokens / throughput target); 0: none
  double power_cap_mw = 0;      // 0: none
  double budget_usd = 0;        // 0: none
  std::vector<SupplyLimit> supply;
  bool heterogeneous = false;   // more than one group in the job
  bool minimise_time = false;   // else minimise cost
};

struct FleetPick {
  int group = 0, level = 0;
  double tokens = 0;            // share x job tokens (training)
  int64_t count = 1;            // instances bought (serving); 1 for training
};

struct FleetSolution {
  bool feasible = false;
  std::vector<FleetPick> picks;
  double objective = 0;         // USD (cost) or days (time)
  double duration_s = 0;        // the D solved at (time objective: the minimum)
  double tau_s = 0;
  int solves = 0;               // MILPs solved
  bool unbounded = false;       // kMaxRate: no enforced limit stops buying a level
};

// Capex + electricity of a selection: the objective of the cost problem.
double FleetCost(const FleetProblem& p, const std::vector<FleetPick>& picks);

// Solves at p.duration_s (cost) or bisects on D (time). Errors are bad
// input or a solver failure; an infeasible problem is a solution with
// feasible = false.
Result<FleetSolution> SolveFleet(const FleetProblem& p, const FleetRelax& relax = {});

// One MILP at a fixed D (exposed for tests).
Result<FleetSolution> SolveFleetAt(const FleetProblem& p, double duration_s, const FleetRelax& relax = {});

// A serving fleet: every level is one serving instance (a layout on
// `chips` chips delivering `tokens_per_s` output tokens/s within the SLOs).
// Replicas are independent (a router spreads requests by capacity), so n
// instances deliver exactly n x tokens_per_s and the counts are integers:
//   n[g,l] in {0, 1, ..., ub}      instances of level l of group g
//   sum T n >= R                    the target rate
//   sum site_mw n <= power cap;  sum capex n <= budget
//   sum_{g of chip c} chips n <= supply[c];  sum_l chips n <= max chips per group
//   u[g] in {0,1}, n <= ub u, sum u <= 1   (one system unless heterogeneous)
//   minimise  sum (capex + horizon T usd_per_token) n       (cost)
//          or sum avg_mw n                                  (energy: MW, i.e. J per token at R)
//   kMaxRate: maximise sum T n without the rate row (the most the limits allow).
// ub = ceil(R / T) (more of one level is never cheaper); for kMaxRate the
// least count that breaks a limit.
enum class ServeFleetObjective { kCost, kEnergy, kMaxRate };

struct ServeFleetProblem {
  std::vector<FleetGroup> groups;
  double rate = 0;              // R: output tokens/s to sustain, > 0
  double horizon_s = 0;         // service period the cost objective counts, > 0
  double power_cap_mw = 0;      // 0: none
  double budget_usd = 0;        // 0: none
  std::vector<SupplyLimit> supply;
  double max_chips_per_group = 0;  // 0: none
  bool heterogeneous = false;   // more than one group in the fleet
  ServeFleetObjective objective = ServeFleetObjective::kCost;
};

// Capex + electricity over the horizon of a selection (counts included).
double ServeFleetCost(const ServeFleetProblem& p, const std::vector<FleetPick>& picks);

// The objective of FleetSolution is USD (cost), MW (energy) or tokens/s
// (kMaxRate). relax.deadline is ignored (the rate is the problem itself).
Result<FleetSolution> SolveServeFleet(const ServeFleetProblem& p, const FleetRelax& relax = {});

}  // namespace xpusim

#endif  // XPUSIM_PLAN_FLEET_MILP_H_
