// Helpers of the `xpusim plan` tests (fleet_plan_test.cc,
// fleet_serve_test.cc): scenario text edits and the load error of a text.
#ifndef XPUSIM_PLAN_FLEET_TEST_UTIL_H_
#define XPUSIM_PLAN_FLEET_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "plan/fleet_scenario.h"

namespace xpusim::fleet_test {

// `s` with the first `from` replaced by `to` (a test failure when absent).
inline std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

// The message of loading `text` as "s.yaml" ("" when it loads).
inline std::string ErrorOf(const std::string& text) {
  auto r = ParseFleetScenario(text, "s.yaml");
  return r.ok() ? "" : r.status().message();
}

}  // namespace xpusim::fleet_test

#endif  // XPUSIM_PLAN_FLEET_TEST_UTIL_H_
