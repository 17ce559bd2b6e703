// Calibration: the fitting code (FitGemmCurve & co.) on the H100 data, the
// stored fit.yaml against a fresh fit, and the loaders' error handling.
#include "cost/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "cost/calibration_fit.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;
const fs::path kCalDir = fs::path(XPUSIM_SOURCE_DATA_DIR) / "calibration";

TEST(NelderMead, FindsMinimumOfShiftedQuadratic) {
  auto f = [](const std::vector<double>& x) {
    return (x[0] - 3) * (x[0] - 3) + 10 * (x[1] + 1) * (x[1] + 1);
  };
  const std::vector<double> x = NelderMead(f, {0, 0}, {1, 1}, 2000);
  EXPECT_NEAR(x[0], 3, 1e-3);
  EXPECT_NEAR(x[1], -1, 1e-3);
}

TEST(FitGemmCurve, RecoversSyntheticCurve) {
  GemmCurve truth;
  truth.eff_max = 0.7, truth.k_half = 300, truth.launch_s = 8e-6, truth.mem_eff = 0.85;
  truth.quant_weight = 0.8, truth.tile_m = 128, truth.tile_n = 256, truth.split_k_min = 1024;
  const GemmEnv env{500e12, 2e12, 2, 2, 100};
  std::vector<GemmPoint> pts;
  for (int64_t m : {1, 64, 512, 4096, 16384})
    for (int64_t nk : {1024, 4096, 12288})
      pts.push_back({m, nk, nk, 1, GemmCurveTimeS(truth, env, m, nk, nk, 1)});
  auto fit = FitGemmCurve(pts, env);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_LT(fit->stats.median, 0.01);
  EXPECT_LT(fit->stats.max, 0.05);
  EXPECT_NEAR(fit->curve.eff_max, 0.7, 0.03);
  EXPECT_NEAR(fit->curve.mem_eff, 0.85, 0.03);
}

TEST(FitGemmCurve, RejectsTooFewOrBadPoints) {
  const GemmEnv env{500e12, 2e12, 2, 2, 100};
  EXPECT_FALSE(FitGemmCurve({{1, 1, 1, 1, 1e-5}}, env).ok());
  std::vector<GemmPoint> bad(6, GemmPoint{128, 128, 128, 1, 1e-5});
  bad[3].time_s = 0;
  EXPECT_FALSE(FitGemmCurve(bad, env).ok());
}

// The acceptance data set: a fresh fit of the H100 measurements meets the
// bar on its own, and the stored fit.yaml is as good as a fresh fit (so it
// is not stale with respect to the curve code).
TEST(H100Fit, FreshFitMeetsBarAndStoredFitIsCurrent) {
  auto m = LoadMeasurements(kCalDir / "h100-sxm");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto fresh = FitChipCalibration(*m, "h100-sxm", 989.4, 1978.9, 3.35, 132);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_LE(fresh->gemm_bf16_stats.median, 0.10);
  EXPECT_LE(fresh->gemm_fp8_stats.median, 0.10);
  EXPECT_LE(fresh->attn_fwd_stats.median, 0.10);
  EXPECT_LE(fresh->attn_fwd_bwd_stats.median, 0.10);

  auto stored = LoadChipCalibration(kCalDir / "h100-sxm" / "fit.yaml");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->units, 132);
  EXPECT_NEAR(stored->gemm_bf16.eff_max, fresh->gemm_bf16.eff_max, 0.01);
  EXPECT_NEAR(stored->gemm_bf16_stats.median, fresh->gemm_bf16_stats.median, 0.005);
  EXPECT_NEAR(stored->gemm_fp8_stats.median, fresh->gemm_fp8_stats.median, 0.005);
  EXPECT_NEAR(stored->sustained_compute_factor, 672.2 / 772.6, 1e-4);
  // The YAML writer and reader agree.
  const fs::path tmp = fs::temp_directory_path() / "xpusim_fit_roundtrip.yaml";
  { std::ofstream(tmp) << ChipCalibrationToYaml(*fresh, *m); }
  auto back = LoadChipCalibration(tmp);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_NEAR(back->gemm_bf16.k_half, fresh->gemm_bf16.k_half, 1e-3 * fresh->gemm_bf16.k_half);
  EXPECT_NEAR(back->attn_bwd.eff_max, fresh->attn_bwd.eff_max, 1e-5);
  fs::remove(tmp);
}

TEST(H100Fit, MeasurementsCopyMatchesShared) {
  // Prefer the copied data; the shared original (if present) must agree.
  const fs::path shared = fs::path(XPUSIM_SHARED_DIR) / "calibration" / "h100";
  if (!fs::exists(shared / "gemm.json")) GTEST_SKIP() << "no shared dir";
  auto a = LoadMeasurements(kCalDir / "h100-sxm");
  auto b = LoadMeasurements(shared);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->gemm_bf16.size(), b->gemm_bf16.size());
  for (size_t i = 0; i < a->gemm_bf16.size(); ++i) EXPECT_EQ(a->gemm_bf16[i].time_s, b->gemm_bf16[i].time_s);
}

TEST(CalibrationDefaults, LoadsAndEveryFactorHasASource) {
  auto d = LoadCalibrationDefaults(kCalDir / "defaults.yaml");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->reference_chip, "h100-sxm");
  EXPECT_NEAR(d->reference.gemm_eff_bf16.value, 0.803, 1e-9);
  Chip a100;
  a100.id = "a100-sxm-80gb";
  const ChipFactors f = d->For(a100);
  EXPECT_EQ(f.units, 108);
  EXPECT_EQ(f.gemm_eff_bf16.source, "mamf");
  EXPECT_EQ(f.gemm_eff_bf16.confidence, Confidence::kReported);
  Chip unknown;
  unknown.id = "chip-from-the-future";
  EXPECT_EQ(d->For(unknown).matched, "generic");
  EXPECT_EQ(d->For(unknown).gemm_eff_bf16.confidence, Confidence::kEstimate);
  for (const auto& [id, fac] : d->chips) {
    Chip c;
    c.id = id;
    const ChipFactors g = d->For(c);
    EXPECT_GT(g.units, 0) << id;
    EXPECT_TRUE(g.gemm_eff_bf16.known() && g.memory_eff.known()) << id;
    EXPECT_TRUE(d->sources.count(g.gemm_eff_bf16.source)) << id;
  }
}

TEST(CalibrationDefaults, MalformedFilesNameTheProblem) {
  const fs::path tmp = fs::temp_directory_path() / "xpusim_bad_defaults.yaml";
  auto load = [&](const std::string& text) {
    { std::ofstream(tmp) << text; }
    return LoadCalibrationDefaults(tmp);
  };
  const std::string head =
      "reference_chip: r\nsources: {s: {title: t}}\n"
      "generic: {units: 10, gemm_eff_bf16: {value: 0.5, source: s}, memory_eff: {value: 0.8, source: s}}\n";
  EXPECT_TRUE(load(head).ok());
  auto r1 = load(head + "chips: {x: {gemm_eff_bf16: {value: 0.5, source: nope}}}\n");
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.status().message().find("nope"), std::string::npos);
  auto r2 = load(head + "chips: {x: {gemm_eff: 0.5}}\n");
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("gemm_eff"), std::string::npos);
  auto r3 = load(head + "chips: {x: {gemm_eff_bf16: {value: -1, source: s}}}\n");
  EXPECT_FALSE(r3.ok());
  auto r4 = load("reference_chip: [unclosed\n");
  EXPECT_FALSE(r4.ok());
  fs::remove(tmp);
}

TEST(Measurements, MissingFieldIsAnErrorNamingIt) {
  const fs::path dir = fs::temp_directory_path() / "xpusim_bad_meas";
  fs::create_directories(dir);
  { std::ofstream(dir / "gemm.json") << R"([{"M": 1, "N": 2, "s": 1e-5}])"; }
  auto m = LoadMeasurements(dir);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("'K'"), std::string::npos) << m.status().message();
  { std::ofstream(dir / "gemm.json") << "[{"; }
  EXPECT_FALSE(LoadMeasurements(dir).ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace xpusim
