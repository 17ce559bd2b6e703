// Data-driven refusal tests: every tests/fixtures/bad/<kind>/*.yaml is added
// to a copy of the valid mini-catalog tests/fixtures/good/ and must make
// Catalog::Load fail. Each fixture starts with
//   # expect: <substring of the error message>
//   # line: <line the error must point at> | none
// and the message must also name the fixture's file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "xpusim/catalog.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;

const fs::path kBadDir = fs::path(XPUSIM_TEST_DIR) / "fixtures" / "bad";
const fs::path kGoodDir = fs::path(XPUSIM_TEST_DIR) / "fixtures" / "good";

std::vector<fs::path> BadFixtures() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kBadDir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Expectation {
  std::string substring;
  std::string line;  // "none" when the error has no line
};

Expectation ReadExpectation(const fs::path& file) {
  std::ifstream in(file);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  const std::string kExpect = "# expect: ", kLine = "# line: ";
  Expectation e;
  if (first.rfind(kExpect, 0) == 0) e.substring = first.substr(kExpect.size());
  if (second.rfind(kLine, 0) == 0) e.line = second.substr(kLine.size());
  return e;
}

class BadDataTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadDataTest, LoadFailsWithExpectedMessage) {
  const fs::path bad = GetParam();
  const Expectation want = ReadExpectation(bad);
  ASSERT_FALSE(want.substring.empty()) << bad << " lacks a '# expect: ' first line";
  ASSERT_FALSE(want.line.empty()) << bad << " lacks a '# line: ' second line";

  const fs::path dir = fs::path(::testing::TempDir()) / ("xpusim_bad_" + bad.stem().string());
  fs::remove_all(dir);
  fs::copy(kGoodDir, dir, fs::copy_options::recursive);
  const std::string kind = bad.parent_path().filename().string();
  const fs::path placed = dir / kind / bad.filename();
  fs::copy_file(bad, placed);

  const Result<Catalog> cat = Catalog::Load(dir);
  fs::remove_all(dir);
  ASSERT_FALSE(cat.ok()) << bad << " was accepted";
  const std::string& msg = cat.status().message();
  EXPECT_NE(msg.find(want.substring), std::string::npos)
      << "message: " << msg << "\nexpected to contain: " << want.substring;
  EXPECT_NE(msg.find(bad.filename().string()), std::string::npos)
      << "message does not name the file: " << msg;
  if (want.line != "none") {
    const std::string where = bad.filename().string() + ":" + want.line + ":";
    EXPECT_NE(msg.find(where), std::string::npos) << "message: " << msg << "\nexpected: " << where;
  }
}

std::string FixtureName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name =
      info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(BadData, BadDataTest, ::testing::ValuesIn(BadFixtures()), FixtureName);

TEST(BadDataCoverageTest, EnoughFixturesOfEveryKind) {
  int counts[4] = {0, 0, 0, 0};
  const char* kinds[4] = {"chips", "systems", "models", "rules"};
  for (const auto& f : BadFixtures()) {
    for (int i = 0; i < 4; ++i)
      if (f.parent_path().filename() == kinds[i]) ++counts[i];
  }
  for (int i = 0; i < 4; ++i) EXPECT_GE(counts[i], 5) << kinds[i];
  EXPECT_GE(counts[0] + counts[1] + counts[2] + counts[3], 24);
}

TEST(BadDataBaselineTest, GoodFixturesAloneLoad) {
  const Result<Catalog> cat = Catalog::Load(kGoodDir);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
}

}  // namespace
}  // namespace xpusim
