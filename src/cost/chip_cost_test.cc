// ChipCostModel against the H100 measurements (acceptance bar: median
// relative error <= 10% per data set), hand-checkable roofline limits, and
// chips without measurements.
#include "cost/chip_cost.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "cost/calibration.h"

namespace xpusim {
namespace {

const std::filesystem::path kCalDir = std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "calibration";

SourcedValue V(double v) {
  SourcedValue s;
  s.value = v;
  s.source = "test";
  return s;
}

Chip MakeChip(const std::string& id, double bf16, double fp8, double bw_tb_s) {
  Chip c;
  c.id = id;
  c.name = id;
  c.vendor = "test";
  c.dense_tflops[static_cast<int>(Precision::kBf16)] = V(bf16);
  c.dense_tflops[static_cast<int>(Precision::kFp16)] = V(bf16);
  if (fp8 > 0) c.dense_tflops[static_cast<int>(Precision::kFp8)] = V(fp8);
  c.memory_bandwidth_tb_s = V(bw_tb_s);
  c.memory_gb = V(80);
  return c;
}

Chip H100() {
  Chip c = MakeChip("h100-sxm", 989.4, 1978.9, 3.35);
  c.dense_tflops[static_cast<int>(Precision::kFp32)] = V(66.9);
  c.dense_tflops[static_cast<int>(Precision::kTf32)] = V(494.7);
  c.dense_tflops[static_cast<int>(Precision::kInt8)] = V(1978.9);
  return c;
}

ChipCostModel MustCreate(const Chip& chip) {
  auto r = ChipCostModel::Create(chip, kCalDir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

ErrorStats Report(const char* name, const std::vector<double>& pred, const std::vector<double>& meas) {
  const ErrorStats s = ComputeErrorStats(pred, meas);
  std::printf("[ calib    ] %-22s n=%3d  median %5.1f%%  p90 %5.1f%%  max %5.1f%%\n", name, s.count,
              100 * s.median, 100 * s.p90, 100 * s.max);
  return s;
}

class H100Calibration : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = LoadMeasurements(kCalDir / "h100-sxm");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    meas_ = *m;
  }
  CalibrationMeasurements meas_;
  ChipCostModel model_ = MustCreate(H100());
};

void CheckGemm(const ChipCostModel& model, const std::vector<GemmPoint>& pts, Precision p, const char* name) {
  std::vector<double> pred, meas;
  std::printf("[ calib    ] %s per shape: M N K measured_us predicted_us err\n", name);
  for (const GemmPoint& g : pts) {
    const double t = model.GemmTimeS({g.m, g.n, g.k, g.batch}, p);
    pred.push_back(t), meas.push_back(g.time_s);
    std::printf("[ calib    ]   %6lld %6lld %6lld %10.2f %10.2f %+6.1f%%\n", static_cast<long long>(g.m),
                static_cast<long long>(g.n), static_cast<long long>(g.k), g.time_s * 1e6, t * 1e6,
                100 * (t / g.time_s - 1));
  }
  const ErrorStats s = Report(name, pred, meas);
  EXPECT_LE(s.median, 0.10) << name;
  EXPECT_LE(s.max, 0.40) << name;  // no shape wildly off
}

TEST_F(H100Calibration, GemmBf16WithinTenPercentMedian) {
  ASSERT_EQ(meas_.gemm_bf16.size(), 103u);
  CheckGemm(model_, meas_.gemm_bf16, Precision::kBf16, "gemm bf16");
}

TEST_F(H100Calibration, GemmFp8WithinTenPercentMedian) {
  ASSERT_EQ(meas_.gemm_fp8.size(), 30u);
  CheckGemm(model_, meas_.gemm_fp8, Precision::kFp8, "gemm fp8");
}

TEST_F(H100Calibration, AttentionWithinTenPercentMedian) {
  ASSERT_EQ(meas_.attention.size(), 8u);
  std::vector<double> pf, mf, pfb, mfb;
  for (const AttentionPoint& a : meas_.attention) {
    AttentionShape s;
    s.batch = static_cast<int64_t>(a.dims.batch);
    s.heads = static_cast<int64_t>(a.dims.heads);
    s.seq_q = s.seq_kv = static_cast<int64_t>(a.dims.seq_q);
    s.head_dim_qk = s.head_dim_v = static_cast<int64_t>(a.dims.head_dim_qk);
    s.causal = a.dims.causal;
    const double f = model_.AttentionForwardTimeS(s, Precision::kBf16);
    const double b = model_.AttentionBackwardTimeS(s, Precision::kBf16);
    std::printf("[ calib    ]   attn B%lld S%lld H%lld  fwd %8.1f/%8.1f us  fwd+bwd %8.1f/%8.1f us\n",
                static_cast<long long>(s.batch), static_cast<long long>(s.seq_q),
                static_cast<long long>(s.heads), a.fwd_s * 1e6, f * 1e6, a.fwd_bwd_s * 1e6, (f + b) * 1e6);
    pf.push_back(f), mf.push_back(a.fwd_s), pfb.push_back(f + b), mfb.push_back(a.fwd_bwd_s);
  }
  const ErrorStats fwd = Report("attention fwd", pf, mf);
  const ErrorStats fb = Report("attention fwd+bwd", pfb, mfb);
  EXPECT_LE(fwd.median, 0.10);
  EXPECT_LE(fb.median, 0.10);
  EXPECT_LE(fwd.max, 0.25);
  EXPECT_LE(fb.max, 0.25);
}

TEST_F(H100Calibration, MemoryBoundOpsWithinTenPercentMedian) {
  std::vector<double> pred, meas;
  for (const MemoryPoint& m : meas_.memory) {
    pred.push_back(model_.MemoryBoundTimeS(m.bytes, MemoryOpFromMeasurement(m.op)));
    meas.push_back(m.time_s);
  }
  const ErrorStats s = Report("memory-bound ops", pred, meas);
  EXPECT_LE(s.median, 0.10);
}

TEST_F(H100Calibration, AttentionFlopsMatchMeasurementConvention) {
  // attn.json reports fwd_tflops = 4 * B * H * S^2 * D / 2 / time.
  AttentionShape s;
  s.batch = 1, s.heads = 32, s.seq_q = s.seq_kv = 2048;
  EXPECT_NEAR(s.forward_flops(), 4.0 * 32 * 2048.0 * 2048 * 128 / 2, 1e-3 * s.forward_flops());
  s.causal = false;
  EXPECT_DOUBLE_EQ(s.forward_flops(), 4.0 * 32 * 2048.0 * 2048 * 128);
}

TEST_F(H100Calibration, SustainedFactorFromPowerMeasurement) {
  EXPECT_NEAR(model_.SustainedComputeFactor(), 672.2 / 772.6, 1e-3);
  EXPECT_NE(model_.CalibrationSource().find("measured"), std::string::npos);
}

// (b) Roofline limits a reader can check by hand.
TEST_F(H100Calibration, GemvIsMemoryBound) {
  const GemmShape s{1, 28672, 8192, 1};
  const double bytes = (1.0 * 8192 + 8192.0 * 28672 + 28672) * 2;
  const double t = model_.GemmTimeS(s, Precision::kBf16);
  const double floor = bytes / (model_.MemoryBandwidthGBs() * 1e9);  // 100% of datasheet bandwidth
  EXPECT_GT(t, floor);
  EXPECT_LT(t, floor / 0.80 + 20e-6);  // >= 80% of bandwidth plus the launch floor
  // Doubling M at M=1 changes nothing: the weights dominate the bytes.
  EXPECT_NEAR(model_.GemmTimeS({2, 28672, 8192, 1}, Precision::kBf16), t, 0.01 * t);
}

TEST_F(H100Calibration, HugeGemmApproachesMaxEfficiency) {
  const GemmShape s{65536, 65536, 65536, 1};
  const double eff = model_.GemmEfficiency(s, Precision::kBf16);
  EXPECT_GT(eff, 0.70);  // fitted eff_max ~0.77 times a K ramp ~0.99
  EXPECT_LT(eff, 0.80);
  // Close to the measured burst 8192^3 rate (772.6 TFLOP/s).
  const GemmShape b{8192, 8192, 8192, 1};
  EXPECT_NEAR(b.flops() / model_.GemmTimeS(b, Precision::kBf16) / 1e12, 772.6, 0.12 * 772.6);
  // Efficiency never exceeds 1 and grows with size.
  EXPECT_LT(model_.GemmEfficiency({512, 512, 512, 1}, Precision::kBf16), eff);
}

TEST_F(H100Calibration, BatchedGemmScalesWithBatch) {
  const double one = model_.GemmTimeS({4096, 4096, 4096, 1}, Precision::kBf16);
  const double eight = model_.GemmTimeS({4096, 4096, 4096, 8}, Precision::kBf16);
  EXPECT_GT(eight, 6 * one);
  EXPECT_LT(eight, 9 * one);
}

TEST_F(H100Calibration, Fp8FasterThanBf16ForLargeGemm) {
  const GemmShape s{8192, 8192, 8192, 1};
  EXPECT_LT(model_.GemmTimeS(s, Precision::kFp8), 0.7 * model_.GemmTimeS(s, Precision::kBf16));
}

TEST_F(H100Calibration, DecodeAttentionIsMemoryBound) {
  AttentionShape s;
  s.batch = 8, s.heads = 64, s.kv_heads = 8, s.seq_q = 1, s.seq_kv = 32768;
  const double kv_bytes = 8.0 * 8 * 32768 * 256 * 2;
  const double t = model_.AttentionForwardTimeS(s, Precision::kBf16);
  EXPECT_GT(t, kv_bytes / (model_.MemoryBandwidthGBs() * 1e9));
  EXPECT_LT(t, kv_bytes / (0.7 * model_.MemoryBandwidthGBs() * 1e9) + 30e-6);
}

TEST_F(H100Calibration, DegenerateShapesTakeNoTimeAndNeverNaN) {
  EXPECT_EQ(model_.GemmTimeS({0, 10, 10, 1}, Precision::kBf16), 0.0);
  EXPECT_EQ(model_.GemmEfficiency({0, 10, 10, 1}, Precision::kBf16), 0.0);
  EXPECT_EQ(model_.AttentionForwardTimeS(AttentionShape{}, Precision::kBf16), 0.0);
  EXPECT_EQ(model_.MemoryBoundTimeS(0), 0.0);
  for (Precision p : kAllPrecisions) {
    const double t = model_.GemmTimeS({1024, 1024, 1024, 1}, p);
    EXPECT_TRUE(std::isfinite(t) && t > 0) << PrecisionName(p);
  }
}

// (c) Chips without measurements: reference curves, own peak, sourced factors.
TEST(ChipCostUncalibrated, A100IsSlowerThanH100ByAboutItsPeak) {
  const ChipCostModel h100 = MustCreate(H100());
  const ChipCostModel a100 = MustCreate(MakeChip("a100-sxm-80gb", 312, 0, 2.039));
  EXPECT_NE(a100.CalibrationSource().find("a100-sxm-80gb"), std::string::npos) << a100.CalibrationSource();
  const GemmShape s{8192, 8192, 8192, 1};
  const double th = h100.GemmTimeS(s, Precision::kBf16), ta = a100.GemmTimeS(s, Precision::kBf16);
  ASSERT_TRUE(std::isfinite(ta));
  // Peak ratio 3.17; A100 reaches a higher share of its peak (0.869 vs 0.803 in MAMF).
  EXPECT_NEAR(ta / th, 989.4 / 312 * 0.803 / 0.869, 0.1);
  // The A100 has no fp8 units: fp8 runs at the bf16 rate.
  EXPECT_NEAR(a100.GemmTimeS(s, Precision::kFp8), ta, 0.05 * ta);
  EXPECT_DOUBLE_EQ(a100.SustainedComputeFactor(), 1.0);
}

TEST(ChipCostUncalibrated, EveryContractChipIdGetsFiniteTimes) {
  for (const char* id : {"h100-pcie", "h800-sxm", "h20", "h200-sxm", "b200", "gb200", "mi300x", "mi355x",
                         "gaudi3", "tpu-v5p", "ascend-910b", "ascend-910c", "mlu590", "some-new-chip"}) {
    const ChipCostModel m = MustCreate(MakeChip(id, 500, 1000, 3.0));
    const GemmShape s{4096, 4096, 4096, 1};
    for (Precision p : {Precision::kBf16, Precision::kFp8}) {
      const double t = m.GemmTimeS(s, p);
      EXPECT_TRUE(std::isfinite(t) && t > s.flops() / 1e15 / (p == Precision::kFp8 ? 2 : 1)) << id;
      EXPECT_LE(m.GemmEfficiency(s, p), 1.0) << id;
    }
    AttentionShape a;
    a.heads = 32, a.seq_q = a.seq_kv = 4096;
    EXPECT_GT(m.AttentionBackwardTimeS(a, Precision::kBf16), m.AttentionForwardTimeS(a, Precision::kBf16));
    EXPECT_GT(m.SustainedComputeFactor(), 0.5);
    EXPECT_LE(m.SustainedComputeFactor(), 1.0);
  }
}

TEST(ChipCostUncalibrated, LessMatureStackIsSlowerAtEqualPeak) {
  const GemmShape s{8192, 8192, 8192, 1};
  const double nv = MustCreate(MakeChip("h800-sxm", 989.4, 1978.9, 3.35)).GemmTimeS(s, Precision::kBf16);
  const double amd = MustCreate(MakeChip("mi300x", 989.4, 1978.9, 3.35)).GemmTimeS(s, Precision::kBf16);
  const double asc = MustCreate(MakeChip("ascend-910b", 989.4, 1978.9, 3.35)).GemmTimeS(s, Precision::kBf16);
  EXPECT_GT(amd, nv);
  EXPECT_GT(asc, nv);
  // Same die as the reference: H800 reproduces the H100 curve.
  EXPECT_NEAR(nv, MustCreate(H100()).GemmTimeS(s, Precision::kBf16), 0.02 * nv);
}

// (d) Missing data: fall back or fail with a message, never NaN.
TEST(ChipCostFallback, NoBf16PeakFallsBackToFp16) {
  Chip c = MakeChip("odd-chip", 0, 0, 1.0);
  c.dense_tflops[static_cast<int>(Precision::kBf16)] = SourcedValue{};
  c.dense_tflops[static_cast<int>(Precision::kFp16)] = V(200);
  auto m = ChipCostModel::Create(c, kCalDir);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_DOUBLE_EQ(m->PeakTflops(Precision::kBf16), 200);
  const double t = m->GemmTimeS({4096, 4096, 4096, 1}, Precision::kBf16);
  EXPECT_TRUE(std::isfinite(t) && t > 0);
}

TEST(ChipCostFallback, NoPeakAtAllIsAnError) {
  Chip c = MakeChip("empty-chip", 0, 0, 1.0);
  c.dense_tflops[static_cast<int>(Precision::kBf16)] = SourcedValue{};
  c.dense_tflops[static_cast<int>(Precision::kFp16)] = SourcedValue{};
  auto m = ChipCostModel::Create(c, kCalDir);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("empty-chip"), std::string::npos);
}

TEST(ChipCostFallback, NoBandwidthIsAnError) {
  Chip c = MakeChip("no-bw", 100, 0, 1.0);
  c.memory_bandwidth_tb_s = SourcedValue{};
  EXPECT_FALSE(ChipCostModel::Create(c, kCalDir).ok());
}

TEST(ChipCostFallback, MissingCalibrationDirIsAnError) {
  auto m = ChipCostModel::Create(MakeChip("a100-sxm-80gb", 312, 0, 2.0), "/nonexistent/calibration");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("defaults.yaml"), std::string::npos) << m.status().message();
}

TEST(ChipCostCreate, CreateIsFastAndCopiesAreIndependent) {
  const auto t0 = std::chrono::steady_clock::now();
  ChipCostModel h = MustCreate(H100());
  ChipCostModel a = MustCreate(MakeChip("a100-sxm-80gb", 312, 0, 2.039));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[ calib    ] Create x2: %.2f ms\n", ms);
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(ms / 2, 10.0);
#endif
  ChipCostModel copy = h;
  copy = a;
  EXPECT_DOUBLE_EQ(copy.PeakTflops(Precision::kBf16), 312);
  EXPECT_DOUBLE_EQ(h.PeakTflops(Precision::kBf16), 989.4);
}

}  // namespace
}  // namespace xpusim
