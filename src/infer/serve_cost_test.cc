// Cost per million tokens of a serving deployment, written out by hand from
// the cost model's definitions (src/energy/cost.h) and the data file's values.
#include <gtest/gtest.h>

#include "support/test_catalog.h"
#include "xpusim/catalog.h"
#include "xpusim/serve.h"

namespace xpusim {
namespace {

const Catalog& Cat() { return test_support::TestCatalog(); }

Result<ServeResult> Serve(const std::string& system, int64_t chips, ServeLayout l, ServeOptions o = {}) {
  XPU_ASSIGN_OR_RETURN(const Model* m, Cat().FindModel("llama3-8b"));
  XPU_ASSIGN_OR_RETURN(const System* s, Cat().FindSystem(system));
  XPU_ASSIGN_OR_RETURN(ServeEvaluator ev, ServeEvaluator::Create(Cat(), *m, *s, chips, {l, Precision::kBf16, Precision::kBf16}, o));
  return ev.Evaluate({.batch = 64, .input_len = 1000, .output_len = 1000});
}

// USD per million tokens from the answer's power and throughput:
// hardware (node price pro rata) and the scale-out network (12% of all
// hardware capex: hw x 0.12 / 0.88) over `years`, the facility for the
// provisioned IT power (chips at TDP + nodes x overhead, 11.7 M USD per MW)
// over 15 years, both divided by the utilisation, plus wall power x 0.08
// USD/kWh (data/energy/costs.yaml).
double ByHand(const System& s, const Chip& c, int64_t chips, const ServeResult& r, double years, double util) {
  const double hour_s = 3600, year_h = 365.25 * 24;
  const double nodes = static_cast<double>(chips) / s.chips_per_node;
  const double hw = nodes * s.node_price_usd.value;
  const double capex_h = (hw + hw * 0.12 / 0.88) / (years * year_h * util) +
                         (chips * c.tdp_w.value + nodes * s.node_overhead_power_w.value) / 1e6 * 11.7e6 /
                             (15 * year_h * util);
  const double power_h = r.cluster_power_kw * 0.08;
  return (capex_h + power_h) / (r.tokens_per_s * hour_s) * 1e6;
}

TEST(ServeCostTest, CostPerMtokIsTheSharedCostModelWithNodesProRata) {
  const System& s = **Cat().FindSystem("dgx-h100");
  const Chip& c = Cat().ChipOf(s);
  ASSERT_TRUE(s.node_price_usd.known());
  for (int64_t chips : {1, 8}) {
    auto r = Serve("dgx-h100", chips, {.tp = static_cast<int>(chips)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->cost_known);
    const double want = ByHand(s, c, chips, *r, 4, 1);
    EXPECT_NEAR(r->cost_per_mtok_usd, want, 1e-9 * want) << chips << " chips";
  }
}

TEST(ServeCostTest, UtilisationAndBookLifeScaleTheCapex) {
  const System& s = **Cat().FindSystem("dgx-h100");
  const Chip& c = Cat().ChipOf(s);
  auto r = Serve("dgx-h100", 8, {.tp = 8}, {.amortization_years = 3, .utilization = 0.5});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const double want = ByHand(s, c, 8, *r, 3, 0.5);
  EXPECT_NEAR(r->cost_per_mtok_usd, want, 1e-9 * want);
  // Half the hours serving doubles the capex part, not the electricity.
  auto full = Serve("dgx-h100", 8, {.tp = 8}, {.amortization_years = 3});
  ASSERT_TRUE(full.ok());
  EXPECT_GT(r->cost_per_mtok_usd, full->cost_per_mtok_usd * 1.5);
  EXPECT_LT(r->cost_per_mtok_usd, full->cost_per_mtok_usd * 2);
  EXPECT_FALSE(Serve("dgx-h100", 8, {.tp = 8}, {.utilization = 1.5}).ok());
}

TEST(ServeCostTest, NoPriceMeansUnknownCostNotAnEnergyOnlyCost) {
  const System& s = **Cat().FindSystem("hgx-h800");
  ASSERT_FALSE(s.node_price_usd.known());
  ASSERT_FALSE(Cat().ChipOf(s).price_usd.known());
  auto r = Serve("hgx-h800", 8, {.tp = 8});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->cost_known);
  EXPECT_EQ(r->cost_per_mtok_usd, 0);
  EXPECT_GT(r->energy_per_token_j, 0);  // energy is still known
}

// tpu-v5p has no TDP in the catalog: the power model has nothing to scale,
// so power, energy and cost are unknown rather than 0 W and a tiny J/token.
TEST(ServeCostTest, NoTdpMeansUnknownPowerEnergyAndCost) {
  const System& s = **Cat().FindSystem("tpu-v5p-pod");
  ASSERT_FALSE(Cat().ChipOf(s).tdp_w.known());
  auto r = Serve("tpu-v5p-pod", 8, {.tp = 1, .dp = 8});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->power_known);
  EXPECT_FALSE(r->cost_known);
  // A chip with a TDP: both known.
  auto h = Serve("dgx-h100", 8, {.tp = 8});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->power_known);
  EXPECT_TRUE(h->cost_known);
}

// --burst-clocks is faster but draws the burst clock's power (above the
// TDP, energy/power.h): the energy per token cannot fall, since dynamic energy
// per FLOP grows with V^2. It used to fall by 6% (TDP power, shorter steps).
TEST(ServeCostTest, BurstClocksAreFasterButNeverCheaperInEnergy) {
  auto sustained = Serve("dgx-h100", 1, {});
  auto burst = Serve("dgx-h100", 1, {}, {.sustained_clocks = false});
  ASSERT_TRUE(sustained.ok() && burst.ok());
  EXPECT_LT(burst->ttft_s, sustained->ttft_s);
  EXPECT_GT(burst->power_w_per_chip, sustained->power_w_per_chip);
  EXPECT_GE(burst->energy_per_token_j, sustained->energy_per_token_j);
}

}  // namespace
}  // namespace xpusim
