// `xpusim train --plot FILE.svg` for one plan (without --search): where the
// step time goes, one bar per part, memory in the subtitle. (With
// --search the plot is the Pareto chart of the plans found: match_cmd.cc.)
#ifndef XPUSIM_CLI_TRAIN_PLOT_H_
#define XPUSIM_CLI_TRAIN_PLOT_H_

#include <string>

#include "report/chart_svg.h"
#include "xpusim/train.h"

namespace xpusim::cli {

// One bar per non-zero part of the step time (seconds).
report::Chart TrainBreakdownChart(const TrainEvaluator& ev, const TrainResult& r);

Result<std::string> WriteTrainPlot(const TrainEvaluator& ev, const TrainResult& r, const std::string& path,
                                   bool force);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_TRAIN_PLOT_H_
