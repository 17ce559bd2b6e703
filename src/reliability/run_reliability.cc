#include "reliability/run_reliability.h"

#include <cmath>

#include <fmt/format.h>

namespace xpusim::reliability {

namespace {
constexpr double kSecondsPerDay = 86400;
}  // namespace

Result<RunReliability> AnalyzeRun(const FailureRates& rates, const RunInputs& in) {
  if (in.chips < 1) return Status::Invalid(fmt::format("reliability: chips must be >= 1 (got {})", in.chips));
  if (in.chips_per_node < 1)
    return Status::Invalid(fmt::format("reliability: chips_per_node must be >= 1 (got {})", in.chips_per_node));
  if (!std::isfinite(in.params) || in.params <= 0)
    return Status::Invalid(fmt::format("reliability: the model must have parameters (got {})", in.params));
  if (!std::isfinite(in.train_s) || in.train_s <= 0)
    return Status::Invalid("reliability: the run needs a positive, finite training time; pass --tokens");
  if (!std::isfinite(in.storage_gb_s_override) || in.storage_gb_s_override < 0)
    return Status::Invalid(fmt::format("--storage-gb-s must be a finite number > 0 (got {})", in.storage_gb_s_override));

  RunReliability out;
  out.units = CountUnits(rates, in.chips, in.chips_per_node);
  out.rate = FleetRate(rates, out.units);
  out.rates_measured_on_chip = in.chip_id == rates.reference.chip_id;

  const CheckpointParams& cp = rates.checkpoint;
  if (!std::isfinite(in.checkpoint_bytes_per_param) || in.checkpoint_bytes_per_param < 0)
    return Status::Invalid(fmt::format("reliability: checkpoint bytes per parameter must be >= 0 (got {})",
                                       in.checkpoint_bytes_per_param));
  const double bytes_per_param = in.checkpoint_bytes_per_param > 0 ? in.checkpoint_bytes_per_param : cp.bytes_per_param;
  out.checkpoint_gb = in.params * bytes_per_param / 1e9;
  if (in.storage_gb_s_override > 0) {
    out.storage_gb_s = in.storage_gb_s_override;
    out.storage_basis = "--storage-gb-s";
  } else {
    const bool node_known = std::isfinite(in.node_storage_gb_s) && in.node_storage_gb_s > 0;
    const double fleet = node_known ? in.node_storage_gb_s * out.units.nodes : 0;
    const double cap = cp.storage_backend_max_gb_s;
    if (!node_known && cap <= 0)
      return Status::Invalid("reliability: the system has no storage_bandwidth_gb_s and no storage cap is set; "
                             "pass --storage-gb-s (aggregate checkpoint write bandwidth, GB/s)");
    if (node_known && (cap <= 0 || fleet <= cap)) {
      out.storage_gb_s = fleet;
      out.storage_basis = fmt::format("{:g} GB/s per node x {:g} nodes", in.node_storage_gb_s, out.units.nodes);
    } else {
      out.storage_gb_s = cap;
      out.storage_basis = fmt::format("storage back-end cap {:g} GB/s", cap);
    }
  }
  out.checkpoint_write_s = out.checkpoint_gb / out.storage_gb_s;
  out.restart_s = cp.restart_fixed_s + out.checkpoint_gb / (out.storage_gb_s * cp.read_bandwidth_factor);

  RunParams p;
  p.work_s = in.train_s;
  p.mtbf_s = out.rate.mtbf_h * 3600;
  p.checkpoint_s = out.checkpoint_write_s;
  p.restart_s = out.restart_s;
  p.interval_s = in.interval_s;
  XPU_ASSIGN_OR_RETURN(out.closed, Evaluate(p));
  out.train_days = in.train_s / kSecondsPerDay;
  out.effective_train_days = out.closed.expected_wall_s / kSecondsPerDay;
  out.interruptions_per_day = out.rate.per_hour * 24;
  if (in.trials > 0) {
    XPU_ASSIGN_OR_RETURN(MonteCarlo mc, SimulateRun(p, in.trials, in.seed));
    out.monte_carlo = mc;
  }
  return out;
}

}  // namespace xpusim::reliability
