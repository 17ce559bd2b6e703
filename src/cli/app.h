// The xpusim command line: builds the CLI11 parser from the command table,
// parses, runs the chosen command, and turns every failure into a Status.
// Prints nothing; main() prints and picks the exit code.
#ifndef XPUSIM_CLI_APP_H_
#define XPUSIM_CLI_APP_H_

#include <string>
#include <vector>

#include "cli/command.h"
#include "xpusim/catalog.h"

#include "xpusim/status.h"

namespace xpusim::cli {

// The complete stdout text (a command's output, --help or --version) or the
// error to report. Parse errors, unknown commands and unknown ids are user
// errors (Status::IsUserError()).
//
// `extra`: commands the program adds to the table of command_table.cc. The
// commands built on src/api (ui, sweep) live in libraries above the CLI's and
// are added by main(), so that the layers do not depend on each other in a
// circle; api::Call does not offer them.
Result<std::string> RunCli(int argc, const char* const* argv, std::span<const CommandDef> extra = {});

// The same, for callers in the same process (src/api): `args` excludes the
// program name; commands use `catalog` instead of loading one. Thread-safe:
// each call builds its own parser, and the catalog is only read.
Result<std::string> RunCli(const std::vector<std::string>& args, const Catalog* catalog);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_APP_H_
