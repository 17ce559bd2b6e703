// `xpusim ui`: the local web UI (src/web/server.h), registered in
// src/cli/extra_commands.cc.
#ifndef XPUSIM_WEB_UI_CMD_H_
#define XPUSIM_WEB_UI_CMD_H_

#include "cli/command.h"

namespace xpusim::web {

cli::CommandRunner SetupUiCommand(CLI::App& app);

}  // namespace xpusim::web

#endif  // XPUSIM_WEB_UI_CMD_H_
