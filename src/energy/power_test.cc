#include "energy/power.h"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cost/chip_cost.h"
#include "xpusim/catalog.h"

namespace xpusim {
namespace {

Chip H100Like() {
  Chip c;
  c.id = "h100-like";
  c.tdp_w.value = 700;
  c.idle_power_w.value = 76.31;
  return c;
}

nlohmann::json PowerJson() {
  std::ifstream in(Catalog::DefaultDataDir() / "calibration" / "h100-sxm" / "power.json");
  return nlohmann::json::parse(in);
}

// The fit table of doc/energy_cost.md: measured (power.json, peaks.json)
// vs predicted by the model with the H100's sustained factor at 700 W.
TEST(PowerModelTest, ReproducesH100Measurements) {
  const nlohmann::json j = PowerJson();
  const double idle = j["idle"]["power_w"];
  const double gemm_w = j["sustained_bf16_gemm_8192"]["power_w"];
  const double gemm_mhz = j["sustained_bf16_gemm_8192"]["sm_clock_mhz"];
  const double gemm_tflops = j["sustained_bf16_gemm_8192"]["achieved_tflops"];
  const double gemv_w = j["sustained_memory_bound_gemv"]["power_w"];
  const double gemv_mhz = j["sustained_memory_bound_gemv"]["sm_clock_mhz"];
  auto pm = PowerModel::Create(H100Like(), kH100SustainedTflops / kH100BurstTflops, 0);
  ASSERT_TRUE(pm.ok()) << pm.status().ToString();
  EXPECT_NEAR(pm->ChipPowerW({}), idle, 0.05 * idle);
  EXPECT_NEAR(pm->ChipPowerW({1, 0, 0}), gemm_w, 0.05 * gemm_w);
  EXPECT_NEAR(pm->ChipPowerW({0, 1, 0}), gemv_w, 0.05 * gemv_w);
  // The sustained GEMM clock where P(f) = 700 W, and the compute rate it gives.
  EXPECT_NEAR(pm->compute_clock_ratio() * kH100MaxClockMhz, gemm_mhz, 0.05 * gemm_mhz);
  EXPECT_NEAR(pm->compute_factor() * kH100BurstTflops, gemm_tflops, 0.05 * gemm_tflops);
  // The memory-bound point ran at the full clock: below the limit.
  EXPECT_EQ(gemv_mhz, kH100MaxClockMhz);
  EXPECT_LT(pm->memory_w(), pm->cap_w());
}

TEST(PowerModelTest, CalibratedH100SustainedFactorComesOutOfThePowerModel) {
  auto cat = Catalog::Load(Catalog::DefaultDataDir());  // keep the Result alive
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  const Chip& h100 = **cat->FindChip("h100-sxm");
  auto cost = ChipCostModel::Create(h100, Catalog::DefaultDataDir() / "calibration");
  ASSERT_TRUE(cost.ok());
  auto pm = PowerModel::Create(h100, cost->SustainedComputeFactor(), 0);
  ASSERT_TRUE(pm.ok());
  EXPECT_NEAR(pm->compute_factor(), 672.2 / 772.6, 0.01);
  EXPECT_NEAR(pm->compute_clock_ratio() * kH100MaxClockMhz, 1365, 0.05 * 1365);
}

TEST(PowerModelTest, CapLowersClockAndRateButNotMemoryWork) {
  const Chip c = H100Like();
  double last_factor = 2, last_w = 1e9;
  for (double cap : {700.0, 600.0, 500.0, 400.0, 300.0, 200.0}) {
    auto pm = PowerModel::Create(c, 0.87, cap);
    ASSERT_TRUE(pm.ok()) << cap;
    EXPECT_LT(pm->compute_factor(), last_factor) << cap;
    EXPECT_LE(pm->ChipPowerW({1, 0, 0}), cap + 1e-6);
    EXPECT_LE(pm->ChipPowerW({0, 1, 0}), cap + 1e-6);
    EXPECT_LT(pm->ChipPowerW({1, 0, 0}), last_w);
    // P(f) at the solved clock is the cap.
    EXPECT_NEAR(pm->ComputePowerAtClockW(pm->compute_clock_ratio()), cap, 0.5);
    last_factor = pm->compute_factor();
    last_w = pm->ChipPowerW({1, 0, 0});
  }
  // Cubic-ish: a 500 W cap (71% of TDP) keeps more than 71% of the rate.
  auto pm500 = PowerModel::Create(c, 0.87, 500);
  EXPECT_GT(pm500->compute_factor() / 0.87, 500.0 / 700.0);
}

TEST(PowerModelTest, UnthrottledChipThrottlesOnlyBelowTdp) {
  Chip c = H100Like();
  auto at_tdp = PowerModel::Create(c, 1.0, 0);
  ASSERT_TRUE(at_tdp.ok());
  EXPECT_NEAR(at_tdp->compute_factor(), 1.0, 1e-9);
  EXPECT_NEAR(at_tdp->ChipPowerW({1, 0, 0}), 700, 1e-6);
  auto capped = PowerModel::Create(c, 1.0, 600);
  EXPECT_LT(capped->compute_factor(), 1.0);
}

// --burst-clocks: compute runs at the burst clock whatever the TDP, so it
// draws more than the TDP and each FLOP costs more energy: dynamic energy per
// cycle ~ V^2, and V(x)/V(1) = 0.34 + 0.66 x (hand: x_burst = 0.7924,
// x_sustained = 0.6894, (0.8630 / 0.7950)^2 = 1.178).
TEST(PowerModelTest, BurstClocksDrawMoreThanTheTdpAndCostMoreEnergyPerFlop) {
  auto pm = PowerModel::Create(H100Like(), 0.87, 0);
  ASSERT_TRUE(pm.ok());
  const PowerModel burst = pm->AtClockRatio(kBurstClockRatio);
  EXPECT_NEAR(burst.compute_factor(), 1.0, 1e-12);
  EXPECT_NEAR(burst.ChipPowerW({1, 0, 0}), 921.1, 1.0);
  const double j_per_work_burst = (burst.compute_w() - 76.31) / burst.compute_factor();
  const double j_per_work_sustained = (pm->compute_w() - 76.31) / pm->compute_factor();
  EXPECT_NEAR(j_per_work_burst / j_per_work_sustained, 1.178, 0.002);
  // Memory-bound and idle phases do not follow the SM clock.
  EXPECT_DOUBLE_EQ(burst.ChipPowerW({0, 1, 0}), pm->ChipPowerW({0, 1, 0}));
  EXPECT_DOUBLE_EQ(burst.ChipPowerW({}), pm->ChipPowerW({}));
}

TEST(PowerModelTest, RejectsBadCaps) {
  const Chip c = H100Like();
  EXPECT_FALSE(PowerModel::Create(c, 0.87, 800).ok());  // above TDP
  EXPECT_FALSE(PowerModel::Create(c, 0.87, 70).ok());   // below idle
  EXPECT_FALSE(PowerModel::Create(c, 0.87, -1).ok());
  Chip no_tdp;
  EXPECT_FALSE(PowerModel::Create(no_tdp, 1.0, 300).ok());
  EXPECT_TRUE(PowerModel::Create(no_tdp, 1.0, 0).ok());
}

TEST(PowerModelTest, DefaultIdleIsAFractionOfTdp) {
  Chip c;
  c.tdp_w.value = 400;
  EXPECT_NEAR(IdlePowerW(c), 48, 1e-9);
}

}  // namespace
}  // namespace xpusim
