// Queueing-theory checks of the serving simulator.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

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

namespace xpusim::sim {
namespace {

RequestSpec Due(int64_t in, int64_t out) { return {0.0, in, out}; }

// Closed loop (max_concurrency), worked by hand with constant 0.1 s
// iterations, 5-token answers and prompts that fit one iteration: a request
// takes 5 iterations (the prefill's gives the first token), so one in flight
// serves 10 requests in 10 x 0.5 s, and two in flight (one replica batching
// both) in 5 x 0.5 s. Latencies count from sending, not from the due time.
TEST(ClosedLoop, RequestsAreSentAsOthersCompleteWorkedByHand) {
  ConstantStepTime m(0.1, 1 << 20);
  for (int64_t n : {1, 2}) {
    SimConfig c;
    c.max_concurrency = n;
    VectorSource src(std::vector<RequestSpec>(10, Due(100, 5)));
    auto r = RunServingSim(c, {&m}, src);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_NEAR(r->span_s, 10.0 / static_cast<double>(n) * 0.5, 1e-9) << n;
    EXPECT_NEAR(r->ttft.max_s, 0.1, 1e-9) << n;
    EXPECT_NEAR(r->e2e.max_s, 0.5, 1e-9) << n;
    EXPECT_NEAR(r->mean_in_system, static_cast<double>(n), 1e-9) << n;
  }
}

// Little's law with the population fixed: the time-averaged number in flight
// is the limit (while the backlog lasts) and throughput = N / mean latency.
TEST(ClosedLoop, LittlesLawWithAFixedPopulation) {
  LinearStepTime m({0.01, 5e-5, 1e-5, 1e-8}, 200000);
  SimConfig c;
  c.max_concurrency = 24;
  PoissonParams p;
  p.rate_per_s = std::numeric_limits<double>::infinity();  // all due at once
  p.num_requests = 20000;
  p.input = {100, 2000};
  p.output = {10, 400};
  p.seed = 9;
  PoissonSource src(p);
  auto r = RunServingSim(c, {&m}, src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LE(r->mean_in_system, 24.0 + 1e-9);
  EXPECT_GT(r->mean_in_system, 0.98 * 24);
  EXPECT_NEAR(r->requests_per_s * r->e2e.mean_s / r->mean_in_system, 1.0, 0.02);
}

TEST(ClosedLoop, NegativeLimitIsAnError) {
  ConstantStepTime m(0.1, 1 << 20);
  SimConfig c;
  c.max_concurrency = -1;
  VectorSource src({Due(10, 2)});
  auto r = RunServingSim(c, {&m}, src);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("max_concurrency"), std::string::npos);
}

}  // namespace
}  // namespace xpusim::sim
