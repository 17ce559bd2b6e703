#include "xpusim/status.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::Invalid("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  XPU_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::NotFound("unknown chip 'x'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "not found: unknown chip 'x'");
  EXPECT_EQ(s.WithContext("file.yaml").message(), "file.yaml: unknown chip 'x'");
  EXPECT_TRUE(s.IsUserError());
  EXPECT_FALSE(Status::Internal("bug").IsUserError());
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());  // 6/2 = 3 is odd
  EXPECT_EQ(Quarter(6).status().message(), "odd");
  EXPECT_FALSE(Quarter(5).ok());
}

}  // namespace
}  // namespace xpusim
