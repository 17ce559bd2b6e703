#include "energy/power.h"

#include <algorithm>

namespace xpusim {

double IdlePowerW(const Chip& chip) {
  return chip.idle_power_w.known() ? chip.idle_power_w.value
                                   : kDefaultIdleFraction * chip.tdp_w.or_else(0);
}

double ChipPowerW(const Chip& chip, const Activity& a) {
  const double tdp = chip.tdp_w.or_else(0);
  const double idle = IdlePowerW(chip);
  const double load = std::clamp(a.compute + a.memory * kMemoryBoundPowerFactor + a.comm * kCommPowerFactor, 0.0, 1.0);
  return idle + (tdp - idle) * load;
}

}  // namespace xpusim
