// Serving search and the serving fleet planner (issue 5, DESIGN "Fast"):
//   BM_ServeSearchV3CloudMatrix: `serve --search` for DeepSeek-V3 on 128
//                  Ascend 910C (cloudmatrix-384), TPOT 50 ms and TTFT 2 s, so
//                  every layout is tried at four prefill budgets.
//   BM_PlanServeDomestic: `plan --scenario examples/plan-serve-10mw-domestic-v3.yaml`
//                  (six candidate systems, an instance ladder each, GLPK).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "plan/fleet_plan.h"
#include "plan/fleet_scenario.h"
#include "xpusim/catalog.h"
#include "xpusim/serve.h"

namespace {

const xpusim::Catalog& Cat() {
  static const xpusim::Catalog cat = [] {
    auto c = xpusim::Catalog::Load(XPUSIM_SOURCE_DATA_DIR);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      std::exit(1);
    }
    return std::move(*c);
  }();
  return cat;
}

void BM_ServeSearchV3CloudMatrix(benchmark::State& state) {
  const xpusim::Model m = *Cat().ResolveModel("deepseek-v3");
  const xpusim::System s = *Cat().ResolveSystem("cloudmatrix-384");
  xpusim::ServeDeployment d;
  d.weights = xpusim::Precision::kFp8;
  xpusim::ServeOptions o;
  o.search_prefill_chunk = true;
  const xpusim::ServeWorkload w{0, 2000, 500, xpusim::ServePhase::kBoth};
  for (auto _ : state) {
    auto r = xpusim::SearchServe(Cat(), m, s, 128, d, o, w, {0.050, 2.0});
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->tokens_per_s);
  }
}
BENCHMARK(BM_ServeSearchV3CloudMatrix)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PlanServeDomestic(benchmark::State& state) {
  auto sc = xpusim::LoadFleetScenario(XPUSIM_SOURCE_DATA_DIR "/../examples/plan-serve-10mw-domestic-v3.yaml");
  if (!sc.ok()) {
    state.SkipWithError(sc.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    auto r = xpusim::PlanFleet(Cat(), *sc);
    if (!r.ok() || !r->feasible) {
      state.SkipWithError(r.ok() ? r->why_infeasible.c_str() : r.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->totals.chips);
  }
}
BENCHMARK(BM_PlanServeDomestic)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
