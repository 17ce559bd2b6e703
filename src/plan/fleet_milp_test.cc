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

// --- Serving fleets (SolveServeFleet): integer instance counts ---

FleetLevel Instance(int64_t chips, double tps, double site_mw, double capex, double usd_per_token, double avg_mw) {
  FleetLevel l;
  l.chips = chips;
  l.tokens_per_s = tps;
  l.site_mw = site_mw;
  l.capex_usd = capex;
  l.usd_per_token = usd_per_token;
  l.avg_mw = avg_mw;
  return l;
}

// One system, one instance size of 1,000 tokens/s: 10,500 tokens/s needs
// ceil(10.5) = 11 instances; the cost is 11 x (capex + 4 years of
// electricity at the instance's rate), written out by hand.
TEST(ServeFleetMilpTest, TenAndAHalfInstancesBuyEleven) {
  ServeFleetProblem p;
  p.rate = 10500;
  p.horizon_s = 4 * 365.25 * 86400;
  p.groups = {{"sys", "chip", {Instance(8, 1000, 0.012, 300e3, 2e-8, 0.009)}}};
  auto s = SolveServeFleet(p);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(s->feasible);
  ASSERT_EQ(s->picks.size(), 1u);
  EXPECT_EQ(s->picks[0].count, 11);
  const double electricity = 126230400.0 * 1000 * 2e-8;  // 4 years x 1,000 tokens/s x USD per token = 2,524.608
  EXPECT_NEAR(s->objective, 11 * (300e3 + electricity), 1e-3);
  // Energy objective: 11 x 0.009 MW.
  p.objective = ServeFleetObjective::kEnergy;
  auto e = SolveServeFleet(p);
  ASSERT_TRUE(e.ok() && e->feasible);
  EXPECT_NEAR(e->objective, 0.099, 1e-12);
}

// Two systems, both 1,000 tokens/s per instance: "cheap" costs 100k and
// draws 0.02 MW, "lean" 200k and 0.01 MW. 10,000 tokens/s: 10 cheap
// (1.0 M USD, 0.2 MW). Under 0.15 MW, unmixed: 10 lean (2.0 M USD);
// mixed: 5 + 5 (0.15 MW, 1.5 M USD). Under 0.09 MW nothing: at most 9
// lean instances fit, and the most the cap allows is 9,000 tokens/s.
TEST(ServeFleetMilpTest, PowerCapChangesTheChoice) {
  ServeFleetProblem p;
  p.rate = 10000;
  p.horizon_s = 1;
  p.groups = {{"cheap", "a", {Instance(8, 1000, 0.02, 100e3, 0, 0.02)}},
              {"lean", "b", {Instance(8, 1000, 0.01, 200e3, 0, 0.01)}}};
  auto free = SolveServeFleet(p);
  ASSERT_TRUE(free.ok() && free->feasible);
  EXPECT_NEAR(free->objective, 1.0e6, 1e-6);
  p.power_cap_mw = 0.15;
  auto capped = SolveServeFleet(p);
  ASSERT_TRUE(capped.ok() && capped->feasible);
  EXPECT_NEAR(capped->objective, 2.0e6, 1e-6);
  ASSERT_EQ(capped->picks.size(), 1u);
  EXPECT_EQ(capped->picks[0].group, 1);
  p.heterogeneous = true;
  auto mixed = SolveServeFleet(p);
  ASSERT_TRUE(mixed.ok() && mixed->feasible);
  EXPECT_NEAR(mixed->objective, 1.5e6, 1e-6);
  EXPECT_EQ(mixed->picks.size(), 2u);
  auto relaxed = SolveServeFleet(p, {.power = true});
  ASSERT_TRUE(relaxed.ok() && relaxed->feasible);
  EXPECT_NEAR(relaxed->objective, 1.0e6, 1e-6);
  p.power_cap_mw = 0.09;
  p.heterogeneous = false;
  auto none = SolveServeFleet(p);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->feasible);
  p.objective = ServeFleetObjective::kMaxRate;
  auto most = SolveServeFleet(p);
  ASSERT_TRUE(most.ok() && most->feasible);
  EXPECT_NEAR(most->objective, 9000, 1e-6);
}

// Every vector of counts (0..ceil(R/T) per level; for kMaxRate 0..the
// count that alone fills the power cap), limits checked directly; the
// cheapest (or least power, or most tokens/s) feasible one. Chips are
// named "a" or "b".
double BruteServe(const ServeFleetProblem& p) {
  struct Slot {
    int g;
    const FleetLevel* l;
    int64_t ub;
  };
  std::vector<Slot> slots;
  for (size_t g = 0; g < p.groups.size(); ++g)
    for (const FleetLevel& l : p.groups[g].levels)
      slots.push_back({static_cast<int>(g), &l,
                       static_cast<int64_t>(p.objective == ServeFleetObjective::kMaxRate
                                                ? std::floor(p.power_cap_mw / l.site_mw)
                                                : std::ceil(p.rate / l.tokens_per_s))});
  const bool max_rate = p.objective == ServeFleetObjective::kMaxRate;
  double best = max_rate ? -1 : std::numeric_limits<double>::infinity();
  std::vector<int64_t> n(slots.size(), 0);
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i < slots.size()) {
      for (n[i] = 0; n[i] <= slots[i].ub; ++n[i]) rec(i + 1);
      return;
    }
    double rate = 0, mw = 0, capex = 0, avg = 0, cost = 0;
    std::vector<double> per_group(p.groups.size(), 0);
    double per_chip[2] = {0, 0};
    for (size_t k = 0; k < slots.size(); ++k) {
      const FleetLevel& l = *slots[k].l;
      const double c = static_cast<double>(n[k]);
      rate += c * l.tokens_per_s;
      mw += c * l.site_mw;
      capex += c * l.capex_usd;
      avg += c * l.avg_mw;
      cost += c * (l.capex_usd + p.horizon_s * l.tokens_per_s * l.usd_per_token);
      per_group[slots[k].g] += c * static_cast<double>(l.chips);
      per_chip[p.groups[slots[k].g].chip == "b"] += c * static_cast<double>(l.chips);
    }
    int used = 0;
    for (double x : per_group) used += x > 0;
    if (!p.heterogeneous && used > 1) return;
    if (!max_rate && rate < p.rate * (1 - 1e-12)) return;
    if (p.power_cap_mw > 0 && mw > p.power_cap_mw + 1e-9) return;
    if (p.budget_usd > 0 && capex > p.budget_usd * (1 + 1e-12)) return;
    for (const SupplyLimit& s : p.supply)
      if (per_chip[s.chip == "b"] > s.chips) return;
    const double v = max_rate ? rate : p.objective == ServeFleetObjective::kEnergy ? avg : cost;
    best = max_rate ? std::max(best, v) : std::min(best, v);
  };
  rec(0);
  return best;
}

TEST(ServeFleetMilpTest, MatchesBruteForce) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < 120; ++trial) {
    ServeFleetProblem p;
    p.rate = 5000;
    p.horizon_s = 1e7;
    p.heterogeneous = trial % 2 == 0;
    p.objective = static_cast<ServeFleetObjective>(trial % 3);
    const char* chips[] = {"a", "b", "a"};
    // kMaxRate enumerates up to the power cap: two groups keep it small.
    for (int g = 0; g < (p.objective == ServeFleetObjective::kMaxRate ? 2 : 3); ++g) {
      FleetGroup grp{"g" + std::to_string(g), chips[g], {}};
      for (int l = 0; l < 2; ++l) {
        const int64_t n = 8 * (l + 1);
        grp.levels.push_back(Instance(n, 1000 + 2000 * u(rng) * (l + 1), 0.01 * n * (0.5 + u(rng)),
                                      1e4 * n * (0.5 + u(rng)), 1e-9 * u(rng), 0.008 * n * (0.5 + u(rng))));
      }
      p.groups.push_back(grp);
    }
    if (u(rng) < 0.6) p.power_cap_mw = 0.1 + 0.3 * u(rng);
    if (u(rng) < 0.5) p.budget_usd = 2e5 + 6e5 * u(rng);
    if (u(rng) < 0.5) p.supply.push_back({"a", 16 + std::floor(40 * u(rng))});
    if (p.objective == ServeFleetObjective::kMaxRate && p.power_cap_mw == 0) p.power_cap_mw = 0.2;
    const double want = BruteServe(p);
    auto s = SolveServeFleet(p);
    ASSERT_TRUE(s.ok()) << s.status().message();
    const bool brute_ok = p.objective == ServeFleetObjective::kMaxRate ? want > 0 : std::isfinite(want);
    if (p.objective == ServeFleetObjective::kMaxRate && !brute_ok) continue;  // empty fleet either way
    ASSERT_EQ(s->feasible, brute_ok) << "trial " << trial;
    if (!brute_ok) {
      ++infeasible;
      continue;
    }
    ++feasible;
    EXPECT_NEAR(s->objective, want, 1e-6 * std::max(1.0, std::abs(want))) << "trial " << trial;
  }
  EXPECT_GT(feasible, 30);
  EXPECT_GT(infeasible, 5);
}

}  // namespace
}  // namespace xpusim
