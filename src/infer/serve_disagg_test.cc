// Disaggregated search against brute force over the same candidates.
#include <gtest/gtest.h>

#include "support/test_catalog.h"

#include "xpusim/catalog.h"
#include "xpusim/serve.h"

namespace xpusim {
namespace {

struct Fixture {
  const Catalog* cat;
  const Model* model;
  const System* system;
  ServeDeployment base;
  ServeOptions options;
  ServeWorkload w{0, 2000, 500, ServePhase::kBoth};
};

const Fixture& F() {
  static const Fixture* f = [] {
    const Catalog* c = &test_support::TestCatalog();
    auto* x = new Fixture{c, *c->FindModel("llama3-70b"), *c->FindSystem("dgx-h100"), {}, {}};
    x->base.weights = Precision::kFp8;
    return x;
  }();
  return *f;
}

TEST(ServeDisaggSearchTest, PrefillLayoutIsTheBestOfAllLayouts) {
  const Fixture& f = F();
  const ServeSlo slo{0.060, 0};
  auto got = SearchDisaggregated(*f.cat, *f.model, *f.system, 8, 16, f.base, f.options, f.w, slo);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  // The decode pool is what a decode-phase search of 16 chips finds.
  ServeWorkload wd = f.w;
  wd.phase = ServePhase::kDecode;
  auto decode = SearchServe(*f.cat, *f.model, *f.system, 16, f.base, f.options, wd, slo);
  ASSERT_TRUE(decode.ok());
  EXPECT_EQ(got->layout.tp, decode->layout.tp);
  EXPECT_EQ(got->layout.dp, decode->layout.dp);
  EXPECT_EQ(got->batch, decode->batch);
  // Brute force over every tp x pp of the 8 prefill chips.
  ServeDeployment dd = f.base;
  dd.layout = decode->layout;
  ServeWorkload wb = f.w;
  wb.batch = decode->batch;
  double best = 0;
  for (int tp : {1, 2, 4, 8})
    for (int pp : {1, 2, 4, 8}) {
      if (tp * pp > 8) continue;
      ServeDeployment dp = f.base;
      dp.layout = ServeLayout{tp, pp, 8 / (tp * pp), 1};
      auto r = EvaluateDisaggregated(*f.cat, *f.model, *f.system, 8, dp, 16, dd, f.options, wb);
      if (r.ok() && r->fits && r->tpot_s <= slo.tpot_s) best = std::max(best, r->tokens_per_s);
    }
  EXPECT_GT(best, 0);
  EXPECT_DOUBLE_EQ(got->tokens_per_s, best);
  EXPECT_EQ(got->prefill_chips, 8);
  EXPECT_EQ(got->decode_chips, 16);
}

TEST(ServeDisaggSearchTest, SplitIsTheBestOfEveryWholeNodeSplit) {
  const Fixture& f = F();
  const ServeSlo slo{0.060, 0};
  auto got = SearchDisaggregatedSplit(*f.cat, *f.model, *f.system, 32, f.base, f.options, f.w, slo);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  double best = 0;
  int64_t best_p = 0;
  for (int64_t p : {8, 16, 24}) {
    auto r = SearchDisaggregated(*f.cat, *f.model, *f.system, p, 32 - p, f.base, f.options, f.w, slo);
    if (r.ok() && r->tokens_per_s > best) best = r->tokens_per_s, best_p = p;
  }
  EXPECT_DOUBLE_EQ(got->tokens_per_s, best);
  EXPECT_EQ(got->prefill_chips, best_p);
  EXPECT_EQ(got->prefill_chips + got->decode_chips, 32);
  EXPECT_EQ(got->disagg_splits_tried, 3);
}

TEST(ServeDisaggSearchTest, UnreachableTtftIsAClearError) {
  const Fixture& f = F();
  auto r = SearchDisaggregated(*f.cat, *f.model, *f.system, 8, 16, f.base, f.options, f.w, {0.060, 1e-4});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("TTFT"), std::string::npos) << r.status().message();
  auto s = SearchDisaggregatedSplit(*f.cat, *f.model, *f.system, 12, f.base, f.options, f.w, {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("whole nodes"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace xpusim
