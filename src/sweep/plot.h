// `xpusim sweep --plot FILE.svg`: one line per (model, system, workload) of
// a chosen output column against the chip count, from the rows that
// succeeded.
#ifndef XPUSIM_SWEEP_PLOT_H_
#define XPUSIM_SWEEP_PLOT_H_

#include <string>

#include "sweep/store.h"
#include "xpusim/status.h"

namespace xpusim::sweep {

// At most this many lines are drawn (the subtitle says how many were left out).
inline constexpr size_t kMaxPlotSeries = 12;

// The SVG text. `y_column`: a numeric output column (Store::NumericColumns).
Result<std::string> RenderSweepPlot(const Store& store, const std::string& y_column, const std::string& title);

// Axis title with unit for an output column: "throughput (tokens/s)".
std::string AxisLabel(const std::string& column);

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_PLOT_H_
