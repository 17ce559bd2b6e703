// `xpusim serve --plot FILE.svg`: the throughput-latency curve of the
// deployment (tokens/s per chip against time per output token, batch from one
// sequence per replica to the largest that fits), with the prediction marked.
// A disaggregated deployment sweeps the decode pool's batch; each point is the
// whole deployment (prefill pool, KV transfer and decode pool) at that batch.
#ifndef XPUSIM_CLI_SERVE_PLOT_H_
#define XPUSIM_CLI_SERVE_PLOT_H_

#include <functional>
#include <string>
#include <vector>

#include "xpusim/serve.h"

namespace xpusim::cli {

// Batches on the curve: about `points` values spaced geometrically from
// `lo` to `hi` (both included), strictly increasing, deduplicated.
std::vector<int64_t> CurveBatches(int64_t lo, int64_t hi, int points);

// The deployment evaluated with `batch` sequences in flight.
using BatchEvaluation = std::function<Result<ServeResult>(int64_t batch)>;

// One point of the curve: the deployment at one batch (whole deployment;
// disaggregated: both pools, tokens/s per chip of both).
struct ServeCurvePoint {
  int64_t batch = 0;
  double ttft_s = 0, tpot_s = 0;
  double tokens_per_s = 0, tokens_per_s_per_chip = 0;
  bool fits = false;
};
ServeCurvePoint CurvePointOf(const ServeResult& r);

// The batches `serve --plot` sweeps for a deployment of `replicas` data-
// parallel replicas (decode pool's when disaggregated) answered at `batch`
// with at most `max_batch` fitting: 24 geometric steps from `replicas` to
// four times the answered batch, capped at `max_batch` but never below
// `batch` (the answered batch itself is on the list only by chance).
std::vector<int64_t> ServeCurveBatches(int64_t replicas, int64_t batch, int64_t max_batch);

// The curve over `batches` (increasing), in order: stops after the first
// batch that does not fit (kept, fits false: where the curve ends) and
// before one without a time per output token (phase prefill: no curve).
// Shared by `serve --plot` and the `curve` of the serve API (src/api).
Result<std::vector<ServeCurvePoint>> SweepServeCurve(const std::function<Result<ServeCurvePoint>(int64_t)>& evaluate,
                                                     const std::vector<int64_t>& batches);

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
