#include "infer/serve_cost.h"

#include <algorithm>
#include <cmath>

namespace xpusim {

void ActivityAccumulator::Add(const StepBreakdown& s, double weight) {
  const double ops = s.gemm + s.attention + s.memory_ops;
  compute += weight * s.compute_bound;
  memory += weight * std::max(0.0, ops - s.compute_bound);
  comm += weight * (s.tp_comm + s.ep_comm + s.pp_comm);
  wall += weight * s.total();
}

Activity ActivityAccumulator::Shares() const {
  Activity a;
  if (!(wall > 0)) return a;
  a.compute = compute / wall;
  a.memory = memory / wall;
  a.comm = comm / wall;
  return a;
}

double CapexPerSecondUsd(const Chip& chip, const System& system, int64_t chips, const ServeOptions& o) {
  const double nodes = static_cast<double>(chips) / std::max(1, system.chips_per_node);
  const double capex = system.node_price_usd.known() ? system.node_price_usd.value * nodes
                                                     : static_cast<double>(chips) * chip.price_usd.or_else(0);
  return capex / (o.amortization_years * 365.25 * 86400);
}

ServeEconomics ComputeServeEconomics(const Chip& chip, const System& system, int64_t chips,
                                     const Activity& activity, double tokens_per_s,
                                     const ServeOptions& o) {
  ServeEconomics e;
  e.power_w_per_chip = ChipPowerW(chip, activity);
  // A deployment smaller than a node is charged its chips' share of the node.
  const double nodes = static_cast<double>(chips) / std::max(1, system.chips_per_node);
  const double pue = o.pue > 0 ? o.pue : system.pue.or_else(1.0);
  const double it_w = e.power_w_per_chip * chips + nodes * system.node_overhead_power_w.or_else(0);
  e.cluster_power_kw = it_w * pue / 1e3;
  if (!(tokens_per_s > 0)) return e;
  e.energy_per_token_j = e.cluster_power_kw * 1e3 / tokens_per_s;
  const double capex_per_s = CapexPerSecondUsd(chip, system, chips, o);
  const double power_per_s = e.cluster_power_kw * o.usd_per_kwh / 3600;
  e.cost_per_mtok_usd = (capex_per_s + power_per_s) / tokens_per_s * 1e6;
  return e;
}

}  // namespace xpusim
