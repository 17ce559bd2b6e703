#include "infer/serve_cost.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "xpusim/catalog.h"

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

Result<CostSettings> ServeCostSettings(const ServeOptions& o) {
  if (!std::isfinite(o.utilization) || o.utilization < 0 || o.utilization > 1)
    return Status::Invalid(fmt::format("--utilization must be in (0, 1] (got {})", o.utilization));
  XPU_ASSIGN_OR_RETURN(CostData data, DefaultCostData(Catalog::DefaultDataDir()));
  CostSettings s = SettingsFrom(data);
  s.usd_per_kwh = o.usd_per_kwh;
  s.amortization_years = o.amortization_years;
  if (o.utilization > 0) s.utilization = o.utilization;
  return s;
}

ClusterCapex ServeCapex(const Chip& chip, const System& system, int64_t chips, const CostSettings& cost) {
  return ComputeClusterCapex(chip, system, static_cast<double>(chips), cost, NodeCharge::kProRata);
}

double ServeUsdPerMtok(const ClusterCapex& capex, const CostSettings& cost, double wall_kw, double tokens_per_s) {
  if (!capex.price_known || !(tokens_per_s > 0)) return 0;
  return UsdPerMillionTokens(Hourly(capex, cost, wall_kw).total_usd(), tokens_per_s);
}

ServeEconomics ComputeServeEconomics(const PowerModel& power, const System& system, int64_t chips,
                                     const Activity& activity, double tokens_per_s, const ServeOptions& o,
                                     const CostSettings& cost, const ClusterCapex& capex) {
  ServeEconomics e;
  // Without a TDP the power model has nothing to scale (energy/power.h):
  // power, energy and cost are unknown, not zero.
  e.power_known = power.tdp_w() > 0;
  e.power_w_per_chip = power.ChipPowerW(activity);
  const double nodes = static_cast<double>(chips) / std::max(1, system.chips_per_node);
  const double pue = o.pue > 0 ? o.pue : system.pue.or_else(1.0);
  const double it_w = e.power_w_per_chip * chips + nodes * system.node_overhead_power_w.or_else(0);
  e.cluster_power_kw = it_w * pue / 1e3;
  e.cost_known = capex.price_known && e.power_known;
  if (!(tokens_per_s > 0)) return e;
  e.energy_per_token_j = e.cluster_power_kw * 1e3 / tokens_per_s;
  e.cost_per_mtok_usd = ServeUsdPerMtok(capex, cost, e.cluster_power_kw, tokens_per_s);
  return e;
}

}  // namespace xpusim
