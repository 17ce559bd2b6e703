#include "energy/power.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace xpusim {

double IdlePowerW(const Chip& chip) {
  return chip.idle_power_w.known() ? chip.idle_power_w.value
                                   : kDefaultIdleFraction * chip.tdp_w.or_else(0);
}

double DynamicPowerShape(double x) {
  const double v = kVoltageFloor + (1 - kVoltageFloor) * x;
  return x * v * v;
}

namespace {

// The x in [0, hi] with DynamicPowerShape(x) = s (the shape is increasing).
double InverseShape(double s, double hi) {
  if (s <= 0) return 0;
  if (DynamicPowerShape(hi) <= s) return hi;
  double lo = 0;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (DynamicPowerShape(mid) < s ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

Result<PowerModel> PowerModel::Create(const Chip& chip, double sustained_at_tdp, double cap_w) {
  if (!std::isfinite(cap_w) || cap_w < 0)
    return Status::Invalid(fmt::format("--power-cap-w must be a finite number >= 0 (got {})", cap_w));
  if (!(sustained_at_tdp > 0) || sustained_at_tdp > 1) sustained_at_tdp = 1.0;
  PowerModel m;
  m.tdp_w_ = chip.tdp_w.or_else(0);
  m.idle_w_ = std::min(IdlePowerW(chip), m.tdp_w_);
  if (!(m.tdp_w_ > 0)) {
    if (cap_w > 0)
      return Status::Invalid(fmt::format("--power-cap-w: chip '{}' has no TDP in its data file to cap", chip.id));
    m.x_cap_ = kBurstClockRatio * sustained_at_tdp;
    return m;
  }
  if (cap_w > m.tdp_w_ * (1 + 1e-9))
    return Status::Invalid(fmt::format("--power-cap-w {} W is above the TDP of {} ({} W); a cap can only lower power",
                                       cap_w, chip.id, m.tdp_w_));
  if (cap_w > 0 && cap_w <= m.idle_w_ * 1.05)
    return Status::Invalid(fmt::format("--power-cap-w {} W is at or below the idle power of {} ({:.0f} W); pick a cap above {:.0f} W",
                                       cap_w, chip.id, m.idle_w_, m.idle_w_ * 1.05));
  m.cap_w_ = cap_w > 0 ? cap_w : m.tdp_w_;
  // K_c: at the TDP, full-GEMM power equals the TDP at the chip's sustained clock.
  const double x_tdp = kBurstClockRatio * sustained_at_tdp;
  m.k_compute_w_ = (m.tdp_w_ - m.idle_w_) / DynamicPowerShape(x_tdp);
  m.x_cap_ = InverseShape((m.cap_w_ - m.idle_w_) / m.k_compute_w_, kBurstClockRatio);
  m.compute_w_ = std::min(m.cap_w_, m.ComputePowerAtClockW(m.x_cap_));
  m.memory_w_ = std::min(m.cap_w_, m.idle_w_ + kMemoryBoundPowerFactor * (m.tdp_w_ - m.idle_w_));
  m.comm_w_ = std::min(m.cap_w_, m.idle_w_ + kCommPowerFactor * (m.tdp_w_ - m.idle_w_));
  return m;
}

double PowerModel::ComputePowerAtClockW(double x) const { return idle_w_ + k_compute_w_ * DynamicPowerShape(x); }

PowerModel PowerModel::AtClockRatio(double x) const {
  PowerModel m = *this;
  if (!(tdp_w_ > 0) || !(x > 0)) return m;  // no TDP: nothing to scale
  m.x_cap_ = x;
  m.compute_w_ = ComputePowerAtClockW(x);
  return m;
}

double PowerModel::ChipPowerW(const Activity& a) const {
  const double c = std::clamp(a.compute, 0.0, 1.0);
  const double m = std::clamp(a.memory, 0.0, 1.0 - c);
  const double k = std::clamp(a.comm, 0.0, 1.0 - c - m);
  return idle_w_ + (compute_w_ - idle_w_) * c + (memory_w_ - idle_w_) * m + (comm_w_ - idle_w_) * k;
}


}  // namespace xpusim
