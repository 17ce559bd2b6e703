// The fleet MILP (GLPK) against brute-force enumeration of every selection
// on small random instances: same feasibility, same optimum. The brute
// force shares no code with the formulation: it walks every combination of
// levels, keeps those whose batch shares sum to one, checks the limits
// directly and computes the step as the slowest group plus the exchange.
#include "plan/fleet_milp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

namespace xpusim {
namespace {

struct Brute {
  bool feasible = false;
  double cost = std::numeric_limits<double>::infinity();
  double days = std::numeric_limits<double>::infinity();
};

// Every selection (none or one level per group), cost at duration D, and
// the shortest feasible time with D as the deadline (0: none).
Brute BruteForce(const FleetProblem& p, double D) {
  Brute best;
  const int n = static_cast<int>(p.groups.size());
  std::vector<int> pick(n, -1);
  std::function<void(int)> rec = [&](int g) {
    if (g < n) {
      for (int l = -1; l < static_cast<int>(p.groups[g].levels.size()); ++l) {
        pick[g] = l;
        rec(g + 1);
      }
      return;
    }
    std::vector<const FleetLevel*> sel;
    std::vector<std::string> chips;
    for (int i = 0; i < n; ++i)
      if (pick[i] >= 0) sel.push_back(&p.groups[i].levels[pick[i]]), chips.push_back(p.groups[i].chip);
    if (sel.empty()) return;
    if (!p.heterogeneous && sel.size() > 1) return;
    double mw = 0, capex = 0, tau = 0;
    for (const FleetLevel* l : sel) mw += l->site_mw, capex += l->capex_usd;
    if (sel.size() > 1)
      for (const FleetLevel* l : sel) tau = std::max(tau, l->sync_s);
    if (p.power_cap_mw > 0 && mw > p.power_cap_mw + 1e-9) return;
    if (p.budget_usd > 0 && capex > p.budget_usd * (1 + 1e-12)) return;
    for (const SupplyLimit& s : p.supply) {
      double used = 0;
      for (size_t i = 0; i < sel.size(); ++i)
        if (chips[i] == s.chip) used += sel[i]->chips;
      if (used > s.chips) return;
    }
    double share = 0, t = 0, cost = capex;
    for (const FleetLevel* l : sel) {
      share += l->share;
      t = std::max(t, l->share * p.tokens / l->tokens_per_s);  // the slowest group sets the pace
      cost += l->share * p.tokens * l->usd_per_token;
    }
    if (std::abs(share - 1) > 1e-9) return;
    t += p.steps * tau;
    if (D > 0 && t > D * (1 + 1e-9)) return;
    best.feasible = true;
    best.days = std::min(best.days, t / 86400);
    best.cost = std::min(best.cost, cost);
  };
  rec(0);
  return best;
}

FleetProblem RandomProblem(std::mt19937& rng, bool het, bool time) {
  std::uniform_real_distribution<double> u(0, 1);
  FleetProblem p;
  p.tokens = 1e12;
  p.steps = 1e12 / 4e6;
  p.heterogeneous = het;
  p.minimise_time = time;
  const char* chips[] = {"a", "b", "a"};  // two groups share chip "a" (supply)
  for (int g = 0; g < 3; ++g) {
    FleetGroup grp;
    grp.id = "sys" + std::to_string(g);
    grp.chip = chips[g];
    double n = 64, rate = 2e5 * (0.5 + u(rng));
    for (int l = 0; l < 3; ++l) {
      FleetLevel lv;
      lv.chips = static_cast<int64_t>(n);
      lv.site_mw = n * (1.0 + u(rng)) * 1e-3;
      lv.capex_usd = n * (2e4 + 3e4 * u(rng));
      lv.sync_s = 0.05 + 0.5 * u(rng);
      // The same rung at a quarter, half, three quarters and all of the
      // batch: a smaller batch runs a little slower per chip.
      for (double share : {0.25, 0.5, 0.75, 1.0}) {
        if (!het && share < 1) continue;
        lv.share = share;
        lv.tokens_per_s = rate * (0.8 + 0.2 * share);
        lv.usd_per_token = 1e-9 * (0.5 + u(rng));
        grp.levels.push_back(lv);
      }
      n *= 2;
      rate *= 1.5 + 0.4 * u(rng);
    }
    p.groups.push_back(grp);
  }
  p.power_cap_mw = 0.2 + 0.6 * u(rng);
  p.budget_usd = 5e6 + 2e7 * u(rng);
  p.supply = {{"a", 64 + 400 * u(rng)}};
  p.duration_s = (5 + 60 * u(rng)) * 86400;
  return p;
}

TEST(FleetMilpTest, CostOptimumMatchesBruteForce) {
  std::mt19937 rng(7);
  int feasible = 0, mixed = 0;
  for (int i = 0; i < 60; ++i) {
    const FleetProblem p = RandomProblem(rng, i % 2 == 1, false);
    const Brute b = BruteForce(p, p.duration_s);
    auto s = SolveFleet(p);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_EQ(s->feasible, b.feasible) << "instance " << i;
    if (!b.feasible) continue;
    ++feasible;
    mixed += s->picks.size() > 1;
    EXPECT_NEAR(s->objective, b.cost, 1e-6 * b.cost) << "instance " << i;
  }
  EXPECT_GT(feasible, 15);  // the instances exercise both outcomes
  EXPECT_LT(feasible, 60);
  EXPECT_GT(mixed, 0);      // and heterogeneous picks
}

TEST(FleetMilpTest, TimeOptimumMatchesBruteForce) {
  std::mt19937 rng(11);
  int feasible = 0;
  for (int i = 0; i < 40; ++i) {
    FleetProblem p = RandomProblem(rng, i % 2 == 0, true);
    if (i % 3 == 0) p.duration_s = 0;  // no deadline: fastest fleet
    const Brute b = BruteForce(p, p.duration_s);
    auto s = SolveFleet(p);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_EQ(s->feasible, b.feasible) << "instance " << i;
    if (!b.feasible) continue;
    ++feasible;
    EXPECT_NEAR(s->objective, b.days, 2e-5 * b.days) << "instance " << i;
  }
  EXPECT_GT(feasible, 10);
}

// Hand-made: two systems, the cheap one cannot make the deadline alone, so
// with mixing allowed the optimum buys both and pays the exchange.
TEST(FleetMilpTest, MixingPaysTheExchangeTime) {
  FleetProblem p;
  p.tokens = 8.64e10;  // 1 day at 1e6 tokens/s
  p.steps = 1000;
  p.duration_s = 86400;
  p.heterogeneous = true;
  // Each system at half the batch: 6e5 tokens/s; at the whole batch the same
  // (so alone it needs 8.64e10 / 6e5 = 144,000 s > 1 day).
  p.groups = {{"fast", "f", {{8, 6e5, 1, 10e6, 0, 1.0, 0.5}, {8, 6e5, 1, 10e6, 0, 1.0, 1.0}}},
              {"slow", "s", {{8, 6e5, 1, 1e6, 0, 2.0, 0.5}, {8, 6e5, 1, 1e6, 0, 2.0, 1.0}}}};
  // Half each: 72,000 s of work + 1000 steps x 2 s exchange = 74,000 s <= 86,400.
  auto s = SolveFleet(p);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->feasible);
  EXPECT_EQ(s->picks.size(), 2u);
  EXPECT_DOUBLE_EQ(s->tau_s, 2.0);
  EXPECT_NEAR(s->objective, 11e6, 1);
  // 10,000 steps: 72,000 + 20,000 s > 86,400: infeasible.
  p.steps = 10000;
  auto t = SolveFleet(p);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->feasible);
  // Not allowed to mix: neither alone makes it.
  p.steps = 1000;
  p.heterogeneous = false;
  auto u = SolveFleet(p);
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE(u->feasible);
}

}  // namespace
}  // namespace xpusim
