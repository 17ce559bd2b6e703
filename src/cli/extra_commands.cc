#include "cli/extra_commands.h"

#include <vector>

namespace xpusim::cli {

std::span<const CommandDef> ExtraCommands() {
  static const std::vector<CommandDef> kExtraCommands = {
      // {"ui", "...", &SetupUiCommand},        (src/web)
      // {"sweep", "...", &SetupSweepCommand},  (src/sweep)
  };
  return kExtraCommands;
}

}  // namespace xpusim::cli
