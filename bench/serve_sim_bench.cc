// Speed bar of issue 5 for the request-level serving simulator:
//   BM_ServeSim1M: 1,000,000 Poisson requests on a 64-chip deployment
//                  (8 replicas of 8 chips, Llama-3-70B-like step costs on
//                  H100, continuous batching, chunked prefill), target <= 10 s
//                  on 2 cores. Counters report what the run simulated.
//   BM_ServeSim1MDisagg: the same traffic with P/D disaggregation (3 prefill +
//                  5 decode replicas).
#include <benchmark/benchmark.h>

#include <cstdio>

#include "infer/sim/simulator.h"

namespace {

using xpusim::sim::LinearStepTime;

// A 70B model on 8 H100 (TP8): ~12 ms of weight streaming and overheads per
// iteration, ~2e-5 s of compute per prompt token, 327 KB of KV per token read
// at ~21 TB/s, ~1.2M tokens of KV cache per replica.
LinearStepTime Llama70bOn8H100() { return LinearStepTime({0.012, 2.0e-5, 1.0e-5, 1.5e-8}, 1200000); }

xpusim::sim::PoissonParams Traffic() {
  xpusim::sim::PoissonParams p;
  p.rate_per_s = 120;  // ~80% of what 8 replicas sustain
  p.num_requests = 1000000;
  p.input = {128, 2048};
  p.output = {64, 512};
  p.seed = 2024;
  return p;
}

void Report(benchmark::State& state, const xpusim::Result<xpusim::sim::SimReport>& r) {
  if (!r.ok()) {
    state.SkipWithError(r.status().ToString().c_str());
    return;
  }
  state.counters["requests"] = static_cast<double>(r->requests_completed);
  state.counters["iterations"] = static_cast<double>(r->iterations);
  state.counters["sim_span_s"] = r->span_s;
  state.counters["ttft_p99_s"] = r->ttft.p99_s;
  state.counters["tpot_p50_ms"] = r->tpot.p50_s * 1e3;
  state.counters["out_tok_per_s"] = r->output_tokens_per_s;
  state.counters["mean_running"] = r->mean_running;
  state.counters["preemptions"] = static_cast<double>(r->preemptions);
}

void BM_ServeSim1M(benchmark::State& state) {
  const LinearStepTime model = Llama70bOn8H100();
  xpusim::sim::SimConfig cfg;
  cfg.replicas = 8;
  cfg.dispatch = xpusim::sim::DispatchPolicy::kLeastLoaded;
  cfg.slo = {2.0, 0.05};
  for (auto _ : state) {
    xpusim::sim::PoissonSource src(Traffic());
    auto r = xpusim::sim::RunServingSim(cfg, {&model}, src);
    Report(state, r);
  }
}
BENCHMARK(BM_ServeSim1M)->Unit(benchmark::kSecond)->Iterations(1);

void BM_ServeSim1MDisagg(benchmark::State& state) {
  const LinearStepTime prefill = Llama70bOn8H100();
  const LinearStepTime decode = Llama70bOn8H100();
  xpusim::sim::SimConfig cfg;
  cfg.dispatch = xpusim::sim::DispatchPolicy::kLeastLoaded;
  cfg.disagg = {true, 3, 5, 327680, 50e9, 1e-3};
  for (auto _ : state) {
    xpusim::sim::PoissonSource src(Traffic());
    auto r = xpusim::sim::RunServingSim(cfg, {nullptr, &prefill, &decode}, src);
    Report(state, r);
  }
}
BENCHMARK(BM_ServeSim1MDisagg)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
