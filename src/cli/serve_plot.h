// `xpusim serve --plot FILE.svg`: the throughput-latency curve of the
// deployment (tokens/s per chip against time per output token, batch from one
// sequence per replica to the largest that fits), with the prediction marked.
#ifndef XPUSIM_CLI_SERVE_PLOT_H_
#define XPUSIM_CLI_SERVE_PLOT_H_

#include <string>

#include "xpusim/serve.h"

namespace xpusim::cli {

// Batches on the curve: about `points` values spaced geometrically from
// `lo` to `hi` (both included), strictly increasing, deduplicated.
std::vector<int64_t> CurveBatches(int64_t lo, int64_t hi, int points);

// Writes the chart (refusing to replace `path` unless `force`); returns the
// line that says what was written.
Result<std::string> WriteServePlot(const ServeEvaluator& ev, const ServeWorkload& w, const ServeResult& r,
                                   const std::string& path, bool force);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_SERVE_PLOT_H_
