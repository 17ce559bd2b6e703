#include "reliability/failure_rates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace xpusim::reliability {
namespace {

const std::filesystem::path kRates = std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "reliability/failure_rates.yaml";

FailureRates Shipped() {
  auto r = LoadFailureRates(kRates);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : FailureRates{};
}

double ExpectedCount(const FailureRates& fr, int64_t chips, int per_node, double days) {
  return FleetRate(fr, CountUnits(fr, chips, per_node)).per_hour * 24 * days;
}

TEST(FailureRates, ShippedFileLoadsWithTheLlama3Breakdown) {
  const FailureRates fr = Shipped();
  ASSERT_EQ(fr.components.size(), 18u);
  EXPECT_EQ(fr.reference.chips, 16384);
  EXPECT_EQ(fr.reference.chip_id, "h100-sxm");
  EXPECT_DOUBLE_EQ(fr.checkpoint.bytes_per_param, 14);
  double sum = 0;
  for (const auto& c : fr.components) sum += c.reference_count;
  EXPECT_DOUBLE_EQ(sum, 419);
  // 148 faulty GPUs over 16,384 GPUs x 54 days, per 1,000 GPU-days.
  EXPECT_NEAR(fr.components.front().per_1000_unit_days, 0.167282, 1e-6);
}

TEST(FailureRates, ReproducesLlama3InterruptionsOn16kH100) {
  const FailureRates fr = Shipped();
  const double n = ExpectedCount(fr, 16384, 8, 54);
  EXPECT_NEAR(n, 419, 419 * 0.25);  // the issue's bar
  EXPECT_NEAR(n, 419, 1e-6);        // derived from those counts, so exact
  // GPU-related (faulty GPU, HBM3, SRAM, system processor, SDC, thermal):
  // 268 of 419 = 64%.
  const auto rate = FleetRate(fr, CountUnits(fr, 16384, 8));
  double gpu_hbm = 0;
  for (const auto& [g, v] : rate.per_group_per_hour)
    if (g == "gpu" || g == "hbm") gpu_hbm += v;
  EXPECT_NEAR(gpu_hbm * 24 * 54, 268, 1e-6);
  EXPECT_NEAR(rate.mtbf_h, 54 * 24 / 419.0, 1e-9);  // one every ~3.1 h
}

TEST(FailureRates, ScalesEachScopeWithItsUnits) {
  const FailureRates fr = Shipped();
  // 1,024 GPUs in 128 nodes: chip (268) and NIC (7) and node (107) counts
  // scale by 1/16; 1,024 NICs need a 2-tier Clos of 3 x 1024 / 64 = 48
  // switches against 1,280 in the reference (35 x 48/1280); the job-level
  // dependency count (2) stays.
  const double hand = 268 / 16.0 + 7 / 16.0 + 107 / 16.0 + 35 * 48 / 1280.0 + 2;
  EXPECT_NEAR(ExpectedCount(fr, 1024, 8, 54), hand, 1e-9);
  EXPECT_NEAR(hand, 27.1875, 1e-12);
}

TEST(FailureRates, ClosSwitchCounts) {
  struct Case { double endpoints; int radix; double switches; } cases[] = {
      {1, 64, 1}, {64, 64, 1}, {65, 64, 4}, {2048, 64, 96}, {2049, 64, 161}, {16384, 64, 1280}, {0, 64, 0}};
  for (const auto& c : cases) EXPECT_DOUBLE_EQ(ClosSwitches(c.endpoints, c.radix), c.switches) << c.endpoints;
}

const char* kGood = R"(schema_version: 1
sources: {m: "measured", est: "estimate"}
reference: {name: r, chip: x, chips: 100, chips_per_node: 4, days: 10, interruptions: 5, source: m}
fabric: {switch_radix: 64, nics_per_chip: 1, source: est}
checkpoint: {bytes_per_param: 14, storage_backend_max_gb_s: 0, read_bandwidth_factor: 1, restart_fixed_s: 60, source: est}
components:
  a: {name: A, group: gpu, scope: chip, reference_count: 5, source: m}
)";

TEST(FailureRates, ParsesAMinimalFile) {
  auto r = ParseFailureRates(kGood, "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 5 / (100 chips x 10 days) x 1000.
  EXPECT_DOUBLE_EQ(r->components[0].per_1000_unit_days, 5.0);
}

TEST(FailureRates, BadFilesNameTheField) {
  struct Case { std::string from, to, expect; } cases[] = {
      {"reference_count: 5, source: m}", "reference_count: 5, source: nope}", "components.a.source"},
      {"reference_count: 5", "reference_count: 4", "add up to 4"},
      {"reference_count: 5", "reference_count: 5, per_1000_unit_days: 1", "exactly one"},
      {"scope: chip", "scope: rack", "components.a.scope"},
      {"chips: 100", "chips: -3", "reference.chips"},
      {"days: 10", "days: .nan", "reference.days"},
      {"bytes_per_param: 14", "bytes_per_param: 0", "checkpoint.bytes_per_param"},
      {"switch_radix: 64", "switch_radix: x", "fabric.switch_radix"},
      {"schema_version: 1", "schema_version: 2", "schema_version"},
      {"group: gpu", "group: gpus", "components.a.group"},
  };
  for (const auto& c : cases) {
    std::string text = kGood;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    auto r = ParseFailureRates(text, "t.yaml");
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(ParseFailureRates("", "t.yaml").ok());
  EXPECT_FALSE(ParseFailureRates("[1, 2", "t.yaml").ok());
  EXPECT_FALSE(LoadFailureRates("/nonexistent/rates.yaml").ok());
}

}  // namespace
}  // namespace xpusim::reliability
