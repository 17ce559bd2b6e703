// Power, energy per token and cost per million tokens of a serving
// deployment (DESIGN C6 applied to C4), on the same cost model as training
// and the fleet planner (energy/cost.h):
//
//   power per chip   = PowerModel::ChipPowerW(activity) (energy/power.h: idle +
//                      busy share; compute at the burst clock's power under
//                      --burst-clocks)
//   wall power       = (chips x power + nodes x node overhead) x PUE
//   energy per token = wall power / tokens per second
//   cost per Mtok    = (capex per hour (hardware + network + facility, see
//                      energy/cost.h) + wall kW x $/kWh) / tokens per hour x 1e6
// Nodes are charged pro rata (a deployment smaller than a node pays its
// chips' share). Without a node or chip price the cost is unknown; without
// the chip's TDP the power, energy and cost are.
#ifndef XPUSIM_INFER_SERVE_COST_H_
#define XPUSIM_INFER_SERVE_COST_H_

#include <cstdint>

#include "energy/cost.h"
#include "energy/power.h"
#include "xpusim/hardware.h"
#include "xpusim/serve.h"

namespace xpusim {

// Busy shares of one step breakdown, weighted by `weight` (repetitions).
struct ActivityAccumulator {
  double compute = 0, memory = 0, comm = 0, wall = 0;
  void Add(const StepBreakdown& s, double weight);
  Activity Shares() const;
};

// data/energy/costs.yaml under the options' electricity price, hardware
// amortisation and utilisation. Fails on an unreadable costs file or a
// utilisation outside (0, 1].
Result<CostSettings> ServeCostSettings(const ServeOptions& options);

// Capex of a deployment of `chips` chips of `system` (nodes pro rata).
ClusterCapex ServeCapex(const Chip& chip, const System& system, int64_t chips, const CostSettings& cost);

// USD per million tokens of a deployment with capex `capex` drawing `wall_kw`
// and producing `tokens_per_s`; 0 when the price is unknown or no tokens.
double ServeUsdPerMtok(const ClusterCapex& capex, const CostSettings& cost, double wall_kw, double tokens_per_s);

struct ServeEconomics {
  double power_w_per_chip = 0;
  double cluster_power_kw = 0;
  double energy_per_token_j = 0;
  double cost_per_mtok_usd = 0;
  bool power_known = false;  // the chip has a TDP; else power, energy and cost are unknown
  bool cost_known = false;   // a price and a TDP
};

// `power`: the chip's power model (no TDP: power unknown). `capex`:
// ServeCapex of the deployment (both computed once by its evaluator).
ServeEconomics ComputeServeEconomics(const PowerModel& power, const System& system, int64_t chips,
                                     const Activity& activity, double tokens_per_s, const ServeOptions& options,
                                     const CostSettings& cost, const ClusterCapex& capex);

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_COST_H_
