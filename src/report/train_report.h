// Output of a training prediction: the DESIGN.md JSON object and the
// human-readable tables (time and memory breakdowns).
#ifndef XPUSIM_REPORT_TRAIN_REPORT_H_
#define XPUSIM_REPORT_TRAIN_REPORT_H_

#include <optional>
#include <string>

#include "report/catalog_json.h"
#include "xpusim/train.h"

namespace xpusim::report {

// The `xpusim train --json` object: step_time_s, tokens_per_s, ...,
// time_breakdown_s, memory_breakdown_gb, parallel, and with totals
// train_days, energy_mwh, cost_usd.
Json TrainResultToJson(const TrainEvaluator& ev, const TrainResult& r,
                       const std::optional<RunTotals>& totals);

// A readable summary: headline numbers, then time and memory breakdowns.
std::string TrainResultToText(const TrainEvaluator& ev, const TrainResult& r,
                              const std::optional<RunTotals>& totals);

// "" or why the workload is unusual for its model (seq beyond max_seq); the
// text prints it as a note, JSON as `warnings`.
std::string SeqWarning(const TrainEvaluator& ev);

// One-line description of a plan: "tp8 pp4 dp32 ep1 cp1 vpp1 sp zero1 selective mb1 1f1b".
std::string PlanToString(const ParallelPlan& p);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_TRAIN_REPORT_H_
