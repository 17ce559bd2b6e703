// The commands that only the xpusim program has, because they are built on
// src/api (which runs the other commands in-process): `ui` (src/web) and
// `sweep` (src/sweep). Defined in extra_commands.cc, linked into the program
// only. To add one: declare its Setup function here, add it to the table in
// extra_commands.cc, and link its library to the xpusim target.
#ifndef XPUSIM_CLI_EXTRA_COMMANDS_H_
#define XPUSIM_CLI_EXTRA_COMMANDS_H_

#include <span>

#include "cli/command.h"

namespace xpusim::cli {

std::span<const CommandDef> ExtraCommands();

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_EXTRA_COMMANDS_H_
