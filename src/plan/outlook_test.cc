#include "plan/outlook.h"

#include <cmath>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>

#include "support/test_catalog.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const Catalog& Cat() { return test_support::TestCatalog(); }

fs::path Fixture() { return fs::path(XPUSIM_TEST_DIR) / "fixtures" / "outlook" / "small.yaml"; }

OutlookData Small() {
  auto d = LoadOutlookFile(Fixture(), Cat());
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return *d;
}

OutlookOptions Years(int from, int to) {
  OutlookOptions o;
  o.first_year = from;
  o.last_year = to;
  return o;
}

// Full-load facility power of `units` chips in `system`, written out from the
// definition: (TDP + node overhead / chips per node) x PUE.
double PowerGw(double units, double chip_w, const std::string& system) {
  const System& s = **Cat().FindSystem(system);
  return units * (chip_w + s.node_overhead_power_w.or_else(0) / s.chips_per_node) * s.pue.or_else(1.5) / 1e9;
}

TEST(OutlookTest, ShipmentsExtrapolateWithTheNewestChip) {
  const OutlookData d = Small();
  // lead: 2022 1000, 2023 2000 H100; growth 100%/yr -> 2024 4000, 2025 8000,
  // of the newest system then available (dgx-b200 from 2024).
  const auto lead = ExpandSupply(Cat(), *d.Find("lead"), 2025);
  ASSERT_EQ(lead.size(), 4u);
  EXPECT_EQ(lead[2].year, 2024);
  EXPECT_DOUBLE_EQ(lead[2].units.value, 4000);
  EXPECT_EQ(lead[2].chip_id, "b200");
  EXPECT_EQ(lead[2].system_id, "dgx-b200");
  EXPECT_TRUE(lead[2].extrapolated);
  EXPECT_DOUBLE_EQ(lead[3].units.value, 8000);
  // follow: 2024 500 910B, growth 0 -> 500 910C (CloudMatrix, 2025), then
  // 500 Ascend 970 (roadmap chip, 2026; no system).
  const auto follow = ExpandSupply(Cat(), *d.Find("follow"), 2026);
  ASSERT_EQ(follow.size(), 3u);
  EXPECT_EQ(follow[1].chip_id, "ascend-910c");
  EXPECT_EQ(follow[2].chip_id, "ascend-970");
  EXPECT_EQ(follow[2].system_id, "");
  EXPECT_DOUBLE_EQ(follow[2].units.value, 500);
}

TEST(OutlookTest, PerYearAggregatesByHand) {
  const OutlookData d = Small();
  auto r = ProjectOutlook(Cat(), d, "lead", "follow", Years(2024, 2026));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->a.years.size(), 3u);
  // lead 2024, lifetime 2: shipments of 2023 (2000 H100) and 2024 (4000 B200).
  const OutlookYear& l24 = r->a.years[0];
  EXPECT_DOUBLE_EQ(l24.installed_units, 6000);
  EXPECT_DOUBLE_EQ(l24.new_units, 4000);
  EXPECT_NEAR(l24.installed_bf16_eflops, (2000 * 989.4 + 4000 * 2250) / 1e6, 1e-6);
  EXPECT_NEAR(l24.new_bf16_eflops, 9.0, 1e-9);
  EXPECT_TRUE(l24.extrapolated);
  EXPECT_NEAR(l24.power_gw, PowerGw(2000, 700, "dgx-h100") + PowerGw(4000, 1000, "dgx-b200"), 1e-9);
  // lead 2025: 4000 + 8000 B200 = 12000 x 2250 TF = 27 EFLOPS, FP8 54.
  const OutlookYear& l25 = r->a.years[1];
  EXPECT_DOUBLE_EQ(l25.installed_units, 12000);
  EXPECT_NEAR(l25.installed_bf16_eflops, 27.0, 1e-9);
  EXPECT_NEAR(l25.installed_fp8_eflops, 54.0, 1e-9);
  EXPECT_EQ(l25.best_chip, "b200");
  // follow 2026: 500 910C (752 TF, no FP8: counted at BF16) + 500 Ascend 970
  // (2000 / 4000 TF, 1200 W from chip_power_w, default PUE 1.5, no node).
  const OutlookYear& f26 = r->b.years[2];
  EXPECT_DOUBLE_EQ(f26.installed_units, 1000);
  EXPECT_NEAR(f26.installed_bf16_eflops, (500 * 752 + 500 * 2000) / 1e6, 1e-9);
  EXPECT_NEAR(f26.installed_fp8_eflops, (500 * 752 + 500 * 4000) / 1e6, 1e-9);
  EXPECT_NEAR(f26.power_gw, PowerGw(500, 700, "cloudmatrix-384") + 500 * 1200 * 1.5 / 1e9, 1e-12);
  EXPECT_EQ(f26.best_chip, "ascend-970");
  // follow 2024: only 500 910B.
  EXPECT_NEAR(r->b.years[0].installed_bf16_eflops, 500 * 376 / 1e6, 1e-12);
}

TEST(OutlookTest, YearsBehindByHand) {
  const OutlookData d = Small();
  auto r = ProjectOutlook(Cat(), d, "lead", "follow", Years(2023, 2026));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->timeline_start, 2022);
  // Best BF16 chip: lead 2022-23 H100 989.4, 2024+ B200 2250; follow 2023-24
  // 910B 376, 2025 910C 752, 2026 Ascend 970 2000.
  // 2023: 376 <= lead's 2022 989.4, the first year of the timeline -> >= 1.
  EXPECT_EQ(r->gaps[0].per_chip.kind, YearsBehind::Kind::kAtLeast);
  EXPECT_EQ(r->gaps[0].per_chip.years, 1);
  // 2025: 752 -> >= 3 (2025 - 2022).
  EXPECT_EQ(r->gaps[2].per_chip.kind, YearsBehind::Kind::kAtLeast);
  EXPECT_EQ(r->gaps[2].per_chip.years, 3);
  // 2026: 2000 first reached by the lead with B200 in 2024 -> exactly 2.
  EXPECT_EQ(r->gaps[3].per_chip.kind, YearsBehind::Kind::kExact);
  EXPECT_EQ(r->gaps[3].per_chip.years, 2);
  // The other way round, the lead is ahead: in 2024 its 2250 is never reached
  // by the follower within the timeline.
  auto rev = ProjectOutlook(Cat(), d, "follow", "lead", Years(2024, 2026));
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(rev->gaps[0].per_chip.kind, YearsBehind::Kind::kAheadOfRange);
}

TEST(OutlookTest, ComputeYearsBehindCases) {
  using K = YearsBehind::Kind;
  const std::vector<double> a = {1, 2, 4, 8};
  // b reaches 2 in year 3 (index 3): a had 2 at index 1 -> 2 years.
  YearsBehind g = ComputeYearsBehind(a, {kNaN, 1.5, 1.5, 2}, 3);
  EXPECT_EQ(g.kind, K::kExact);
  EXPECT_EQ(g.years, 2);
  // b's frontier never falls: a drop to 1 in year 3 keeps b at 2 (a had 2
  // at index 1 -> 3 - 1 = 2).
  g = ComputeYearsBehind(a, {kNaN, 1.5, 2, 1}, 3);
  EXPECT_EQ(g.years, 2);
  // b ahead: b has 4 at index 0, a reaches 4 at index 2 -> -2 (2 years ahead).
  g = ComputeYearsBehind(a, {4, 4, 4, 4}, 0);
  EXPECT_EQ(g.kind, K::kExact);
  EXPECT_EQ(g.years, -2);
  // b beyond anything a has.
  EXPECT_EQ(ComputeYearsBehind(a, {9, 9, 9, 9}, 1).kind, K::kAheadOfRange);
  // b below a's first value: a lower bound.
  g = ComputeYearsBehind(a, {0.5, 0.5, 0.5, 0.5}, 3);
  EXPECT_EQ(g.kind, K::kAtLeast);
  EXPECT_EQ(g.years, 3);
  // equal to a's first value: exact.
  g = ComputeYearsBehind(a, {kNaN, 1, 1, 1}, 2);
  EXPECT_EQ(g.kind, K::kExact);
  EXPECT_EQ(g.years, 2);
  EXPECT_EQ(ComputeYearsBehind(a, {kNaN, kNaN, kNaN, kNaN}, 3).kind, K::kNoData);
  // Within the 1% tolerance counts as matched: 2.01 is matched by a's 2 at
  // index 1; with no tolerance only a's 4 (index 2) matches it.
  EXPECT_EQ(ComputeYearsBehind(a, {kNaN, kNaN, kNaN, 2.01}, 3).years, 2);
  EXPECT_EQ(ComputeYearsBehind(a, {kNaN, kNaN, kNaN, 2.01}, 3, 0).years, 1);
}

// The workload: the best system of a year is the faster of those available,
// each searched on its own.
TEST(OutlookTest, WorkloadPicksTheFastestAvailableSystem) {
  const OutlookData d = Small();
  OutlookOptions o = Years(2023, 2025);
  o.model = *Cat().ResolveModel("llama3-8b");
  o.chips = 64;
  o.tokens = 1e12;
  o.workload.seq_len = 4096;
  o.workload.global_batch = 256;
  auto r = ProjectOutlook(Cat(), d, "lead", "follow", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto tps = [&](const std::string& sys) {
    auto ev = TrainEvaluator::Create(Cat(), *o.model, **Cat().FindSystem(sys), 64, o.workload, o.train);
    EXPECT_TRUE(ev.ok());
    SearchOptions so;
    so.top_k = 1;
    auto s = SearchPlans(*ev, so);
    EXPECT_TRUE(s.ok() && !s->top.empty());
    return s->top[0].result.tokens_per_s;
  };
  const double h100 = tps("dgx-h100"), b200 = tps("dgx-b200");
  ASSERT_GT(b200, h100);
  EXPECT_EQ(r->a.years[0].workload.system, "dgx-h100");  // 2023: only H100
  EXPECT_NEAR(r->a.years[0].workload.tokens_per_s, h100, 1e-6 * h100);
  EXPECT_EQ(r->a.years[1].workload.system, "dgx-b200");  // 2024: B200 is faster
  EXPECT_NEAR(r->a.years[1].workload.train_days, 1e12 / b200 / 86400, 1e-6);
  const double a910b = tps("atlas-800t-a2");
  EXPECT_NEAR(r->b.years[0].workload.tokens_per_s, a910b, 1e-6 * a910b);
  // The workload gap follows the definition on these numbers: in 2023 the
  // follower's 910B is below the lead's first year (2022, H100) -> >= 1.
  ASSERT_LT(a910b, h100);
  EXPECT_EQ(r->gaps[0].workload.kind, YearsBehind::Kind::kAtLeast);
  EXPECT_EQ(r->gaps[0].workload.years, 1);
}

// Bad data files: each is the fixture with one mistake; the message names
// the field and says what was meant.
TEST(OutlookTest, BadDataFilesAreRefusedWithTheField) {
  std::ifstream in(Fixture());
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct Case {
    std::string from, to, message;
  };
  const std::vector<Case> cases = {
      {"chip: h100-sxm, system: dgx-h100, units: {value: 1000", "chip: h100-sxn, system: dgx-h100, units: {value: 1000",
       "did you mean"},
      {"{year: 2022, chip: h100-sxm, system: dgx-h100", "{year: 2022, chip: b200, system: dgx-h100", "built from 'h100-sxm'"},
      {"units: {value: 1000, source: t", "units: {value: -5, source: t", "units.value"},
      {"units: {value: 2000, source: t", "units: {value: 2000, source: nope", "source"},
      {"chip_power_w:\n  ascend-970: {value: 1200, source: t, confidence: estimate}\n", "", "no TDP"},
      {"- id: follow", "- id: lead", "defined twice"},
      {"kind: outlook", "kind: outlok", "kind"},
      {"growth_per_year: {value: 0,", "growth_rate: {value: 0,", "growth_rate"},
      {"{system: dgx-b200, year: 2024,", "{system: dgx-b200, year: 1024,", "year"},
  };
  const fs::path dir = fs::temp_directory_path() / "xpusim_outlook_test";
  fs::create_directories(dir);
  for (const Case& c : cases) {
    std::string text = good;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    const fs::path p = dir / "bad.yaml";
    std::ofstream(p) << text;
    auto d = LoadOutlookFile(p, Cat());
    ASSERT_FALSE(d.ok()) << c.to;
    EXPECT_NE(d.status().message().find(c.message), std::string::npos) << c.to << ": " << d.status().message();
    EXPECT_NE(d.status().message().find("bad.yaml"), std::string::npos) << d.status().message();
  }
  fs::remove_all(dir);
}

TEST(OutlookTest, ShippedDataLoads) {
  auto d = LoadOutlookFile(DefaultOutlookFile(Cat()), Cat());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_NE(d->Find("us"), nullptr);
  EXPECT_NE(d->Find("china"), nullptr);
  auto r = ProjectOutlook(Cat(), *d, "us", "china", Years(2024, 2030));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Imports into China are screened: H20 (TPP 296 x 8 = 2,368) is below the
  // 3A090 thresholds, H200 (TPP 1,979 x 8 = 15,832) is 3A090.a (licensed
  // case by case from 2026, per the data file's source).
  bool h20 = false, h200 = false;
  for (const OutlookImport& im : r->b.imports) {
    if (im.chip_id == "h20") {
      h20 = true;
      EXPECT_NEAR(im.tpp, 2368, 1);
      EXPECT_EQ(im.classification.find("3A090.a"), std::string::npos) << im.classification;
    }
    if (im.chip_id == "h200-sxm") {
      h200 = true;
      EXPECT_NEAR(im.tpp, 15832, 1);
      EXPECT_EQ(im.classification, "3A090.a");
    }
  }
  EXPECT_TRUE(h20 && h200);
  EXPECT_TRUE(r->a.imports.empty());
  // 2024 US installed BF16 from the data by hand (lifetime 4: 2021-2024):
  // 2.64M A100 (312) + 3.76M H100 (989.4) + 3.5M H200 (989.5).
  EXPECT_NEAR(r->a.years[0].installed_bf16_eflops, (2.64e6 * 312 + 3.76e6 * 989.4 + 3.5e6 * 989.5) / 1e6, 1);
}

}  // namespace
}  // namespace xpusim
