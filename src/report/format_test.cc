#include "report/format.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace xpusim::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(FormatTest, Number) {
  struct Case { double v; int decimals; const char* want; };
  const Case cases[] = {
      {1978.9, 2, "1,978.9"}, {80, 2, "80"},        {3.35, 2, "3.35"},
      {0.804, 2, "0.8"},      {1234567.891, 1, "1,234,567.9"},
      {-15832, 0, "-15,832"}, {-0.001, 2, "0"},     {999.999, 2, "1,000"},
      {kNaN, 2, "-"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatNumber(c.v, c.decimals), c.want) << c.v;
  EXPECT_EQ(FormatNumber(1234.5, 1, /*thousands=*/false), "1234.5");
}

TEST(FormatTest, Significant) {
  EXPECT_EQ(FormatSig(5.9213, 3), "5.92");
  EXPECT_EQ(FormatSig(0.012345, 3), "0.0123");
  EXPECT_EQ(FormatSig(15831.2, 3), "15,831");
  EXPECT_EQ(FormatSig(0, 3), "0");
  EXPECT_EQ(FormatSig(kNaN, 3), "-");
}

TEST(FormatTest, IntAndRaw) {
  EXPECT_EQ(FormatInt(8030261248LL), "8,030,261,248");
  EXPECT_EQ(FormatInt(-999), "-999");
  EXPECT_EQ(FormatRaw(989.4), "989.4");
  EXPECT_EQ(FormatRaw(kNaN), "");
  EXPECT_EQ(std::stod(FormatRaw(0.1 + 0.2)), 0.1 + 0.2);
}

}  // namespace
}  // namespace xpusim::report
