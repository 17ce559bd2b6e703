#include "energy/power.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

Chip H100Like() {
  Chip c;
  c.tdp_w.value = 700;
  c.idle_power_w.value = 76.31;
  return c;
}

TEST(PowerTest, ReproducesH100Points) {
  const Chip c = H100Like();
  // shared/calibration/h100/power.json: idle 76.31 W, weight streaming 555.32 W,
  // sustained GEMM 697.0 W (at the 700 W cap).
  EXPECT_NEAR(ChipPowerW(c, {}), 76.31, 0.01);
  EXPECT_NEAR(ChipPowerW(c, {0, 1, 0}), 555.32, 555.32 * 0.05);
  EXPECT_NEAR(ChipPowerW(c, {1, 0, 0}), 697.0, 697.0 * 0.05);
}

TEST(PowerTest, DefaultIdleIsAFractionOfTdp) {
  Chip c;
  c.tdp_w.value = 400;
  EXPECT_NEAR(IdlePowerW(c), 48, 1e-9);
}

}  // namespace
}  // namespace xpusim
