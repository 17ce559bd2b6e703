// `xpusim train --reliability`: failures, checkpoints and goodput of the run
// (DESIGN.md C9, src/reliability/). Adds goodput, interruptions_expected,
// checkpoint_interval_s, effective_train_days, mtbf_h, checkpoint_write_s,
// restart_s, effective_energy_mwh, effective_cost_usd and a `reliability`
// object to the JSON, and a section to the
// table. Flags: --reliability, --trials N, --seed S, --storage-gb-s X.
#ifndef XPUSIM_CLI_TRAIN_RELIABILITY_H_
#define XPUSIM_CLI_TRAIN_RELIABILITY_H_

#include <string>

#include "cli/command.h"
#include "cli/train_flags.h"
#include "reliability/run_reliability.h"
#include "report/catalog_json.h"
#include "xpusim/train.h"

namespace xpusim::cli {

// Checks the reliability flags against each other and the rest (no
// --trials without --reliability, --reliability needs --tokens, ...).
Status CheckReliabilityFlags(const TrainFlags& f);

// Loads <data dir>/reliability/failure_rates.yaml and analyses the run.
// REQUIRES: f.reliability, f.tokens > 0.
Result<reliability::RunReliability> AnalyzeTrainReliability(const Context& ctx, const TrainEvaluator& ev,
                                                            const RunTotals& totals, const TrainFlags& f);

// `totals`: the failure-free run. The cluster is powered and owned for the
// expected wall time, so energy and cost are scaled by expected / failure-free
// days at the run's average power (restarts draw less: an upper bound).
void AddReliabilityJson(const reliability::RunReliability& r, const RunTotals& totals, report::Json* j);
std::string ReliabilityText(const reliability::RunReliability& r, const RunTotals& totals, const TrainEvaluator& ev);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_TRAIN_RELIABILITY_H_
