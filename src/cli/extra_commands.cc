#include "cli/extra_commands.h"

#include <vector>

#include "sweep/sweep_cmd.h"
#include "web/ui_cmd.h"

namespace xpusim::cli {

std::span<const CommandDef> ExtraCommands() {
  static const std::vector<CommandDef> kExtraCommands = {
      {"ui", "Serve the web UI on a local port (--port P; Ctrl-C stops)", &web::SetupUiCommand},  // src/web
      {"sweep", "Evaluate a grid of models x systems x chips x workloads into SQLite (resumable; MPI ranks)",
       &SetupSweepCommand},  // src/sweep
  };
  return kExtraCommands;
}

}  // namespace xpusim::cli
