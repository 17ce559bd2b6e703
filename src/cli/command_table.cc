// The subcommand table. To add a command: declare its setup function here
// and add one entry to kCommands (see the steps in command.h).
#include "cli/command.h"

namespace xpusim::cli {

CommandRunner SetupCatalogCommand(CLI::App& app);  // catalog_cmd.cc
CommandRunner SetupTrainCommand(CLI::App& app);    // train_cmd.cc
CommandRunner SetupValidateCommand(CLI::App& app);  // validate_cmd.cc
CommandRunner SetupMatchCommand(CLI::App& app);     // match_cmd.cc
CommandRunner SetupServeCommand(CLI::App& app);     // serve_cmd.cc
CommandRunner SetupOutlookCommand(CLI::App& app);   // outlook_cmd.cc
CommandRunner SetupPlanCommand(CLI::App& app);      // plan_cmd.cc

namespace {

constexpr CommandDef kCommands[] = {
    {"catalog", "List, show and compare chips, systems and models (with sources and export screen)",
     &SetupCatalogCommand},
    {"train", "Predict step time, MFU, memory, power and cost of a training job (--search for the best plan)",
     &SetupTrainCommand},
    {"validate", "Re-predict measured runs (data/validation) and report per-case error and MAPE",
     &SetupValidateCommand},
    {"match", "How many candidate chips match a reference cluster's time-to-train, with MW, MWh, cost and racks",
     &SetupMatchCommand},
    {"serve", "Predict serving TTFT, TPOT, tokens/s per chip, KV capacity, energy and cost per million tokens",
     &SetupServeCommand},
    {"outlook", "Per-year installed compute (EFLOPS), power (GW) and the years-behind gap between two ecosystems",
     &SetupOutlookCommand},
    {"plan", "Choose the fleet (systems and counts) that trains a job cheapest or fastest under power, budget, supply and export limits (GLPK MILP)",
     &SetupPlanCommand},
};

}  // namespace

std::span<const CommandDef> Commands() { return kCommands; }

}  // namespace xpusim::cli
