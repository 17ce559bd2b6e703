#include "energy/cost.h"

#include <fstream>

#include <gtest/gtest.h>

#include "xpusim/catalog.h"

namespace xpusim {
namespace {

TEST(CostDataTest, ShippedFileLoads) {
  auto d = DefaultCostData(Catalog::DefaultDataDir());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_GT(d->facility_capex_usd_per_mw.value, 1e6);
  EXPECT_FALSE(d->electricity_usd_per_kwh.source.empty());
}

TEST(CostDataTest, UnknownSourceTagIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / "xpusim_cost_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "costs.yaml";
  {
    std::ofstream out(file);
    out << "schema_version: 1\nsources: {a: {title: t, url: ''}}\n"
           "electricity_usd_per_kwh: {value: 0.1, source: b, confidence: estimate}\n";
  }
  auto d = LoadCostData(file);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("electricity_usd_per_kwh.source"), std::string::npos) << d.status().message();
}

TEST(CostTest, CapexAndHourlyArithmetic) {
  Chip chip;
  chip.tdp_w.value = 700;
  chip.price_usd.value = 30000;
  System sys;
  sys.chips_per_node = 8;
  sys.node_overhead_power_w.value = 4600;
  sys.node_price_usd.value = 269000;
  CostSettings s;
  s.network_capex_share = 0.2;
  s.facility_usd_per_mw = 10e6;
  s.amortization_years = 4;
  s.facility_amortization_years = 15;
  s.usd_per_kwh = 0.1;
  s.utilization = 0.5;
  const ClusterCapex c = ComputeClusterCapex(chip, sys, 16, s);
  EXPECT_EQ(c.nodes, 2);
  EXPECT_DOUBLE_EQ(c.hardware_usd, 2 * 269000.0);
  EXPECT_NEAR(c.network_usd, 538000 * 0.25, 1e-6);  // 20% of the total = 25% of hardware
  EXPECT_NEAR(c.provisioned_it_mw, (16 * 700 + 2 * 4600) / 1e6, 1e-12);
  EXPECT_NEAR(c.facility_usd, c.provisioned_it_mw * 10e6, 1e-6);
  const HourlyCost h = Hourly(c, s, 30);
  const double hours = 365.25 * 24;
  EXPECT_NEAR(h.hardware_usd, 538000 / (4 * hours * 0.5), 1e-9);
  EXPECT_NEAR(h.facility_usd, c.facility_usd / (15 * hours * 0.5), 1e-9);
  EXPECT_NEAR(h.electricity_usd, 30 * 0.1, 1e-12);
  EXPECT_NEAR(UsdPerMillionTokens(3.6, 1000), 3.6 / 3.6e6 * 1e6, 1e-12);
  // Without a node price the chips' price is used.
  sys.node_price_usd = SourcedValue{};
  EXPECT_DOUBLE_EQ(ComputeClusterCapex(chip, sys, 16, s).hardware_usd, 16 * 30000.0);
}

}  // namespace
}  // namespace xpusim
