#include "core/suggest.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

TEST(SuggestTest, EditDistanceByHand) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("H100", "h100"), 0);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

TEST(SuggestTest, SuggestsNearestId) {
  const std::vector<std::string> ids = {"h100-sxm", "h100-pcie", "h20", "ascend-910c"};
  EXPECT_EQ(ClosestMatch("h10O-sxm", ids), "h100-sxm");
  EXPECT_EQ(ClosestMatch("ascend910c", ids), "ascend-910c");
  EXPECT_EQ(ClosestMatch("zzzzzzzzzzzz", ids), "");
  EXPECT_EQ(DidYouMean("h2O", ids), "; did you mean 'h20'?");
}

}  // namespace
}  // namespace xpusim
