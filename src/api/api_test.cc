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

TEST(ApiTest, NestedCommandWithPositionalArgs) {
  auto r = Call(Cat(), "catalog show", {{"args", {"h100-sxm"}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["id"].get<std::string>(), "h100-sxm");
}

}  // namespace
}  // namespace xpusim::api
