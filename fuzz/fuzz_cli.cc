// libFuzzer target: the command line (src/cli/app.h RunCli). The input is
// split into arguments at NUL and newline bytes; "xpusim" is argv[0] and
// --data-dir points at the source tree's data/ unless the input names one.
//
// RunCli must turn every argument list into output or a Status: no crash,
// no exception past its boundary (main() would report it as an internal
// error), no hang.
#include <string>
#include <vector>

#include "cli/app.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::vector<std::string> args{"xpusim"};
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  if (args.size() > 64) return 0;
  bool has_data_dir = false;
  for (const auto& a : args) has_data_dir |= a.rfind("--data-dir", 0) == 0;
  if (!has_data_dir) {
    args.push_back("--data-dir");
    args.push_back(XPUSIM_SOURCE_DATA_DIR);
  }
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  xpusim::fuzz::MustNotThrow("fuzz_cli", [&] {
    auto out = xpusim::cli::RunCli(static_cast<int>(argv.size()), argv.data());
    // Internal errors are bugs too: only user errors may come back.
    if (!out.ok() && !out.status().IsUserError()) {
      std::fprintf(stderr, "fuzz_cli: internal error: %s\n", out.status().message().c_str());
      std::abort();
    }
  });
  return 0;
}
