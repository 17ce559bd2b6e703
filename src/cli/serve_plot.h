// `xpusim serve --plot FILE.svg`: the throughput-latency curve of the
// deployment (tokens/s per chip against time per output token, batch from one
// sequence per replica to the largest that fits), with the prediction marked.
// A disaggregated deployment sweeps the decode pool's batch; each point is the
// whole deployment (prefill pool, KV transfer and decode pool) at that batch.
#ifndef XPUSIM_CLI_SERVE_PLOT_H_
#define XPUSIM_CLI_SERVE_PLOT_H_

#include <functional>
#include <string>

#include "xpusim/serve.h"

namespace xpusim::cli {

// Batches on the curve: about `points` values spaced geometrically from
// `lo` to `hi` (both included), strictly increasing, deduplicated.
std::vector<int64_t> CurveBatches(int64_t lo, int64_t hi, int points);

// The deployment evaluated with `batch` sequences in flight.
using BatchEvaluation = std::function<Result<ServeResult>(int64_t batch)>;

// Writes the chart of `evaluate` swept from one sequence per replica
// (`replicas`) up, with `r` marked (refusing to replace `path` unless
// `force`); returns the line that says what was written.
Result<std::string> WriteServePlot(const BatchEvaluation& evaluate, int64_t replicas, const ServeResult& r,
                                   const std::string& title, const std::string& subtitle, const std::string& path,
                                   bool force);

// The chart of one (aggregated) deployment.
Result<std::string> WriteServePlot(const ServeEvaluator& ev, const ServeWorkload& w, const ServeResult& r,
                                   const std::string& path, bool force);

// The chart of a disaggregated deployment: pools as in `r` (prefill_layout,
// layout, prefill_chips, decode_chips).
Result<std::string> WriteDisaggregatedServePlot(const Catalog& catalog, const Model& model, const System& system,
                                                const ServeDeployment& base, const ServeOptions& o,
                                                const ServeWorkload& w, const ServeResult& r, const std::string& path,
                                                bool force);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_SERVE_PLOT_H_
