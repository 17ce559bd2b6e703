#include "report/chart_svg.h"

#include <regex>
#include <string>

#include <gtest/gtest.h>

namespace xpusim::report {
namespace {

// Every bar's top edge (rect y) lies inside the drawing (y >= 0): the y axis
// reaches above the tallest bar. A bar chart once took its range from the
// last value only and drew taller bars off the top.
TEST(ChartSvgTest, BarAxisCoversTheTallestBar) {
  Chart c;
  c.y_label = "seconds";
  c.categories = {"compute", "tp", "dp"};
  c.series = {{"time", {60.9, 14.2, 0.0287}, {}, {}}};
  const std::string svg = RenderBarChart(c);
  const std::regex rect(R"re(<rect x="[-0-9.]+" y="([-0-9.]+)" width="[0-9.]+" height="([-0-9.]+)")re");
  int bars = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it) {
    EXPECT_GE(std::stod((*it)[1]), 0.0) << (*it)[0];
    EXPECT_GE(std::stod((*it)[2]), 0.0) << (*it)[0];
    ++bars;
  }
  EXPECT_GE(bars, 3);
}

// Positive data get no negative ticks from the padding.
TEST(ChartSvgTest, PositiveLineChartHasNoNegativeTicks) {
  Chart c;
  c.x_label = "ms";
  c.y_label = "tokens/s";
  c.series = {{"curve", {300, 5000, 9500}, {3.4, 6.0, 25.7}, {}}};
  const std::string svg = RenderLineChart(c);
  EXPECT_EQ(svg.find(">-"), std::string::npos) << "a tick label starts with '-'";
  EXPECT_NE(svg.find("tokens/s"), std::string::npos);
}

}  // namespace
}  // namespace xpusim::report
