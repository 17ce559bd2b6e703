// Queueing-theory checks of the serving simulator.
#include <gtest/gtest.h>

#include <cmath>

#include "infer/sim/simulator.h"

namespace xpusim::sim {
namespace {

// Little's law: the time-averaged number of requests in the system equals the
// arrival rate times the mean time in the system. Continuous batching, two
// replicas, chunked prefill, mixed lengths at moderate load, with a KV cache
// small enough that admission waits for blocks and decodes preempt.
TEST(Queueing, LittlesLaw) {
  LinearStepTime m({0.01, 5e-5, 1e-5, 1e-8}, 30000);
  SimConfig c;
  c.replicas = 2;
  c.scheduler.max_num_seqs = 64;
  c.scheduler.max_num_batched_tokens = 2048;
  c.dispatch = DispatchPolicy::kLeastLoaded;
  PoissonParams p;
  p.rate_per_s = 10;
  p.num_requests = 100000;
  p.input = {100, 2000};
  p.output = {10, 400};
  p.seed = 42;
  PoissonSource src(p);
  auto r = RunServingSim(c, {&m}, src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const double little = p.rate_per_s * r->e2e.mean_s;
  std::printf("Little: L (time-averaged) = %.4f, lambda * W = %.4f (rel diff %.3f%%), preemptions %lld\n",
              r->mean_in_system, little, 100 * (r->mean_in_system / little - 1),
              static_cast<long long>(r->preemptions));
  EXPECT_NEAR(r->mean_in_system / little, 1.0, 0.02);
  EXPECT_GT(r->preemptions, 0);
}

// M/D/1: one request at a time (max_num_seqs 1), one-token requests whose
// prefill fits one iteration of constant length D. Mean wait in queue
// Wq = rho D / (2 (1 - rho)); TTFT = Wq + D.
TEST(Queueing, MD1MeanWaitAtLowLoad) {
  const double d = 0.1;
  ConstantStepTime m(d, 1 << 20);
  SimConfig c;
  c.scheduler.max_num_seqs = 1;
  c.scheduler.max_num_batched_tokens = 1024;
  for (double rho : {0.2, 0.3, 0.5}) {
    PoissonParams p;
    p.rate_per_s = rho / d;
    p.num_requests = 400000;
    p.input = LengthDist::Fixed(100);
    p.output = LengthDist::Fixed(1);
    p.seed = 1234;
    PoissonSource src(p);
    auto r = RunServingSim(c, {&m}, src);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const double wq = r->ttft.mean_s - d;
    const double expect = rho * d / (2 * (1 - rho));
    std::printf("M/D/1 rho=%.1f: simulated Wq = %.5f s, closed form %.5f s (rel diff %.2f%%)\n", rho, wq, expect,
                100 * (wq / expect - 1));
    EXPECT_NEAR(wq / expect, 1.0, 0.03) << "rho " << rho;
    EXPECT_NEAR(r->e2e.mean_s, r->ttft.mean_s, 1e-12);
  }
}

}  // namespace
}  // namespace xpusim::sim
