// The `curve` of the serve call (api::Call(catalog, "serve", {..., {"curve",
// true}})): the throughput-latency points that `serve --plot` draws, as JSON.
//
// The sweep is the CLI's own (cli::ServeCurveBatches, cli::SweepServeCurve in
// src/cli/serve_plot.h); each point is the serve command run again with the
// layout of the answer fixed (tp/pp/dp/ep, or each pool's and the P:D split
// when disaggregated; a search is not repeated) and the point's batch. The
// answer's own batch is added to the CLI's batches, so that the evaluated
// point is on the curve.
#ifndef XPUSIM_API_SERVE_CURVE_H_
#define XPUSIM_API_SERVE_CURVE_H_

#include <nlohmann/json.hpp>

#include "xpusim/api.h"
#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::api {

// [{batch, ttft_s, tpot_s, tokens_per_s, tokens_per_s_per_chip, fits}, ...]
// by increasing batch, for the serve call `args` (without "curve") that
// answered `answer`. The last point has fits false when the sweep went past
// the largest batch that fits; empty when there is no time per output token
// (phase prefill).
Result<nlohmann::json> ServeCurve(const Catalog& catalog, const nlohmann::json& args, const nlohmann::json& answer,
                                  const CallOptions& options);

}  // namespace xpusim::api

#endif  // XPUSIM_API_SERVE_CURVE_H_
