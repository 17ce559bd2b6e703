// Power, energy per token and cost per million tokens of a serving
// deployment (DESIGN C6 applied to C4).
//
//   power per chip   = ChipPowerW(activity) (energy/power.h: idle + busy share)
//   wall power       = (chips x power + nodes x node overhead) x PUE
//   energy per token = wall power / tokens per second
//   cost per Mtok    = (capex / amortisation period + wall kW x $/kWh) / tokens per s x 1e6
// Capex is the system's node price per node when known, else the chip price.
#ifndef XPUSIM_INFER_SERVE_COST_H_
#define XPUSIM_INFER_SERVE_COST_H_

#include <cstdint>

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

struct ServeEconomics {
  double power_w_per_chip = 0;
  double cluster_power_kw = 0;
  double energy_per_token_j = 0;
  double cost_per_mtok_usd = 0;
};

ServeEconomics ComputeServeEconomics(const Chip& chip, const System& system, int64_t chips,
                                     const Activity& activity, double tokens_per_s,
                                     const ServeOptions& options);

// Capex written off per second of service: node price pro rata by chips
// (chip price when the system has none) over the amortisation period.
double CapexPerSecondUsd(const Chip& chip, const System& system, int64_t chips, const ServeOptions& options);

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_COST_H_
