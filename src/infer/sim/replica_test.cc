// KV-cache admission and preemption worked out by hand on a tiny replica.
#include "infer/sim/replica.h"

#include <gtest/gtest.h>

#include "infer/sim/simulator.h"

namespace xpusim::sim {
namespace {

SimConfig TinyConfig() {
  SimConfig c;
  c.scheduler.max_num_seqs = 8;
  c.scheduler.max_num_batched_tokens = 64;
  c.scheduler.block_size_tokens = 16;
  return c;
}

TEST(Replica, BlockArithmetic) {
  ConstantStepTime m(1.0, 64 + 15);  // a partial block does not count
  Replica r(&m, TinyConfig().scheduler, ReplicaRole::kColocated);
  EXPECT_EQ(r.total_blocks(), 4);
  // Peak KV: input + output - 1 tokens (the last token is never stored).
  EXPECT_EQ(r.PeakBlocks(16, 1), 1);
  EXPECT_EQ(r.PeakBlocks(16, 2), 2);
  EXPECT_EQ(r.PeakBlocks(16, 20), 3);  // 35 tokens
  EXPECT_EQ(r.PeakBlocks(33, 32), 4);  // 64 tokens
  Replica p(&m, TinyConfig().scheduler, ReplicaRole::kPrefill);
  EXPECT_EQ(p.PeakBlocks(16, 1000), 1);
}

// Capacity 4 blocks of 16 tokens; each step takes 1 s. A and B (16 prompt
// tokens, 20 output tokens, peak 35 KV tokens = 3 blocks) arrive at t=0
// and t=0.5.
//  t=0      A admitted (1 block), prefilled; first token at 1.
//  t=1      A decodes (2 blocks); B admitted (1 block), prefilled -> TTFT 1.5.
//  t=2..16  both decode; at t=2 B takes its 2nd block: 4 of 4 used.
//  t=17     A (33rd KV token) needs a 3rd block: none free, so B, the last
//           admitted, is preempted (it had 16 tokens generated) and no one
//           is admitted in that step. A: 3 blocks.
//  t=18     B waits for 2 blocks (32 tokens to recompute), 1 free.
//  t=19     A's 20th token: A done at 20 (e2e 20), frees 3 blocks.
//  t=20     B re-prefills 32 tokens (2 blocks) -> 17th token at 21;
//  t=21..23 three decodes (3rd block at t=21): B done at 24 (e2e 23.5).
TEST(Replica, AdmissionAndLifoPreemptionByHand) {
  ConstantStepTime m(1.0, 64);
  VectorSource src({{0.0, 16, 20}, {0.5, 16, 20}});
  auto r = RunServingSim(TinyConfig(), {&m}, src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->requests_completed, 2);
  EXPECT_EQ(r->preemptions, 1);
  EXPECT_EQ(r->iterations, 24);
  EXPECT_DOUBLE_EQ(r->span_s, 24.0);
  EXPECT_DOUBLE_EQ(r->e2e.mean_s, (20.0 + 23.5) / 2);
  EXPECT_DOUBLE_EQ(r->e2e.max_s, 23.5);
  EXPECT_DOUBLE_EQ(r->ttft.mean_s, (1.0 + 1.5) / 2);
  EXPECT_DOUBLE_EQ(r->tpot.max_s, 22.0 / 19.0);  // B: (24 - 2) / 19
  // A in the system over [0, 20], B over [0.5, 24].
  EXPECT_DOUBLE_EQ(r->mean_in_system, 43.5 / 24.0);
}

// Requests due at the same instant are all queued before the engine starts
// an iteration, so they share it: two 16-token prompts with one output token
// each finish together after one 1 s iteration (before, the first started
// alone and the second waited for the next one: TTFT 1 and 2).
TEST(Replica, RequestsDueTogetherShareTheFirstIteration) {
  ConstantStepTime m(1.0, 64);
  VectorSource src({{0.0, 16, 1}, {0.0, 16, 1}});
  auto r = RunServingSim(TinyConfig(), {&m}, src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->iterations, 1);
  EXPECT_DOUBLE_EQ(r->ttft.max_s, 1.0);
  EXPECT_DOUBLE_EQ(r->span_s, 1.0);
}

TEST(Replica, AdmissionWaitsForBlocksAndRejectsWhatNeverFits) {
  // 2 blocks. A (16 in, 17 out: peak 32 tokens = 2 blocks) fills the cache
  // once it decodes; B must wait for A to finish. C can never fit.
  ConstantStepTime m(1.0, 32);
  VectorSource src({{0.0, 16, 17}, {0.5, 16, 1}, {0.6, 40, 1}});
  auto r = RunServingSim(TinyConfig(), {&m}, src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->requests_rejected, 1);
  EXPECT_EQ(r->requests_completed, 2);
  EXPECT_EQ(r->preemptions, 0);
  // A: prefill [0,1), then its first decode at t=1 takes the 2nd block, so
  // B (needs 1 block) waits until A's 16th decode ends at 17; B's prefill
  // ends at 18: TTFT 17.5.
  EXPECT_DOUBLE_EQ(r->span_s, 18.0);
  EXPECT_DOUBLE_EQ(r->ttft.max_s, 17.5);
}

TEST(Replica, SinglePromptLargerThanBudgetIsChunked) {
  SimConfig c = TinyConfig();  // budget 64 tokens
  ConstantStepTime m(1.0, 1024);
  VectorSource src({{0.0, 200, 1}});
  auto r = RunServingSim(c, {&m}, src);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->iterations, 4);  // 64 + 64 + 64 + 8
  EXPECT_DOUBLE_EQ(r->ttft.mean_s, 4.0);
  c.scheduler.chunked_prefill = false;
  VectorSource src2({{0.0, 200, 1}});
  auto r2 = RunServingSim(c, {&m}, src2);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->requests_rejected, 1);  // can never fit one iteration
}

}  // namespace
}  // namespace xpusim::sim
