// Export screening with hand-computed TPP and performance density, on
// in-memory chips and rules (no data files).
#include <gtest/gtest.h>

#include <cmath>

#include "xpusim/export_rules.h"

namespace xpusim {
namespace {

void Set(Chip* c, Precision p, double tflops) { c->dense_tflops[static_cast<int>(p)].value = tflops; }

// Public datasheet peaks (dense).
Chip H100() {
  Chip c;
  c.id = "h100-sxm";
  Set(&c, Precision::kFp32, 66.9);
  Set(&c, Precision::kTf32, 494.7);
  Set(&c, Precision::kBf16, 989.4);
  Set(&c, Precision::kFp16, 989.4);
  Set(&c, Precision::kFp8, 1978.9);
  Set(&c, Precision::kInt8, 1978.9);
  c.die_area_mm2.value = 814;
  c.scaleup_bandwidth_gb_s.value = 450;  // 900 GB/s bidirectional
  return c;
}

Chip H20() {
  Chip c;
  c.id = "h20";
  Set(&c, Precision::kFp16, 148);
  Set(&c, Precision::kBf16, 148);
  Set(&c, Precision::kFp8, 296);
  c.die_area_mm2.value = 814;
  c.scaleup_bandwidth_gb_s.value = 450;
  return c;
}

Chip A100() {
  Chip c;
  c.id = "a100-sxm-80gb";
  Set(&c, Precision::kTf32, 156);
  Set(&c, Precision::kBf16, 312);
  Set(&c, Precision::kInt8, 624);
  c.die_area_mm2.value = 826;
  c.scaleup_bandwidth_gb_s.value = 300;  // 600 GB/s bidirectional
  return c;
}

// The Oct-2023 thresholds (3A090.a / .b), and the Oct-2022 rule (TPP and I/O).
ExportRules TestRules() {
  ExportRules r;
  r.disclaimer = "test";
  ExportRule oct22;
  oct22.id = "us-2022-10";
  oct22.date = "2022-10-07";
  ExportCriterion a22;
  a22.id = "3A090.a";
  a22.min_tpp = 4800;
  a22.min_io_bandwidth_gb_s = 600;
  oct22.criteria = {a22};
  ExportRule oct23;
  oct23.id = "us-2023-10";
  oct23.name = "Oct 2023";
  oct23.date = "2023-10-17";
  ExportCriterion a1, a2, b;
  a1.id = a2.id = "3A090.a";
  a1.min_tpp = 4800;
  a2.min_tpp = 1600;
  a2.min_performance_density = 5.92;
  b.id = "3A090.b";
  b.min_tpp = 2400;
  b.max_tpp = 4800;
  b.min_performance_density = 1.6;
  b.max_performance_density = 5.92;
  oct23.criteria = {a1, a2, b};
  r.rules = {oct23, oct22};  // not in date order on purpose
  return r;
}

TEST(ExportTppTest, HandComputedValues) {
  // max(1978.9 x 8, 989.4 x 16, 66.9 x 32) = 15,831.2
  EXPECT_NEAR(ComputeTpp(H100()), 15831.2, 0.01);
  EXPECT_NEAR(ComputeTpp(H20()), 2368, 1e-9);   // 148 x 16 = 296 x 8
  EXPECT_NEAR(ComputeTpp(A100()), 4992, 1e-9);  // 312 x 16 = 624 x 8
  EXPECT_NEAR(ComputePerformanceDensity(H100()), 15831.2 / 814, 1e-9);
}

TEST(ExportTppTest, Tf32IsExcludedAndUnknownsAreNaN) {
  Chip c;
  Set(&c, Precision::kTf32, 500);  // 500 x 32 = 16,000 if it counted
  Set(&c, Precision::kFp32, 60);
  EXPECT_NEAR(ComputeTpp(c), 1920, 1e-9);
  EXPECT_TRUE(std::isnan(ComputePerformanceDensity(c)));  // no die area
  EXPECT_TRUE(std::isnan(ComputeTpp(Chip())));
}

TEST(ExportScreenTest, Oct2023Classification) {
  const ExportRules rules = TestRules();
  EXPECT_EQ(ScreenChip(H100(), rules, "us-2023-10").classification, "3A090.a");
  EXPECT_EQ(ScreenChip(A100(), rules, "us-2023-10").classification, "3A090.a");
  // H20: TPP 2,368 < 2,400 and PD 2.91 < 5.92: outside both.
  EXPECT_EQ(ScreenChip(H20(), rules, "us-2023-10").classification, "not captured");
  // TPP 2,000 on 300 mm^2: PD 6.67 >= 5.92 -> 3A090.a via the density test.
  Chip dense;
  dense.id = "dense";
  Set(&dense, Precision::kBf16, 125);  // 125 x 16 = 2,000
  dense.die_area_mm2.value = 300;
  const ExportScreen s = ScreenChip(dense, rules, "us-2023-10");
  EXPECT_NEAR(s.tpp, 2000, 1e-9);
  EXPECT_NEAR(s.performance_density, 2000.0 / 300, 1e-9);
  EXPECT_EQ(s.classification, "3A090.a");
  // Same TPP on 1,000 mm^2 (PD 2.0): TPP < 2,400 so not .b either.
  dense.die_area_mm2.value = 1000;
  EXPECT_EQ(ScreenChip(dense, rules, "us-2023-10").classification, "not captured");
  // TPP 3,200 on 1,000 mm^2 (PD 3.2): 3A090.b.
  Set(&dense, Precision::kBf16, 200);
  EXPECT_EQ(ScreenChip(dense, rules, "us-2023-10").classification, "3A090.b");
  // Without a die area the density test cannot be decided.
  dense.die_area_mm2.value = std::nan("");
  EXPECT_EQ(ScreenChip(dense, rules, "us-2023-10").classification, "unknown (no die area)");
}

TEST(ExportScreenTest, Oct2022NeedsIoBandwidth) {
  const ExportRules rules = TestRules();
  Chip h800 = H100();
  h800.id = "h800-sxm";
  h800.scaleup_bandwidth_gb_s.value = 200;  // 400 GB/s bidirectional
  EXPECT_EQ(ScreenChip(h800, rules, "us-2022-10").classification, "not captured");
  EXPECT_EQ(ScreenChip(h800, rules, "us-2023-10").classification, "3A090.a");
  EXPECT_EQ(ScreenChip(A100(), rules, "us-2022-10").classification, "3A090.a");  // 600 >= 600
}

TEST(ExportScreenTest, NewestRuleByDefaultAndLabelledAsScreen) {
  const ExportScreen s = ScreenChip(H100(), TestRules());
  EXPECT_EQ(s.rule_id, "us-2023-10");
  EXPECT_NE(s.explanation.find("not legal advice"), std::string::npos) << s.explanation;
  EXPECT_NE(s.explanation.find("15,831"), std::string::npos) << s.explanation;
  EXPECT_NE(s.explanation.find("fp8"), std::string::npos) << s.explanation;
  const ExportScreen bad = ScreenChip(H100(), TestRules(), "us-2023-11");
  EXPECT_EQ(bad.classification, "unknown rule");
  EXPECT_NE(bad.explanation.find("did you mean 'us-2023-10'?"), std::string::npos);
}

}  // namespace
}  // namespace xpusim
