#include "xpusim/api.h"

#include <gtest/gtest.h>

#include "support/test_catalog.h"

namespace xpusim::api {
namespace {

const Catalog& Cat() { return test_support::TestCatalog(); }

TEST(ApiTest, ArgsBecomeTheCliFlags) {
  auto a = ToArgs("train", {{"model", "llama3-8b"}, {"global_batch", 64}, {"search", true}, {"sp", false},
                            {"chips_sweep", {8, 16}}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // nlohmann::json objects iterate in key order.
  EXPECT_EQ(*a, (std::vector<std::string>{"train", "--chips-sweep=8,16", "--global-batch=64", "--model=llama3-8b",
                                          "--search", "--json"}));
}

TEST(ApiTest, TrainMatchesItsOwnArithmetic) {
  // Llama-3-8B on 8 H100, dp8: tokens/s = global_batch * seq / step time.
  auto r = Call(Cat(), "train", {{"model", "llama3-8b"}, {"system", "dgx-h100"}, {"chips", 8}, {"tp", 1},
                                 {"global_batch", 32}, {"seq", 4096}, {"zero", 1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const double step = (*r)["step_time_s"].get<double>();
  EXPECT_NEAR((*r)["tokens_per_s"].get<double>(), 32.0 * 4096 / step, 1e-6 * 32 * 4096 / step);
  EXPECT_EQ((*r)["parallel"]["dp"].get<int>(), 8);
}

TEST(ApiTest, ErrorsAreTheCliMessages) {
  auto r = Call(Cat(), "train", {{"model", "llama3-8b"}, {"system", "dgx-h10O"}, {"chips", 8}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean 'dgx-h100'"), std::string::npos) << r.status().message();
  auto bad_flag = Call(Cat(), "train", {{"modle", "llama3-8b"}});
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_NE(bad_flag.status().message().find("--model"), std::string::npos) << bad_flag.status().message();
}

TEST(ApiTest, RefusesWhatTheCallerForbidsAndWhatIsNotAFlag) {
  CallOptions web{{"plot"}};
  EXPECT_FALSE(ToArgs("train", {{"plot", "/etc/x.svg"}}, web).ok());
  EXPECT_FALSE(ToArgs("train", {{"data_dir", "/"}}).ok());
  EXPECT_FALSE(ToArgs("train", {{"--model", "x"}}).ok());
  EXPECT_FALSE(ToArgs("train", {{"chips", nullptr}}).ok());
  EXPECT_FALSE(ToArgs("train", {{"chips", {{"a", 1}}}}).ok());
  EXPECT_FALSE(ToArgs("rm -rf", nlohmann::json::object()).ok());
  EXPECT_FALSE(ToArgs("train", nlohmann::json::array()).ok());
  EXPECT_FALSE(ToArgs("catalog show", {{"args", {"--help"}}}).ok());
}

TEST(ApiTest, DisaggregatedServeReturnsBothPools) {
  // 8 prefill + 8 decode chips with each pool's tp given: the answer names
  // both pools, each with dp = its chips / (tp pp), and says which one limits.
  auto r = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"input_len", 2000},
                                 {"output_len", 500}, {"batch", 64}, {"disagg", "8:8"}, {"prefill_tp", 8},
                                 {"decode_tp", 4}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->contains("disagg")) << r->dump(2);
  const auto& d = (*r)["disagg"];
  EXPECT_EQ(d["prefill_chips"].get<int>(), 8);
  EXPECT_EQ(d["decode_chips"].get<int>(), 8);
  EXPECT_EQ(d["prefill_parallel"]["tp"].get<int>(), 8);
  EXPECT_EQ(d["prefill_parallel"]["dp"].get<int>(), 1);
  EXPECT_EQ(d["decode_parallel"]["tp"].get<int>(), 4);
  EXPECT_EQ(d["decode_parallel"]["dp"].get<int>(), 2);
  EXPECT_EQ((*r)["chips"].get<int>(), 16);
  EXPECT_NE((*r)["note"].get<std::string>().find("limited by the"), std::string::npos) << (*r)["note"];
  // Without --disagg there is no disagg object.
  auto agg = Call(Cat(), "serve", {{"model", "llama3-70b"}, {"system", "dgx-h100"}, {"chips", 16},
                                   {"input_len", 2000}, {"output_len", 500}, {"search", true}});
  ASSERT_TRUE(agg.ok()) << agg.status().ToString();
  EXPECT_FALSE(agg->contains("disagg"));
}

TEST(ApiTest, NestedCommandWithPositionalArgs) {
  auto r = Call(Cat(), "catalog show", {{"args", {"h100-sxm"}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["id"].get<std::string>(), "h100-sxm");
}

}  // namespace
}  // namespace xpusim::api
