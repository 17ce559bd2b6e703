// Fitting the efficiency curves of calibration_curves.h to measurements.
//
// Every fit minimises the sum of |log(predicted / measured)| over the points
// (an L1 fit in log space: relative errors, robust to the odd throttled or
// noisy measurement) with a Nelder-Mead search over the continuous
// parameters and a small grid over the discrete ones (tile shape, split-K).
// Deterministic: the same points give the same curve.
//
// Typical cost: ~100 GEMM points fit in tens of milliseconds; this is done
// offline (xpusim_calibrate writes fit.yaml) or once in Create() when a
// calibration directory has measurements but no fit.yaml.
#ifndef XPUSIM_COST_CALIBRATION_FIT_H_
#define XPUSIM_COST_CALIBRATION_FIT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cost/calibration_curves.h"
#include "xpusim/status.h"

namespace xpusim {

struct GemmPoint {
  int64_t m = 0, n = 0, k = 0, batch = 1;
  double time_s = 0;  // measured
};

struct AttentionPoint {
  AttentionDims dims;
  double fwd_s = 0;      // measured forward
  double fwd_bwd_s = 0;  // measured forward + backward
};

struct MemoryPoint {
  std::string op;  // "add", "rmsnorm", "silu_mul", "softmax", "copy", ...
  double bytes = 0;
  double time_s = 0;
};

// Relative errors |predicted / measured - 1|.
struct ErrorStats {
  int count = 0;
  double median = 0, p90 = 0, max = 0;
};
ErrorStats ComputeErrorStats(const std::vector<double>& predicted, const std::vector<double>& measured);

// Minimises f from x0 (initial simplex x0 + step_i e_i). Returns the best point.
std::vector<double> NelderMead(const std::function<double(const std::vector<double>&)>& f,
                               std::vector<double> x0, const std::vector<double>& step,
                               int max_evals);

struct GemmFit {
  GemmCurve curve;
  std::vector<double> predicted_s;  // per point, same order
  ErrorStats stats;
};
// Fits eff_max, k_half, launch_s, mem_eff, quant_weight (continuous) and
// tile_m, tile_n, split_k_min (grid) for one precision. `env` gives the
// chip's peak, bandwidth, element sizes and unit count the points were
// measured with. Fails on fewer than 6 points or non-positive times.
Result<GemmFit> FitGemmCurve(const std::vector<GemmPoint>& points, const GemmEnv& env);

struct AttentionFit {
  AttentionCurve forward, backward;
  std::vector<double> predicted_fwd_s, predicted_fwd_bwd_s;
  ErrorStats fwd, fwd_bwd, bwd;
};
// Forward curve from fwd_s; backward curve from fwd_bwd_s - fwd_s.
Result<AttentionFit> FitAttentionCurves(const std::vector<AttentionPoint>& points, double peak_flops,
                                        double bw_bytes_s, double elem_bytes, double units);

struct MemoryFit {
  double latency_s = 0;
  double generic_eff = 0;  // one efficiency for all ops together
  std::vector<std::pair<std::string, double>> eff_by_op;
  std::vector<double> predicted_s;  // with each point's own op efficiency
  ErrorStats stats;
};
// Shared latency, one bandwidth efficiency per op. A point with bytes > 0 and
// time_s <= 0 is not allowed; a "copy" point may carry only an asymptotic
// rate (time_s = bytes / rate) and then mostly pins the copy efficiency.
Result<MemoryFit> FitMemoryCurves(const std::vector<MemoryPoint>& points, double bw_bytes_s);

}  // namespace xpusim

#endif  // XPUSIM_COST_CALIBRATION_FIT_H_
