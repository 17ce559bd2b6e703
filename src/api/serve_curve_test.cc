// The "curve" of the serve call (`serve --curve`, src/cli/serve_plot.h): the
// batch sweep of `serve --plot` as JSON, for an aggregated and a
// disaggregated deployment, through the API as the web UI asks for it.
#include "xpusim/api.h"

#include <gtest/gtest.h>

#include "support/test_catalog.h"

namespace xpusim::api {
namespace {

using nlohmann::json;

const Catalog& Cat() { return test_support::TestCatalog(); }

// Checks what holds for every curve: batches strictly increasing, and the
// answered batch on it with the answer's own numbers (the point is the same
// evaluation). Returns the point at the answered batch.
json CheckCurve(const json& r) {
  EXPECT_TRUE(r.contains("curve")) << r.dump(2);
  const json& c = r["curve"];
  EXPECT_GE(c.size(), 2u);
  EXPECT_LE(c.size(), 25u);  // 24 batches of the CLI's sweep, plus the answered one
  json at;
  for (size_t i = 0; i < c.size(); ++i) {
    if (i > 0) EXPECT_GT(c[i]["batch"].get<int64_t>(), c[i - 1]["batch"].get<int64_t>()) << i;
    if (c[i]["batch"] == r["batch"]) at = c[i];
  }
  EXPECT_FALSE(at.is_null()) << "the answered batch " << r["batch"] << " is not on the curve";
  if (at.is_null()) return at;
  EXPECT_DOUBLE_EQ(at["tokens_per_s_per_chip"].get<double>(), r["tokens_per_s_per_chip"].get<double>());
  EXPECT_DOUBLE_EQ(at["tpot_s"].get<double>(), r["tpot_s"].get<double>());
  EXPECT_DOUBLE_EQ(at["ttft_s"].get<double>(), r["ttft_s"].get<double>());
  return at;
}

TEST(ServeCurveTest, AggregatedFromOneSequencePerReplicaToFourTimesTheBatch) {
  auto r = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"chips", 16}, {"tp", 2},
                                 {"input_len", 2000}, {"output_len", 500}, {"batch", 32}, {"curve", true}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckCurve(*r);
  const json& c = (*r)["curve"];
  // tp2 on 16 chips: 8 replicas, so the sweep starts at 8 sequences; it ends
  // at 4 x 32 = 128 or at the largest batch that fits, whichever is smaller.
  EXPECT_EQ((*r)["parallel"]["dp"].get<int>(), 8);
  EXPECT_EQ(c.front()["batch"].get<int64_t>(), 8);
  EXPECT_EQ(c.back()["batch"].get<int64_t>(), std::min<int64_t>(128, (*r)["max_batch"].get<int64_t>()));
  for (const json& p : c) {
    SCOPED_TRACE(p.dump());
    const double b = p["batch"].get<double>(), tpot = p["tpot_s"].get<double>();
    EXPECT_TRUE(p["fits"].get<bool>());
    // Continuous batching: each of the b sequences emits a token every TPOT.
    EXPECT_NEAR(p["tokens_per_s"].get<double>(), b / tpot, 1e-9 * b / tpot);
    EXPECT_NEAR(p["tokens_per_s_per_chip"].get<double>(), p["tokens_per_s"].get<double>() / 16, 1e-9 * b / tpot);
  }
  // A larger batch never lowers the TPOT or the throughput.
  for (size_t i = 1; i < c.size(); ++i) {
    EXPECT_GE(c[i]["tpot_s"].get<double>(), c[i - 1]["tpot_s"].get<double>()) << i;
    EXPECT_GT(c[i]["tokens_per_s_per_chip"].get<double>(), c[i - 1]["tokens_per_s_per_chip"].get<double>()) << i;
  }
  // Without the key (or with false) the answer is the CLI's, without a curve.
  auto plain = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"chips", 16}, {"tp", 2},
                                     {"input_len", 2000}, {"output_len", 500}, {"batch", 32}, {"curve", false}});
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_FALSE(plain->contains("curve"));
  EXPECT_DOUBLE_EQ((*plain)["tokens_per_s_per_chip"].get<double>(), (*r)["tokens_per_s_per_chip"].get<double>());
}

TEST(ServeCurveTest, SearchedLayoutKeepsItsBatchOnTheCurve) {
  // The search is not repeated per point: the curve holds the layout found.
  auto r = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"chips", 16}, {"input_len", 2000},
                                 {"output_len", 500}, {"search", true}, {"tpot_slo_ms", 50}, {"curve", true}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json at = CheckCurve(*r);
  EXPECT_LE(at["tpot_s"].get<double>(), 0.050);
  EXPECT_EQ((*r)["curve"].front()["batch"], (*r)["parallel"]["dp"]);
}

TEST(ServeCurveTest, DisaggregatedSweepsTheDecodePoolPerChipOfBothPools) {
  auto r = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"input_len", 2000},
                                 {"output_len", 500}, {"batch", 64}, {"disagg", "8:8"}, {"prefill_tp", 8},
                                 {"decode_tp", 4}, {"curve", true}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckCurve(*r);
  const json& c = (*r)["curve"];
  // Decode pool tp4 on 8 chips: 2 replicas, so the sweep starts at 2. It
  // would go to 4 x 64 = 256 sequences (below the largest batch that fits,
  // checked here), but one prefill replica cannot feed that many: the curve
  // ends at the batch the deployment holds in steady state when asked for 256.
  ASSERT_GT((*r)["max_batch"].get<int64_t>(), 256);
  EXPECT_EQ(c.front()["batch"].get<int64_t>(), 2);
  auto asked = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"input_len", 2000},
                                     {"output_len", 500}, {"batch", 256}, {"disagg", "8:8"}, {"prefill_tp", 8},
                                     {"decode_tp", 4}});
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  ASSERT_LT((*asked)["batch"].get<int64_t>(), 256);
  EXPECT_EQ(c.back()["batch"], (*asked)["batch"]);
  for (const json& p : c) {
    EXPECT_TRUE(p["fits"].get<bool>()) << p.dump();
    // Per chip of both pools: 8 + 8.
    EXPECT_NEAR(p["tokens_per_s_per_chip"].get<double>(), p["tokens_per_s"].get<double>() / 16,
                1e-9 * p["tokens_per_s"].get<double>());
  }
}

TEST(ServeCurveTest, EndsAtTheFirstBatchThatDoesNotFit) {
  // Batch 1000 is over the largest that fits (a disaggregated answer says so
  // rather than refusing): the curve stops at the first batch past it. Three
  // prefill replicas (24 chips) feed the decode pool up to its memory limit.
  auto r = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"input_len", 2000},
                                 {"output_len", 500}, {"batch", 1000}, {"disagg", "24:8"}, {"prefill_tp", 8},
                                 {"decode_tp", 4}, {"curve", true}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const int64_t max_batch = (*r)["max_batch"].get<int64_t>();
  ASSERT_LT(max_batch, 1000);
  EXPECT_FALSE((*r)["fits"].get<bool>());
  const json& c = (*r)["curve"];
  ASSERT_GE(c.size(), 2u);
  EXPECT_FALSE(c.back()["fits"].get<bool>());
  EXPECT_GT(c.back()["batch"].get<int64_t>(), max_batch);
  for (size_t i = 0; i + 1 < c.size(); ++i) {
    EXPECT_TRUE(c[i]["fits"].get<bool>()) << c[i].dump();
    EXPECT_LE(c[i]["batch"].get<int64_t>(), max_batch);
  }
}

TEST(ServeCurveTest, RefusesABadCurveValueAndTheSimulator) {
  const json base = {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"chips", 16},
                     {"input_len", 2000}, {"output_len", 500}, {"batch", 32}};
  json maybe = base;
  maybe["curve"] = "maybe";
  auto r = Call(Cat(), "serve", maybe);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("--curve"), std::string::npos) << r.status().message();
  json sim = base;
  sim.erase("batch");
  sim.update({{"curve", true}, {"simulate", true}, {"rate", 1}});
  r = Call(Cat(), "serve", sim);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--curve is not modelled by --simulate"), std::string::npos)
      << r.status().message();
  // Only serve has a curve: elsewhere the key is an unknown flag of the CLI.
  r = Call(Cat(), "train", {{"model", "llama3-8b"}, {"system", "dgx-h100"}, {"chips", 8}, {"curve", true}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--curve"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace xpusim::api
