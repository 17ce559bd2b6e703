#include "plan/search.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "support/test_catalog.h"

#include "plan/validation.h"
#include "xpusim/catalog.h"

namespace xpusim {
namespace {

const Catalog& TheCatalog() { return test_support::TestCatalog(); }

TrainEvaluator MakeEval(const std::string& model, const std::string& system, int64_t chips, int64_t gbs,
                        int64_t seq) {
  const Catalog& cat = TheCatalog();
  auto m = cat.ResolveModel(model);
  auto s = cat.ResolveSystem(system);
  EXPECT_TRUE(m.ok() && s.ok());
  TrainWorkload w;
  w.global_batch = gbs;
  w.seq_len = seq;
  auto ev = TrainEvaluator::Create(cat, *m, *s, chips, w);
  EXPECT_TRUE(ev.ok()) << ev.status().ToString();
  return std::move(*ev);
}

SearchResult MustSearch(const TrainEvaluator& ev, const SearchOptions& o) {
  auto r = SearchPlans(ev, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : SearchResult{};
}

void ExpectSameTop(const SearchResult& a, const SearchResult& b) {
  ASSERT_EQ(a.top.size(), b.top.size());
  for (size_t i = 0; i < a.top.size(); ++i) {
    EXPECT_FALSE(PlanLess(a.top[i].result.plan, b.top[i].result.plan) ||
                 PlanLess(b.top[i].result.plan, a.top[i].result.plan))
        << "rank " << i;
    EXPECT_EQ(a.top[i].objective, b.top[i].objective) << "rank " << i;
  }
}

struct BruteCase {
  const char* model;
  const char* system;
  int64_t chips, gbs, seq;
  SearchObjective objective;
  double mem_frac;
};

// Small jobs where evaluating every plan is affordable; the memory limits
// are chosen so that pruning has work to do.
const BruteCase kBrute[] = {
    {"llama3-8b", "dgx-h100", 16, 64, 4096, SearchObjective::kTime, 1.0},
    {"llama3-8b", "dgx-h100", 64, 128, 8192, SearchObjective::kTime, 0.5},
    {"llama3-8b", "dgx-h100", 32, 64, 4096, SearchObjective::kEnergy, 0.6},
    {"llama3-8b", "dgx-h100", 32, 64, 4096, SearchObjective::kCost, 0.8},
    {"mixtral-8x7b", "dgx-h100", 32, 64, 4096, SearchObjective::kTime, 1.0},
    {"llama3-70b", "dgx-h100", 32, 32, 4096, SearchObjective::kTime, 1.0},
};

TEST(SearchTest, PruningFindsTheBruteForceBest) {
  for (const BruteCase& c : kBrute) {
    SCOPED_TRACE(std::string(c.model) + " x " + std::to_string(c.chips));
    const TrainEvaluator ev = MakeEval(c.model, c.system, c.chips, c.gbs, c.seq);
    SearchOptions o;
    o.objective = c.objective;
    o.max_memory_frac = c.mem_frac;
    o.top_k = 8;
    const SearchResult pruned = MustSearch(ev, o);
    o.prune = false;
    const SearchResult brute = MustSearch(ev, o);
    ASSERT_FALSE(brute.top.empty());
    ExpectSameTop(pruned, brute);
    EXPECT_EQ(pruned.counts.enumerated, brute.counts.enumerated);
    EXPECT_EQ(brute.counts.pruned, 0);
    EXPECT_EQ(brute.counts.evaluated, brute.counts.enumerated);
    EXPECT_EQ(pruned.counts.pruned + pruned.counts.evaluated, pruned.counts.enumerated);
    EXPECT_EQ(pruned.counts.rejected, 0);
    EXPECT_EQ(brute.counts.rejected, 0);
    // Every pruned plan really does not fit.
    EXPECT_EQ(brute.counts.oom - pruned.counts.oom, pruned.counts.pruned);
  }
}

TEST(SearchTest, PruningSkipsWork) {
  const TrainEvaluator ev = MakeEval("llama3-70b", "dgx-h100", 64, 64, 4096);
  const SearchResult r = MustSearch(ev, SearchOptions{});
  EXPECT_GT(r.counts.pruned, 0);
  EXPECT_LT(r.counts.evaluated, r.counts.enumerated);
}

TEST(SearchTest, SameResultWithOneAndTwoThreads) {
  for (const BruteCase& c : kBrute) {
    const TrainEvaluator ev = MakeEval(c.model, c.system, c.chips, c.gbs, c.seq);
    SearchOptions o;
    o.objective = c.objective;
    o.max_memory_frac = c.mem_frac;
    o.top_k = 20;
    o.threads = 1;
    const SearchResult one = MustSearch(ev, o);
    o.threads = 2;
    const SearchResult two = MustSearch(ev, o);
    EXPECT_EQ(one.threads, 1);
    EXPECT_EQ(two.threads, 2);
    ExpectSameTop(one, two);
    EXPECT_EQ(one.counts.enumerated, two.counts.enumerated);
    EXPECT_EQ(one.counts.evaluated, two.counts.evaluated);
    EXPECT_EQ(one.counts.oom, two.counts.oom);
  }
}

TEST(SearchTest, BestIsLegalFitsAndSorted) {
  const TrainEvaluator ev = MakeEval("llama3-70b", "dgx-h100", 64, 128, 8192);
  SearchOptions o;
  o.max_memory_frac = 0.9;
  o.top_k = 10;
  const SearchResult r = MustSearch(ev, o);
  ASSERT_EQ(r.top.size(), 10u);
  for (size_t i = 0; i < r.top.size(); ++i) {
    const TrainResult& t = r.top[i].result;
    EXPECT_TRUE(ev.CheckPlan(t.plan).ok());
    EXPECT_LE(t.memory_per_chip_gb, 0.9 * ev.chip().memory_gb.value + 1e-9);
    EXPECT_TRUE(t.fits);
    EXPECT_LE(t.plan.tp, ev.system().scaleup_domain_chips);
    if (i > 0) EXPECT_LE(r.top[i - 1].objective, r.top[i].objective);
  }
}

TEST(SearchTest, FixedDegreesAreHonoured) {
  const TrainEvaluator ev = MakeEval("llama3-8b", "dgx-h100", 32, 64, 4096);
  SearchOptions o;
  o.top_k = 10;
  o.fixed.tp = 2;
  o.fixed.recompute = Recompute::kFull;
  o.fixed.micro_batch = 1;
  const SearchResult r = MustSearch(ev, o);
  ASSERT_FALSE(r.top.empty());
  for (const RankedPlan& p : r.top) {
    EXPECT_EQ(p.result.plan.tp, 2);
    EXPECT_EQ(p.result.plan.recompute, Recompute::kFull);
    EXPECT_EQ(p.result.plan.micro_batch, 1);
  }
  SearchOptions wide;
  wide.max_tp = 16;
  wide.fixed.tp = 16;  // beyond the 8-GPU NVLink domain, but asked for
  const SearchResult w = MustSearch(ev, wide);
  ASSERT_FALSE(w.top.empty());
  EXPECT_EQ(w.top[0].result.plan.tp, 16);
}

TEST(SearchTest, MaxTpBoundsTp) {
  const TrainEvaluator ev = MakeEval("llama3-8b", "dgx-h100", 32, 64, 4096);
  SearchOptions o;
  o.top_k = 50;
  o.max_tp = 2;
  for (const RankedPlan& p : MustSearch(ev, o).top) EXPECT_LE(p.result.plan.tp, 2);
}

TEST(SearchTest, NothingFitsReportsTheSmallest) {
  const TrainEvaluator ev = MakeEval("llama3-405b", "dgx-h100", 8, 16, 8192);
  const SearchResult r = MustSearch(ev, SearchOptions{});
  EXPECT_TRUE(r.top.empty());
  ASSERT_TRUE(r.least_memory.has_value());
  EXPECT_GT(r.least_memory->memory_per_chip_gb, 80);
}

TEST(SearchTest, BadOptions) {
  const TrainEvaluator ev = MakeEval("llama3-8b", "dgx-h100", 8, 16, 4096);
  SearchOptions o;
  o.max_memory_frac = 1.5;
  EXPECT_FALSE(SearchPlans(ev, o).ok());
  o = {};
  o.top_k = 0;
  EXPECT_FALSE(SearchPlans(ev, o).ok());
  EXPECT_FALSE(ParseSearchObjective("speed").ok());
  EXPECT_EQ(*ParseSearchObjective("Energy"), SearchObjective::kEnergy);
}

TEST(SearchTest, RunnerUpComparisonSumsToTheDifference) {
  const TrainEvaluator ev = MakeEval("llama3-8b", "dgx-h100", 64, 128, 8192);
  const SearchResult r = MustSearch(ev, SearchOptions{});
  ASSERT_GE(r.top.size(), 2u);
  double sum = 0;
  for (const TermDelta& d : CompareStepTimes(r.top[0].result, r.top[1].result)) sum += d.delta_s();
  EXPECT_NEAR(sum, r.top[1].result.step_time_s - r.top[0].result.step_time_s, 1e-9);
}

TEST(SearchTest, ParseChipSweep) {
  struct Case {
    const char* spec;
    std::vector<int64_t> want;  // empty: error
  } cases[] = {
      {"512,1024,2048", {512, 1024, 2048}},
      {"2048,512,512", {512, 2048}},
      {"512:8192:x2", {512, 1024, 2048, 4096, 8192}},
      {"512:2048:+512", {512, 1024, 1536, 2048}},
      {"512:8192", {}},
      {"512:8192:x1", {}},
      {"8192:512:x2", {}},
      {"0,8", {}},
      {"abc", {}},
      {"", {}},
  };
  for (const Case& c : cases) {
    auto r = ParseChipSweep(c.spec);
    if (c.want.empty()) {
      EXPECT_FALSE(r.ok()) << c.spec;
    } else {
      ASSERT_TRUE(r.ok()) << c.spec << ": " << r.status().ToString();
      EXPECT_EQ(*r, c.want) << c.spec;
    }
  }
}

TEST(SearchTest, StrongAndWeakSweep) {
  const TrainEvaluator ev = MakeEval("llama3-8b", "dgx-h100", 16, 64, 4096);
  for (bool weak : {false, true}) {
    auto r = SweepChips(TheCatalog(), ev, {16, 32, 64}, weak, SearchOptions{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 3u);
    EXPECT_DOUBLE_EQ((*r)[0].scaling_efficiency, 1.0);
    EXPECT_EQ((*r)[2].global_batch, weak ? 256 : 64);
    for (const SweepPoint& p : *r) {
      ASSERT_FALSE(p.search.top.empty());
      EXPECT_GT(p.scaling_efficiency, 0.3);
      EXPECT_LE(p.scaling_efficiency, 1.2);
    }
  }
}

// Megatron 2021 Table 1: the search, given only model, cluster and batch
// (and the case's software options), must find a plan predicted at least as
// fast as the published one, which lies in the space.
TEST(SearchTest, MegatronTable1SearchBeatsPublishedPlans) {
  auto suite = LoadValidationSuite(std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "validation" / "training");
  ASSERT_TRUE(suite.ok()) << suite.status().ToString();
  const Catalog& cat = TheCatalog();
  int rows = 0;
  std::printf("%-7s %5s | %-40s %8s | %-40s %8s | %-40s %8s | %6s\n", "case", "chips", "published plan",
              "pred s", "searched, 2021 features", "pred s", "searched, all features", "pred s", "search");
  for (const TrainCase& c : suite->cases) {
    if (c.id.rfind("megatron2021-t1-", 0) != 0) continue;
    ++rows;
    auto m = cat.FindModel(c.model_id);
    auto s = cat.FindSystem(c.system_id);
    ASSERT_TRUE(m.ok() && s.ok()) << c.id;
    // The cases say fp16 (2021); the model trains in bf16 or fp8, and the
    // A100's fp16 and bf16 peaks are equal.
    TrainWorkload w = c.workload;
    if (w.precision != Precision::kFp8) w.precision = Precision::kBf16;
    auto ev = TrainEvaluator::Create(cat, **m, **s, c.chips, w, c.options);
    ASSERT_TRUE(ev.ok()) << c.id << ": " << ev.status().ToString();
    auto pub = ev->Evaluate(c.plan);
    ASSERT_TRUE(pub.ok()) << c.id << ": " << pub.status().ToString();
    SearchOptions o;
    o.top_k = 1;
    const SearchResult r = MustSearch(*ev, o);
    ASSERT_FALSE(r.top.empty()) << c.id;
    const TrainResult& best = r.top[0].result;
    auto plan_str = [](const ParallelPlan& p) {
      char b[96];
      std::snprintf(b, sizeof b, "tp%d pp%d dp%d vpp%d %s z%d %s mb%d", p.tp, p.pp, p.dp, p.vpp,
                    p.sp && p.tp > 1 ? "sp" : "nosp", p.zero, RecomputeName(p.recompute), p.micro_batch);
      return std::string(b);
    };
    // The 2021 software: no SP, no distributed optimizer, full recompute.
    SearchOptions o21 = o;
    o21.fixed.sp = false;
    o21.fixed.zero = 0;
    o21.fixed.recompute = Recompute::kFull;
    const SearchResult r21 = MustSearch(*ev, o21);
    ASSERT_FALSE(r21.top.empty()) << c.id;
    const TrainResult& best21 = r21.top[0].result;
    std::printf("%-7s %5lld | %-40s %7.2f%s | %-40s %8.2f | %-40s %8.2f | %5.3fs\n", c.id.c_str() + 16,
                static_cast<long long>(c.chips), plan_str(c.plan).c_str(), pub->step_time_s, pub->fits ? " " : "!",
                plan_str(best21.plan).c_str(), best21.step_time_s, plan_str(best.plan).c_str(), best.step_time_s,
                r.seconds);
    EXPECT_LE(best.step_time_s, best21.step_time_s * (1 + 1e-12)) << c.id;
    // The published plan is in the searched space.
    SearchOptions only = o;
    only.prune = false;
    only.fixed = {c.plan.tp, c.plan.pp, c.plan.dp, c.plan.ep, c.plan.cp, c.plan.vpp, c.plan.zero,
                  c.plan.micro_batch, c.plan.sp, c.plan.recompute, c.plan.schedule};
    EXPECT_EQ(MustSearch(*ev, only).counts.enumerated, 1) << c.id;
    if (pub->fits) {
      EXPECT_LE(best.step_time_s, pub->step_time_s * (1 + 1e-12)) << c.id;
      EXPECT_LE(best21.step_time_s, pub->step_time_s * (1 + 1e-12)) << c.id;
    }
  }
  EXPECT_GE(rows, 10);
}

}  // namespace
}  // namespace xpusim
