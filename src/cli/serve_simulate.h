// `xpusim serve --simulate`: runs the request-level serving simulator
// (src/infer/sim/) on the deployment that `xpusim serve` describes, with each
// dp replica's iteration time taken from the analytic model (ServeEvaluator).
#ifndef XPUSIM_CLI_SERVE_SIMULATE_H_
#define XPUSIM_CLI_SERVE_SIMULATE_H_

#include "cli/command.h"

namespace xpusim::cli {

// Declares the simulator's flags on `app` (the serve command, whose own flags
// are already declared) and returns a runner that simulates when --simulate
// is given and otherwise calls `analytic`.
CommandRunner WithSimulate(CLI::App& app, CommandRunner analytic);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_SERVE_SIMULATE_H_
