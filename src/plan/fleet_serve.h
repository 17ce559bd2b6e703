// The serving target of `xpusim plan` (DESIGN C8 applied to C4): the fleet
// that sustains a rate of output tokens/s of one model with every request
// within the TPOT (and TTFT) SLOs, at the lowest cost or energy, under the
// same power, budget, supply and export limits as a training plan
// (doc/planning.md, "Serving targets").
//
// A serving fleet is a set of independent instances (replicas behind a
// router): n instances deliver exactly n times one instance's throughput.
// Each candidate system offers a ladder of instance sizes (whole nodes: 1,
// 2, 3, 4, 6, 8, ... nodes); each size is evaluated with the serving search
// (SearchServe, or SearchDisaggregatedSplit when disaggregated), which
// gives the layout and batch of the most output tokens/s meeting the SLOs.
// The MILP (SolveServeFleet) then buys integer numbers of instances, so
// the answer is exact over the instance sizes, not rounded to ladder rungs.
#ifndef XPUSIM_PLAN_FLEET_SERVE_H_
#define XPUSIM_PLAN_FLEET_SERVE_H_

#include <optional>

#include "energy/cost.h"
#include "plan/fleet_plan.h"
#include "plan/fleet_scenario.h"
#include "xpusim/catalog.h"
#include "xpusim/serve.h"

namespace xpusim {

// The serving workload of a scenario, resolved against the catalog.
struct ServeFleetJob {
  Model model;
  ServeDeployment base;         // weights and KV formats (layout searched)
  ServeOptions options;         // pue, usd_per_kwh, amortisation = service years
  ServeWorkload workload;       // input_len, output_len (batch searched)
  ServeSlo slo;
  bool disaggregated = false;
  CostSettings cost;            // capex of a cluster (energy/cost.h)
};

// REQUIRES: sc.serving.
Result<ServeFleetJob> MakeServeFleetJob(const Catalog& catalog, const FleetScenario& sc);

// One serving instance of `chips` chips of `system`: the best SLO-meeting
// layout and batch, with site MW (provisioned IT x PUE), average MW (the
// serving power model), capex (hardware + network + facility build) and
// energy per token. nullopt when nothing fits or meets the SLOs.
Result<std::optional<FleetRung>> ServeInstance(const Catalog& catalog, const ServeFleetJob& job, const System& system,
                                               int64_t chips);

Result<FleetPlanResult> PlanServeFleet(const Catalog& catalog, const FleetScenario& sc);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_FLEET_SERVE_H_
