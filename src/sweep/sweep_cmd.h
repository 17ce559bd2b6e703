// `xpusim sweep [GRID.yaml] --out results.sqlite`: evaluates every point of a
// grid (doc/sweep.md) into a SQLite database, resumably, on one process or
// across the ranks of `mpirun -n K xpusim sweep ...`; exports CSV and draws
// an SVG chart of the results. Registered in src/cli/extra_commands.cc.
#ifndef XPUSIM_SWEEP_SWEEP_CMD_H_
#define XPUSIM_SWEEP_SWEEP_CMD_H_

#include "cli/command.h"

namespace xpusim::cli {

CommandRunner SetupSweepCommand(CLI::App& app);

}  // namespace xpusim::cli

#endif  // XPUSIM_SWEEP_SWEEP_CMD_H_
