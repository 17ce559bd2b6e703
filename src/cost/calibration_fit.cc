#include "cost/calibration_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace xpusim {
namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Logit(double p) { return std::log(p / (1.0 - p)); }

double AbsLogError(double predicted, double measured) {
  if (!(predicted > 0) || !std::isfinite(predicted)) return 50.0;
  return std::fabs(std::log(predicted / measured));
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

GemmCurve DecodeGemm(const std::vector<double>& x, GemmCurve c) {
  c.eff_max = Sigmoid(x[0]);
  c.k_half = std::exp(x[1]);
  c.launch_s = std::exp(x[2]);
  c.mem_eff = Sigmoid(x[3]);
  c.quant_weight = Sigmoid(x[4]);
  return c;
}

AttentionCurve DecodeAttention(const std::vector<double>& x) {
  AttentionCurve c;
  c.eff_max = Sigmoid(x[0]);
  c.tail = 2.0 * Sigmoid(x[1]);
  // Bounded so the fit stays physical with few points: a query block costs
  // at most 16 kv-blocks of overhead, a call at most 25 us of fixed time (the GEMM dispatch floor is ~16 us).
  c.block_overhead = 16.0 * Sigmoid(x[2]);
  c.launch_s = 25e-6 * Sigmoid(x[3]);
  return c;
}

// Restarts Nelder-Mead from its own optimum a few times (it stalls on the
// kinks an L1 objective has).
std::vector<double> Minimise(const std::function<double(const std::vector<double>&)>& f,
                             std::vector<double> x, const std::vector<double>& step) {
  for (int r = 0; r < 4; ++r) x = NelderMead(f, x, step, 600);
  return x;
}

}  // namespace

ErrorStats ComputeErrorStats(const std::vector<double>& predicted, const std::vector<double>& measured) {
  ErrorStats s;
  std::vector<double> err;
  for (size_t i = 0; i < predicted.size() && i < measured.size(); ++i)
    err.push_back(std::fabs(predicted[i] / measured[i] - 1.0));
  s.count = static_cast<int>(err.size());
  s.median = Quantile(err, 0.5);
  s.p90 = Quantile(err, 0.9);
  s.max = err.empty() ? 0 : *std::max_element(err.begin(), err.end());
  return s;
}

std::vector<double> NelderMead(const std::function<double(const std::vector<double>&)>& f,
                               std::vector<double> x0, const std::vector<double>& step,
                               int max_evals) {
  const size_t n = x0.size();
  std::vector<std::vector<double>> pts(n + 1, x0);
  std::vector<double> val(n + 1);
  for (size_t i = 0; i < n; ++i) pts[i + 1][i] += step[i];
  int evals = 0;
  for (size_t i = 0; i <= n; ++i) val[i] = f(pts[i]), ++evals;
  std::vector<size_t> order(n + 1);
  while (evals < max_evals) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return val[a] < val[b]; });
    const size_t best = order[0], worst = order[n], second = order[n - 1];
    if (std::fabs(val[worst] - val[best]) < 1e-10 * (1 + std::fabs(val[best]))) break;
    std::vector<double> centroid(n, 0.0);
    for (size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (size_t j = 0; j < n; ++j) centroid[j] += pts[i][j] / n;
    auto along = [&](double t) {
      std::vector<double> p(n);
      for (size_t j = 0; j < n; ++j) p[j] = centroid[j] + t * (pts[worst][j] - centroid[j]);
      return p;
    };
    std::vector<double> xr = along(-1.0);
    const double fr = f(xr); ++evals;
    if (fr < val[best]) {
      std::vector<double> xe = along(-2.0);
      const double fe = f(xe); ++evals;
      if (fe < fr) pts[worst] = xe, val[worst] = fe;
      else pts[worst] = xr, val[worst] = fr;
    } else if (fr < val[second]) {
      pts[worst] = xr, val[worst] = fr;
    } else {
      std::vector<double> xc = along(fr < val[worst] ? -0.5 : 0.5);
      const double fc = f(xc); ++evals;
      if (fc < std::min(fr, val[worst])) {
        pts[worst] = xc, val[worst] = fc;
      } else {  // shrink towards the best point
        for (size_t i = 0; i <= n; ++i) {
          if (i == best) continue;
          for (size_t j = 0; j < n; ++j) pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
          val[i] = f(pts[i]), ++evals;
        }
      }
    }
  }
  size_t best = 0;
  for (size_t i = 1; i <= n; ++i)
    if (val[i] < val[best]) best = i;
  return pts[best];
}

Result<GemmFit> FitGemmCurve(const std::vector<GemmPoint>& points, const GemmEnv& env) {
  if (points.size() < 6)
    return Status::Invalid("FitGemmCurve needs at least 6 measured shapes, got " +
                           std::to_string(points.size()));
  if (!(env.peak_flops > 0) || !(env.bw_bytes_s > 0) || !(env.units >= 1))
    return Status::Invalid("FitGemmCurve: peak, bandwidth and unit count must be positive");
  for (const GemmPoint& p : points)
    if (p.m < 1 || p.n < 1 || p.k < 1 || p.batch < 1 || !(p.time_s > 0))
      return Status::Invalid("FitGemmCurve: shape " + std::to_string(p.m) + "x" + std::to_string(p.n) +
                             "x" + std::to_string(p.k) + " has a non-positive size or time");

  auto objective = [&](const GemmCurve& c) {
    double sum = 0;
    for (const GemmPoint& p : points)
      sum += AbsLogError(GemmCurveTimeS(c, env, p.m, p.n, p.k, p.batch), p.time_s);
    return sum;
  };
  const std::vector<double> x0 = {Logit(0.75), std::log(256.0), std::log(10e-6), Logit(0.85), Logit(0.5)};
  const std::vector<double> step = {0.5, 1.0, 0.7, 0.5, 1.5};

  GemmFit best;
  double best_val = std::numeric_limits<double>::infinity();
  for (double tm : {64.0, 128.0, 256.0}) {
    for (double tn : {128.0, 256.0}) {
      for (double sk : {256.0, 1024.0, 4096.0}) {
        GemmCurve shape;
        shape.tile_m = tm, shape.tile_n = tn, shape.split_k_min = sk;
        auto f = [&](const std::vector<double>& x) { return objective(DecodeGemm(x, shape)); };
        std::vector<double> x = Minimise(f, x0, step);
        const double v = f(x);
        if (v < best_val) best_val = v, best.curve = DecodeGemm(x, shape);
      }
    }
  }
  std::vector<double> measured;
  for (const GemmPoint& p : points) {
    best.predicted_s.push_back(GemmCurveTimeS(best.curve, env, p.m, p.n, p.k, p.batch));
    measured.push_back(p.time_s);
  }
  best.stats = ComputeErrorStats(best.predicted_s, measured);
  return best;
}

Result<AttentionFit> FitAttentionCurves(const std::vector<AttentionPoint>& points, double peak_flops,
                                        double bw_bytes_s, double elem_bytes, double units) {
  if (points.size() < 3)
    return Status::Invalid("FitAttentionCurves needs at least 3 measured shapes, got " +
                           std::to_string(points.size()));
  for (const AttentionPoint& p : points)
    if (!(p.fwd_s > 0) || !(p.fwd_bwd_s > p.fwd_s))
      return Status::Invalid("FitAttentionCurves: each point needs 0 < fwd_s < fwd_bwd_s");

  auto fit_one = [&](bool backward) {
    const double ff = backward ? kAttentionBackwardFlopsFactor : 1.0;
    const double bf = backward ? kAttentionBackwardBytesFactor : 1.0;
    auto f = [&](const std::vector<double>& x) {
      const AttentionCurve c = DecodeAttention(x);
      double sum = 0;
      for (const AttentionPoint& p : points) {
        const double t = AttentionCurveTimeS(c, ff * AttentionForwardFlops(p.dims),
                                             bf * AttentionForwardBytes(p.dims, elem_bytes), p.dims,
                                             peak_flops, bw_bytes_s, units);
        sum += AbsLogError(t, backward ? p.fwd_bwd_s - p.fwd_s : p.fwd_s);
      }
      return sum;
    };
    const std::vector<double> x0 = {Logit(0.7), 0.0, Logit(2.0 / 16), Logit(10.0 / 25)};
    return DecodeAttention(Minimise(f, x0, {0.5, 1.0, 1.0, 1.0}));
  };
  AttentionFit fit;
  fit.forward = fit_one(false);
  fit.backward = fit_one(true);
  std::vector<double> m_fwd, m_fb, m_b, p_b;
  for (const AttentionPoint& p : points) {
    const double flops = AttentionForwardFlops(p.dims), bytes = AttentionForwardBytes(p.dims, elem_bytes);
    const double tf = AttentionCurveTimeS(fit.forward, flops, bytes, p.dims, peak_flops, bw_bytes_s, units);
    const double tb = AttentionCurveTimeS(fit.backward, kAttentionBackwardFlopsFactor * flops,
                                          kAttentionBackwardBytesFactor * bytes, p.dims, peak_flops,
                                          bw_bytes_s, units);
    fit.predicted_fwd_s.push_back(tf);
    fit.predicted_fwd_bwd_s.push_back(tf + tb);
    p_b.push_back(tb);
    m_fwd.push_back(p.fwd_s), m_fb.push_back(p.fwd_bwd_s), m_b.push_back(p.fwd_bwd_s - p.fwd_s);
  }
  fit.fwd = ComputeErrorStats(fit.predicted_fwd_s, m_fwd);
  fit.fwd_bwd = ComputeErrorStats(fit.predicted_fwd_bwd_s, m_fb);
  fit.bwd = ComputeErrorStats(p_b, m_b);
  return fit;
}

Result<MemoryFit> FitMemoryCurves(const std::vector<MemoryPoint>& points, double bw_bytes_s) {
  if (points.size() < 2) return Status::Invalid("FitMemoryCurves needs at least 2 points");
  std::vector<std::string> ops;
  for (const MemoryPoint& p : points) {
    if (!(p.bytes > 0) || !(p.time_s > 0))
      return Status::Invalid("FitMemoryCurves: op '" + p.op + "' has non-positive bytes or time");
    if (std::find(ops.begin(), ops.end(), p.op) == ops.end()) ops.push_back(p.op);
  }
  auto op_index = [&](const std::string& op) {
    return static_cast<size_t>(std::find(ops.begin(), ops.end(), op) - ops.begin());
  };
  // x[0] = log latency, x[1 + i] = logit eff of op i.
  auto f = [&](const std::vector<double>& x) {
    double sum = 0;
    for (const MemoryPoint& p : points)
      sum += AbsLogError(MemoryCurveTimeS(Sigmoid(x[1 + op_index(p.op)]), std::exp(x[0]), p.bytes, bw_bytes_s),
                         p.time_s);
    return sum;
  };
  std::vector<double> x0(1 + ops.size(), Logit(0.7)), step(1 + ops.size(), 0.7);
  x0[0] = std::log(5e-6), step[0] = 1.0;
  std::vector<double> x = Minimise(f, x0, step);
  MemoryFit fit;
  fit.latency_s = std::exp(x[0]);
  for (size_t i = 0; i < ops.size(); ++i) fit.eff_by_op.push_back({ops[i], Sigmoid(x[1 + i])});
  // Generic: one efficiency for all ops, latency kept.
  auto g = [&](const std::vector<double>& y) {
    double sum = 0;
    for (const MemoryPoint& p : points)
      sum += AbsLogError(MemoryCurveTimeS(Sigmoid(y[0]), fit.latency_s, p.bytes, bw_bytes_s), p.time_s);
    return sum;
  };
  fit.generic_eff = Sigmoid(Minimise(g, {Logit(0.7)}, {0.7})[0]);
  std::vector<double> measured;
  for (const MemoryPoint& p : points) {
    fit.predicted_s.push_back(
        MemoryCurveTimeS(fit.eff_by_op[op_index(p.op)].second, fit.latency_s, p.bytes, bw_bytes_s));
    measured.push_back(p.time_s);
  }
  fit.stats = ComputeErrorStats(fit.predicted_s, measured);
  return fit;
}

}  // namespace xpusim
