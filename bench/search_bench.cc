// Speed bars of DESIGN.md for the training model and the plan search:
//   BM_TrainEvaluate: one TrainEvaluator::Evaluate of Llama-3-405B on
//                     16,384 H100 (dgx-h100), seq 8192, global batch 2048,
//                     tp8 pp16 dp128 interleaved vpp7... target <= 5 us.
//   BM_TrainEvaluateDeepSeekV3: the MoE path, DeepSeek-V3 on 2,048 H800
//                     (pp16 DualPipe, ep64, fp8), same target.
//   BM_Search405B:    the full search for the same job, target <= 1 s on
//                     2 cores (Arg = threads; 0 = all cores).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "plan/search.h"
#include "xpusim/catalog.h"
#include "xpusim/train.h"

namespace {

// The evaluator of `model` on `chips` chips of `system`; exits on a catalog error.
std::unique_ptr<xpusim::TrainEvaluator> MakeEvaluator(const char* model, const char* system, int64_t chips,
                                                      const xpusim::TrainWorkload& w,
                                                      const xpusim::TrainOptions& o = {}) {
  auto die = [](const xpusim::Status& s) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::exit(1);
  };
  static auto cat = xpusim::Catalog::Load(XPUSIM_SOURCE_DATA_DIR);
  if (!cat.ok()) die(cat.status());
  auto m = cat->ResolveModel(model);
  if (!m.ok()) die(m.status());
  auto s = cat->ResolveSystem(system);
  if (!s.ok()) die(s.status());
  auto e = xpusim::TrainEvaluator::Create(*cat, *m, *s, chips, w, o);
  if (!e.ok()) die(e.status());
  return std::make_unique<xpusim::TrainEvaluator>(std::move(*e));
}

const xpusim::TrainEvaluator& Job405B() {
  static const std::unique_ptr<xpusim::TrainEvaluator> ev = [] {
    xpusim::TrainWorkload w;
    w.global_batch = 2048;
    w.seq_len = 8192;
    return MakeEvaluator("llama3-405b", "dgx-h100", 16384, w);
  }();
  return *ev;
}

void BM_TrainEvaluate(benchmark::State& state) {
  const xpusim::TrainEvaluator& ev = Job405B();
  xpusim::ParallelPlan p;
  p.tp = 8;
  p.pp = 16;
  p.dp = 128;
  p.zero = 1;
  p.recompute = xpusim::Recompute::kSelective;
  p.micro_batch = 1;
  p.schedule = xpusim::PipelineSchedule::k1F1B;
  for (auto _ : state) {
    auto r = ev.Evaluate(p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_TrainEvaluate);

// The MoE path: DeepSeek-V3 pre-training (PP16 DualPipe, EP64 over 8 nodes, fp8).
void BM_TrainEvaluateDeepSeekV3(benchmark::State& state) {
  static const std::unique_ptr<xpusim::TrainEvaluator> ev = [] {
    xpusim::TrainOptions o;
    o.ep_overlap = o.recompute_norms = o.recompute_mla_up = o.recompute_moe_act = true;
    return MakeEvaluator("deepseek-v3", "hgx-h800", 2048, xpusim::TrainWorkload{15360, 4096, xpusim::Precision::kFp8},
                         o);
  }();
  xpusim::ParallelPlan p;
  p.pp = 16;
  p.dp = 128;
  p.ep = 64;
  p.sp = false;
  p.zero = 1;
  p.schedule = xpusim::PipelineSchedule::kDualPipe;
  for (auto _ : state) {
    auto r = ev->Evaluate(p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_TrainEvaluateDeepSeekV3);

void BM_Search405B(benchmark::State& state) {
  const xpusim::TrainEvaluator& ev = Job405B();
  xpusim::SearchOptions o;
  o.threads = static_cast<int>(state.range(0));
  int64_t evaluated = 0, enumerated = 0;
  for (auto _ : state) {
    auto r = xpusim::SearchPlans(ev, o);
    if (!r.ok() || r->top.empty()) {
      state.SkipWithError("search failed or nothing fits");
      return;
    }
    evaluated = r->counts.evaluated;
    enumerated = r->counts.enumerated;
    benchmark::DoNotOptimize(r);
  }
  state.counters["evaluated"] = static_cast<double>(evaluated);
  state.counters["enumerated"] = static_cast<double>(enumerated);
}
BENCHMARK(BM_Search405B)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
