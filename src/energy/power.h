// Chip power from what the chip is busy with, and what a power cap does to
// its clock and compute rate (DESIGN C6).
//
// Physics. Dynamic power of the compute units ~ activity x f x V(f)^2 with a
// linear voltage/frequency line V(f)/V(f_max) = a + (1 - a) f/f_max, so at
// clock ratio x = f / f_max
//     P_compute(x) = idle + K_c * x * (a + (1 - a) x)^2          (full GEMM load)
// The firmware lowers the clock until P_compute(x) = min(TDP, cap): the
// sustained clock. GEMM rate scales with the clock, so the sustained compute
// factor (sustained / calibrated burst rate) is x_sustained / x_burst, where
// x_burst is the effective clock ratio of the calibration's short bursts.
// Memory-bound kernels run at
//     P_memory = idle + k_mem (TDP - idle)
// and keep their speed under a cap (HBM bandwidth does not follow the SM
// clock); communication/waiting draws idle + k_comm (TDP - idle). Every phase
// is bounded by the cap.
//
// Fit (H100 SXM, data/calibration/h100-sxm/power.json, 700 W limit, 1980 MHz
// max clock): idle 76.3 W; sustained bf16 GEMM 697 W at a median 1365 MHz and
// 672.2 TFLOP/s vs 772.6 in a short burst; weight-streaming GEMV 555 W at
// 1980 MHz.
//   - x_sustained = 1365/1980 = 0.689 at the 700 W limit, so K_c follows from
//     P_compute(0.689) = TDP (1432 W: an unthrottled full-clock GEMM would draw
//     about twice the TDP, which is why every Hopper throttles on GEMMs).
//   - The GEMM reaches the same fraction of its clock-peak at both clocks
//     (672.2 TFLOP/s = 0.911 x 132 SMs x 4096 FLOP/clk x 1.365 GHz), so the
//     772.6 TFLOP/s burst ran at an effective 1569 MHz (clocks already falling
//     from 1980 within the ~30 ms burst): x_burst = 0.792 of f_max.
//   - k_mem = (555.3 - 76.3) / (697 - 76.3) = 0.77 (GEMV at full clock).
// Hence the 0.870 sustained factor = 1365 / 1569: the power limit, not the
// kernel. For other chips the same shape is scaled: their TDP and idle, the
// H100's x_burst and voltage floor, and K_c set so that at the TDP the model
// reproduces the chip's sustained factor from data/calibration/defaults.yaml
// (1.0 = "a GEMM at burst clock just reaches the TDP"); a cap below the TDP
// then throttles further.
#ifndef XPUSIM_ENERGY_POWER_H_
#define XPUSIM_ENERGY_POWER_H_

#include "xpusim/hardware.h"
#include "xpusim/status.h"

namespace xpusim {

inline constexpr double kMemoryBoundPowerFactor = (555.32 - 76.31) / (697.04 - 76.31);
inline constexpr double kCommPowerFactor = 0.3;  // estimate: links busy, SMs mostly idle
// Idle power when a chip file has none: 12% of TDP (H100: 76 W / 700 W = 11%).
inline constexpr double kDefaultIdleFraction = 0.12;
// V(0)/V(f_max) of the linear voltage-frequency line: typical GPU DVFS tables
// run about 0.70 V at 1 GHz and 1.05 V at 2 GHz (estimate, not measured).
inline constexpr double kVoltageFloor = 0.34;
// H100 measurement (power.json, peaks.json) behind the fit above.
inline constexpr double kH100MaxClockMhz = 1980;
inline constexpr double kH100SustainedClockMhz = 1365;
inline constexpr double kH100SustainedTflops = 672.2;
inline constexpr double kH100BurstTflops = 772.6;
// Effective clock ratio of calibrated (burst) rates: 1365 / (672.2/772.6) / 1980.
inline constexpr double kBurstClockRatio =
    kH100SustainedClockMhz / (kH100SustainedTflops / kH100BurstTflops) / kH100MaxClockMhz;

struct Activity {
  double compute = 0;  // fractions of wall time, summing to <= 1
  double memory = 0;
  double comm = 0;
};

// x * (a + (1 - a) x)^2: dynamic power at clock ratio x relative to full clock.
double DynamicPowerShape(double x);

// The power model of one chip under one cap. Immutable; cheap to copy.
class PowerModel {
 public:
  // sustained_at_tdp: the chip's sustained / burst compute factor at its
  // TDP (ChipCostModel::SustainedComputeFactor(), in (0, 1]).
  // cap_w: board power cap; 0 = the TDP. Fails when the cap is above the
  // TDP, at or below idle power, or given for a chip without a TDP.
  static Result<PowerModel> Create(const Chip& chip, double sustained_at_tdp, double cap_w = 0);

  double idle_w() const { return idle_w_; }
  double tdp_w() const { return tdp_w_; }
  double cap_w() const { return cap_w_; }
  // Full-GEMM board power at clock ratio x = f / f_max, uncapped.
  double ComputePowerAtClockW(double x) const;
  // Clock ratio (f / f_max) of compute-bound kernels under the cap.
  double compute_clock_ratio() const { return x_cap_; }
  // Sustained / calibrated-burst compute rate under the cap (0, 1].
  double compute_factor() const { return x_cap_ / kBurstClockRatio; }
  // Board power in each phase, under the cap.
  double compute_w() const { return compute_w_; }
  double memory_w() const { return memory_w_; }
  double comm_w() const { return comm_w_; }
  // Average board power over a step with these activity fractions (the rest idle).
  double ChipPowerW(const Activity& a) const;
  // The what-if of --burst-clocks: the same chip with compute-bound kernels
  // at clock ratio x regardless of the TDP and cap. They then draw
  // ComputePowerAtClockW(x), which can exceed the TDP (H100 at its burst
  // clock: about 920 W), so running faster costs more energy per FLOP (V^2),
  // never less. Memory and communication phases keep their power.
  PowerModel AtClockRatio(double x) const;

 private:
  double idle_w_ = 0, tdp_w_ = 0, cap_w_ = 0;
  double k_compute_w_ = 0;  // K_c
  double x_cap_ = kBurstClockRatio;
  double compute_w_ = 0, memory_w_ = 0, comm_w_ = 0;
};

double IdlePowerW(const Chip& chip);

}  // namespace xpusim

#endif  // XPUSIM_ENERGY_POWER_H_
