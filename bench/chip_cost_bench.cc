// Cost of one ChipCostModel call: the training model makes tens per
// evaluation and an evaluation must stay under 5 us, so each call must be
// well under 100 ns and allocation-free.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cost/chip_cost.h"

namespace {

xpusim::ChipCostModel MakeH100() {
  xpusim::Chip c;
  c.id = "h100-sxm";
  c.dense_tflops[static_cast<int>(xpusim::Precision::kBf16)].value = 989.4;
  c.dense_tflops[static_cast<int>(xpusim::Precision::kFp8)].value = 1978.9;
  c.memory_bandwidth_tb_s.value = 3.35;
  auto r = xpusim::ChipCostModel::Create(c, std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "calibration");
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void BM_GemmTimeS(benchmark::State& state) {
  const xpusim::ChipCostModel model = MakeH100();
  xpusim::GemmShape s{4096, 8192, 8192, 1};
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(model.GemmTimeS(s, xpusim::Precision::kBf16));
    s.m ^= 1;  // defeat hoisting
  }
}
BENCHMARK(BM_GemmTimeS);

void BM_AttentionForwardTimeS(benchmark::State& state) {
  const xpusim::ChipCostModel model = MakeH100();
  xpusim::AttentionShape s;
  s.batch = 1, s.heads = 32, s.kv_heads = 8, s.seq_q = s.seq_kv = 8192;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(model.AttentionForwardTimeS(s, xpusim::Precision::kBf16));
  }
}
BENCHMARK(BM_AttentionForwardTimeS);

void BM_MemoryBoundTimeS(benchmark::State& state) {
  const xpusim::ChipCostModel model = MakeH100();
  double bytes = 1e8;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes);
    benchmark::DoNotOptimize(model.MemoryBoundTimeS(bytes, xpusim::MemoryOp::kNorm));
  }
}
BENCHMARK(BM_MemoryBoundTimeS);

}  // namespace
