// xpusim: the command-line front end. All logic lives in the library and in
// src/cli/app.cc; main only prints and picks the exit code:
//   0 success, 1 user error (bad flags, unknown ids, bad files), 2 internal error.
#include <cstdio>
#include <exception>
#include <string>

#include "cli/app.h"
#include "cli/extra_commands.h"

int main(int argc, char** argv) {
  try {
    auto out = xpusim::cli::RunCli(argc, argv, xpusim::cli::ExtraCommands());
    if (!out.ok()) {
      const xpusim::Status& st = out.status();
      std::fprintf(stderr, "xpusim: error: %s%s\n", st.IsUserError() ? "" : "internal error: ",
                   st.message().c_str());
      return st.IsUserError() ? 1 : 2;
    }
    std::fwrite(out->data(), 1, out->size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xpusim: error: internal error: %s (please report this bug)\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "xpusim: error: internal error: unknown exception (please report this bug)\n");
  }
  return 2;
}
