#include "report/table.h"

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/csv.h"

namespace xpusim::report {
namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(TableTest, AlignsTextLeftAndNumbersRight) {
  Table t("Chips");
  t.AddColumn("id").AddColumn("bf16", "TFLOPS").AddColumn("memory", "GB");
  t.AddRow({Text("h100-sxm"), Num(989.4), Num(80)});
  t.AddRow({Text("h20"), Num(148), Num(96)});
  t.AddRow({Text("b200"), Num(2250), Num(std::numeric_limits<double>::quiet_NaN())});
  const auto lines = Lines(t.Render());
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "Chips");
  EXPECT_EQ(lines[1], "id          bf16  memory");
  EXPECT_EQ(lines[2], "          TFLOPS      GB");
  EXPECT_EQ(lines[3], "--------  ------  ------");
  EXPECT_EQ(lines[4], "h100-sxm   989.4      80");
  EXPECT_EQ(lines[5], "h20          148      96");
  EXPECT_EQ(lines[6], "b200       2,250       -");
}

TEST(TableTest, NoUnitsRowWithoutUnitsAndUtf8Width) {
  Table t;
  t.AddColumn("name").AddColumn("n");
  t.AddRow({Text("a×b"), Int(1234)});
  t.AddRow({Text("longer"), Int(5)});
  const auto lines = Lines(t.Render());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "name        n");
  EXPECT_EQ(lines[2], "a×b     1,234");
  EXPECT_EQ(lines[3], "longer      5");
}

TEST(TableTest, CsvUsesRawValuesAndDerivedNames) {
  Table t("ignored title");
  t.AddColumn("id").AddColumn("bf16", "TFLOPS").AddColumn("bandwidth", "TB/s").AddColumn("x", "", Align::kAuto, "custom");
  t.AddRow({Text("h100"), Num(1978.9), Num(3.35), Text("y")});
  t.AddNote("not in csv");
  EXPECT_EQ(TableToCsv(t), "id,bf16_tflops,bandwidth_tb_s,custom\nh100,1978.9,3.35,y\n");
}

TEST(CsvTest, QuotesSpecialCharacters) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"plain", "plain"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\r", "\"cr\r\""},
      {" padded", "\" padded\""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(CsvField(c.in), c.want) << c.in;
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",\n");
}

}  // namespace
}  // namespace xpusim::report
