// Reproducers the fuzzers (fuzz/, doc/fuzzing.md) found, kept as regression
// tests: every file under tests/fuzz_regressions/<loader>/ must load into a
// clean user error (a Status, no crash, no exception), and the loader must
// name the file it was given.
//
// <loader> is one of chip_yaml, system_yaml, model_yaml, rules_yaml,
// hf_config, validation, failure_rates. Reproducers for the command line
// live in tests/bad_inputs/ (run through the real binary).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/chip_loader.h"
#include "catalog/hf_config.h"
#include "catalog/model_loader.h"
#include "catalog/rules_loader.h"
#include "catalog/system_loader.h"
#include "plan/validation.h"
#include "reliability/failure_rates.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status LoadAs(const std::string& loader, const fs::path& file) {
  if (loader == "chip_yaml") return LoadChipFile(file).status();
  if (loader == "system_yaml") return LoadSystemFile(file, {}).status();
  if (loader == "model_yaml") return LoadModelFile(file).status();
  if (loader == "rules_yaml") return LoadRulesFile(file).status();
  if (loader == "hf_config") return LoadHfConfig(file).status();
  if (loader == "failure_rates") return reliability::LoadFailureRates(file).status();
  if (loader == "validation") {
    ValidationSuite suite;
    return LoadValidationFile(file, &suite);
  }
  return Status::Internal("unknown loader folder '" + loader + "'");
}

TEST(FuzzRegressions, EveryReproducerIsACleanError) {
  const fs::path root = fs::path(XPUSIM_TEST_DIR) / "fuzz_regressions";
  int seen = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().parent_path() != root) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    const std::string loader = f.parent_path().filename().string();
    Status st;
    ASSERT_NO_THROW(st = LoadAs(loader, f)) << f;
    EXPECT_FALSE(st.ok()) << f << " was accepted";
    EXPECT_TRUE(st.IsUserError()) << f << ": " << st.ToString();
    EXPECT_NE(st.message().find(f.filename().string()), std::string::npos) << f << ": " << st.message();
    ++seen;
  }
  // The folder ships with hand-made seeds of the crash classes too, so the
  // test always checks something.
  EXPECT_GE(seen, 1);
}

}  // namespace
}  // namespace xpusim
