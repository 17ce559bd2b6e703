// The project's accuracy bars (shared/DESIGN.md "Quality bars", issue 3),
// checked against published measurements that the model was not fitted to:
// the expected values are the papers' numbers in data/validation/.
#include <gtest/gtest.h>

#include <cmath>

#include "plan/validation.h"

namespace xpusim {
namespace {

class AccuracyBarsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::filesystem::path data = XPUSIM_SOURCE_DATA_DIR;
    auto catalog = Catalog::Load(data);
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    auto suite = LoadValidationSuite(data / "validation");
    ASSERT_TRUE(suite.ok()) << suite.status().ToString();
    const auto predictor = MakeCatalogPredictor(*catalog, data / "calibration");
    report_ = new ValidationReport(RunValidation(*suite, *predictor));
  }
  static void TearDownTestSuite() { delete report_; }
  static const CaseOutcome* Find(const std::string& id) {
    for (const auto& o : report_->outcomes)
      if (o.id == id) return &o;
    return nullptr;
  }
  static ValidationReport* report_;
};
ValidationReport* AccuracyBarsTest::report_ = nullptr;

TEST_F(AccuracyBarsTest, TrainingMapeWithinTenPercent) {
  const GroupStats& g = report_->groups.at("training");
  EXPECT_EQ(g.failed, 0);
  EXPECT_GE(g.cases, 13);
  EXPECT_LE(g.mape_pct, 10.0);
}

TEST_F(AccuracyBarsTest, EveryMegatronTable1RowWithinTenPercent) {
  int seen = 0;
  for (const auto& o : report_->outcomes) {
    if (o.id.rfind("megatron2021-t1-", 0) != 0) continue;
    ++seen;
    ASSERT_TRUE(o.ok()) << o.id << ": " << o.error;
    EXPECT_LE(std::fabs(o.error_pct), 10.0) << o.id;
  }
  EXPECT_EQ(seen, 10);
}

TEST_F(AccuracyBarsTest, KorthikantiLayerTimesWithinFifteenPercent) {
  for (const char* id : {"korthikanti2022-t4-22b-layer-baseline-norecompute",
                         "korthikanti2022-t4-22b-layer-full-recompute",
                         "korthikanti2022-t4-22b-layer-selective-plus-seqpar"}) {
    const CaseOutcome* o = Find(id);
    ASSERT_NE(o, nullptr) << id;
    ASSERT_TRUE(o->ok()) << o->error;
    EXPECT_LE(std::fabs(o->error_pct), 15.0) << id;
  }
  // Full recompute costs a forward pass more than no recompute (Table 4: +39%).
  const double ratio = Find("korthikanti2022-t4-22b-layer-full-recompute")->predicted /
                       Find("korthikanti2022-t4-22b-layer-baseline-norecompute")->predicted;
  EXPECT_GT(ratio, 1.25);
  EXPECT_LT(ratio, 1.5);
}

TEST_F(AccuracyBarsTest, NoTrainingCaseWorseThanThirtyPercent) {
  // The bar is 20%; GPT-NeoX-20B (+27%) and OPT-175B (+23%) miss it
  // (see doc/validation.md: both report TFLOP/s without saying how they
  // counted). This test keeps them from drifting further.
  for (const auto& o : report_->outcomes) {
    if (o.group != ValidationGroup::kTraining) continue;
    EXPECT_LE(std::fabs(o.error_pct), 30.0) << o.id;
  }
}

TEST_F(AccuracyBarsTest, H100GemmMedianWithinTenPercent) {
  const CaseOutcome* o = Find("h100-gemm-bf16");
  ASSERT_NE(o, nullptr);
  EXPECT_LE(o->median_abs_error_pct, 10.0);
}

}  // namespace
}  // namespace xpusim
