#include "reliability/goodput.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include <fmt/format.h>

namespace xpusim::reliability {

double DalyInterval(double c, double m) {
  if (!std::isfinite(m)) return std::numeric_limits<double>::infinity();
  if (c >= 2 * m) return m;
  if (c <= 0) return 0;
  const double x = c / (2 * m);
  return std::sqrt(2 * c * m) * (1 + std::sqrt(x) / 3 + x / 9) - c;
}

double ExpectedSegmentWall(double a, double r, double m) {
  if (!std::isfinite(m)) return a;
  return m * std::exp(r / m) * std::expm1(a / m);
}

namespace {

Status CheckParams(const RunParams& p) {
  auto bad = [](double v, bool allow_inf) { return std::isnan(v) || v < 0 || (!allow_inf && std::isinf(v)); };
  if (bad(p.work_s, false)) return Status::Invalid(fmt::format("reliability: work time must be finite and >= 0 (got {})", p.work_s));
  if (bad(p.mtbf_s, true) || p.mtbf_s == 0)
    return Status::Invalid(fmt::format("reliability: MTBF must be > 0 (got {})", p.mtbf_s));
  if (bad(p.checkpoint_s, false))
    return Status::Invalid(fmt::format("reliability: checkpoint time must be finite and >= 0 (got {})", p.checkpoint_s));
  if (bad(p.restart_s, false))
    return Status::Invalid(fmt::format("reliability: restart time must be finite and >= 0 (got {})", p.restart_s));
  if (bad(p.interval_s, false))
    return Status::Invalid(fmt::format("reliability: checkpoint interval must be finite and >= 0 (got {})", p.interval_s));
  return Status::Ok();
}

// The interval used: the given one, else Daly's; a run shorter than one
// interval checkpoints once, at its end. Never 0 for work > 0.
double UsedInterval(const RunParams& p) {
  double tau = p.interval_s > 0 ? p.interval_s : DalyInterval(p.checkpoint_s, p.mtbf_s);
  if (!(tau > 0) || tau > p.work_s) tau = p.work_s;
  // Guard against absurdly many segments (C ~ 0 with a huge MTBF gives tau
  // ~ 0): at most 1e9 segments; beyond that checkpoints cost nothing anyway.
  if (p.work_s > 0) tau = std::max(tau, p.work_s / 1e9);
  return tau;
}

}  // namespace

Result<ClosedForm> Evaluate(const RunParams& p) {
  XPU_RETURN_IF_ERROR(CheckParams(p));
  ClosedForm out;
  out.young_interval_s = std::isfinite(p.mtbf_s) ? std::sqrt(2 * p.checkpoint_s * p.mtbf_s) : 0;
  if (p.work_s == 0) {
    out.goodput = 1;
    return out;
  }
  const double tau = UsedInterval(p);
  out.interval_s = tau;
  const double full = std::floor(p.work_s / tau);
  const double rem = p.work_s - full * tau;
  const bool partial = rem > tau * 1e-9;
  out.checkpoints = full + (partial ? 1 : 0);
  out.expected_wall_s = full * ExpectedSegmentWall(tau + p.checkpoint_s, p.restart_s, p.mtbf_s) +
                        (partial ? ExpectedSegmentWall(rem + p.checkpoint_s, p.restart_s, p.mtbf_s) : 0);
  if (!std::isfinite(out.expected_wall_s)) {
    return Status::Precondition(fmt::format(
        "reliability: the run would practically never finish: a checkpoint segment of {:.0f} s against a fleet "
        "MTBF of {:.0f} s; use fewer chips, faster storage (--storage-gb-s) or shorter checkpoint writes",
        tau + p.checkpoint_s, p.mtbf_s));
  }
  out.goodput = p.work_s / out.expected_wall_s;
  out.interruptions = std::isfinite(p.mtbf_s) ? out.expected_wall_s / p.mtbf_s : 0;
  return out;
}

namespace {

// Exponential draw with mean m by inverse transform on 53 random bits: the
// same sequence on every standard library (std::exponential_distribution is
// implementation-defined).
double DrawExp(std::mt19937_64& rng, double m) {
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
  return -m * std::log1p(-u);
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  const double f = pos - static_cast<double>(i);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] * (1 - f) + sorted[i + 1] * f;
}

}  // namespace

Result<MonteCarlo> SimulateRun(const RunParams& p, int64_t trials, uint64_t seed) {
  if (trials < 1 || trials > 1'000'000)
    return Status::Invalid(fmt::format("--trials must be between 1 and 1000000 (got {})", trials));
  XPU_ASSIGN_OR_RETURN(ClosedForm cf, Evaluate(p));
  // Work is bounded by the expected number of failures (each draws once).
  const double events = (cf.interruptions + 1) * static_cast<double>(trials);
  if (events > 1e9) {
    return Status::Invalid(fmt::format(
        "reliability: {} trials would simulate about {:.2g} failures; use fewer --trials", trials, events));
  }
  MonteCarlo mc;
  mc.trials = trials;
  mc.seed = seed;
  std::mt19937_64 rng(seed);
  const double m = p.mtbf_s, r = p.restart_s, c = p.checkpoint_s;
  const double tau = cf.interval_s;
  const double full = p.work_s > 0 ? std::floor(p.work_s / tau) : 0;
  const double rem = p.work_s - full * tau;
  const bool partial = p.work_s > 0 && rem > tau * 1e-9;
  std::vector<double> walls(static_cast<size_t>(trials)), fails(static_cast<size_t>(trials));
  const bool no_failures = !std::isfinite(m);
  for (int64_t t = 0; t < trials; ++t) {
    double wall = 0, n_fail = 0;
    double next = no_failures ? std::numeric_limits<double>::infinity() : DrawExp(rng, m);
    // Completes one stretch of `a` seconds that must run without a failure,
    // paying restarts (which may fail too) after each failure.
    auto run_segment = [&](double a) {
      for (;;) {
        if (next >= a) {
          next -= a;
          wall += a;
          return;
        }
        wall += next;
        n_fail += 1;
        next = DrawExp(rng, m);
        for (;;) {  // restart
          if (next >= r) {
            next -= r;
            wall += r;
            break;
          }
          wall += next;
          n_fail += 1;
          next = DrawExp(rng, m);
        }
      }
    };
    const double a = tau + c;
    double done = 0;
    while (done < full) {
      // Skip the segments that end before the next failure in one step
      // (the process is memoryless, so this is exact).
      const double fit = no_failures ? full - done : std::min(full - done, std::floor(next / a));
      if (fit > 0) {
        wall += fit * a;
        if (!no_failures) next -= fit * a;
        done += fit;
        continue;
      }
      run_segment(a);
      done += 1;
    }
    if (partial) run_segment(rem + c);
    walls[static_cast<size_t>(t)] = wall;
    fails[static_cast<size_t>(t)] = n_fail;
  }
  double sum = 0, sum2 = 0, fsum = 0;
  for (size_t i = 0; i < walls.size(); ++i) {
    sum += walls[i];
    sum2 += walls[i] * walls[i];
    fsum += fails[i];
  }
  const double n = static_cast<double>(trials);
  mc.mean_wall_s = sum / n;
  mc.stddev_wall_s = std::sqrt(std::max(0.0, sum2 / n - mc.mean_wall_s * mc.mean_wall_s));
  mc.mean_interruptions = fsum / n;
  std::sort(walls.begin(), walls.end());
  std::sort(fails.begin(), fails.end());
  mc.p10_wall_s = Percentile(walls, 0.1);
  mc.p50_wall_s = Percentile(walls, 0.5);
  mc.p90_wall_s = Percentile(walls, 0.9);
  mc.p10_interruptions = Percentile(fails, 0.1);
  mc.p50_interruptions = Percentile(fails, 0.5);
  mc.p90_interruptions = Percentile(fails, 0.9);
  return mc;
}

}  // namespace xpusim::reliability
