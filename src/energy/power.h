// First power model: board power from what the chip is busy with.
//
//   P = idle + (tdp - idle) * (f_compute * 1 + f_memory * k_mem + f_comm * k_comm)
//
// f_* are the fractions of wall time the chip spends in compute-bound
// kernels, memory-bound kernels and communication/waiting. k_mem is the
// H100 measurement in shared/calibration/h100/power.json: weight streaming
// drew 555 W against 697 W for sustained GEMM and 76 W idle, so
// (555-76)/(697-76) = 0.77. k_comm (links busy, SMs mostly idle) is an
// estimate of 0.3 until measured.
#ifndef XPUSIM_ENERGY_POWER_H_
#define XPUSIM_ENERGY_POWER_H_

#include "xpusim/hardware.h"

namespace xpusim {

inline constexpr double kMemoryBoundPowerFactor = (555.32 - 76.31) / (697.04 - 76.31);
inline constexpr double kCommPowerFactor = 0.3;  // estimate
// Idle power when a chip file has none: 12% of TDP (H100: 76 W / 700 W = 11%).
inline constexpr double kDefaultIdleFraction = 0.12;

struct Activity {
  double compute = 0;  // fractions of wall time, summing to <= 1
  double memory = 0;
  double comm = 0;
};

double ChipPowerW(const Chip& chip, const Activity& a);
double IdlePowerW(const Chip& chip);

}  // namespace xpusim

#endif  // XPUSIM_ENERGY_POWER_H_
