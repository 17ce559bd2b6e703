// SearchDisaggregated / SearchDisaggregatedSplit: layouts (and the P:D split)
// of a disaggregated deployment.
//
// The pools are searched separately because their work differs: the decode
// pool holds the generating sequences (SearchServe, decode phase, TPOT SLO);
// the prefill pool only runs prompt iterations, so each of its layouts is
// scored by the throughput of the whole deployment it would feed, with TTFT =
// prefill iteration + KV transfer within the TTFT SLO (at the prefill token
// budgets CandidatePrefillChunks gives).
#include <fmt/format.h>

#include "infer/serve_layouts.h"
#include "infer/step_time.h"
#include "xpusim/serve.h"

namespace xpusim {
namespace {

bool MeetsSlo(const ServeResult& r, const ServeSlo& slo) {
  if (!r.fits) return false;
  if (slo.tpot_s > 0 && r.tpot_s > slo.tpot_s) return false;
  if (slo.ttft_s > 0 && r.ttft_s > slo.ttft_s) return false;
  return true;
}

}  // namespace

Result<ServeResult> SearchDisaggregated(const Catalog& catalog, const Model& model, const System& system,
                                        int64_t prefill_chips, int64_t decode_chips, const ServeDeployment& base,
                                        const ServeOptions& options, const ServeWorkload& w, const ServeSlo& slo) {
  ServeWorkload wd = w;
  wd.phase = ServePhase::kDecode;
  Result<ServeResult> decode = SearchServe(catalog, model, system, decode_chips, base, options, wd, {slo.tpot_s, 0});
  if (!decode.ok())
    return Status(decode.status().code(), fmt::format("decode pool ({} chips): {}", decode_chips, decode.status().message()));
  ServeDeployment dd = base;
  dd.layout = decode->layout;
  ServeWorkload wb = w;
  wb.batch = decode->batch;
  std::optional<ServeResult> best;
  Status last = Status::Ok();
  const std::vector<int64_t> chunks =
      CandidatePrefillChunks(options, slo, ComputedPromptTokens(w.input_len, options.prefix_cache_hit));
  for (const int64_t chunk : chunks) {
    for (const ServeLayout& l : CandidateServeLayouts(model, system, prefill_chips)) {
      ServeDeployment dp = base;
      dp.layout = l;
      ServeOptions o = options;
      o.prefill_chunk_tokens = chunk;
      Result<ServeResult> r = EvaluateDisaggregated(catalog, model, system, prefill_chips, dp, decode_chips, dd, o, wb);
      if (!r.ok()) {
        last = r.status();
        continue;
      }
      if (!MeetsSlo(*r, slo)) continue;
      if (!best || r->tokens_per_s > best->tokens_per_s * (1 + 1e-9)) best = *r;
    }
  }
  if (!best) {
    if (!last.ok()) return Status(last.code(), fmt::format("prefill pool ({} chips): {}", prefill_chips, last.message()));
    return Status::Precondition(fmt::format("no prefill layout on {} chips meets TTFT {} ms (prefill + KV transfer); "
                                            "relax --ttft-slo-ms or give the prefill pool more chips",
                                            prefill_chips, slo.ttft_s * 1e3));
  }
  best->disagg_splits_tried = 1;
  best->prefill_chunk_searched = chunks.size() > 1;
  return *best;
}

Result<ServeResult> SearchDisaggregatedSplit(const Catalog& catalog, const Model& model, const System& system,
                                             int64_t chips, const ServeDeployment& base, const ServeOptions& options,
                                             const ServeWorkload& w, const ServeSlo& slo) {
  const int64_t node = std::max(1, system.chips_per_node);
  if (chips < 2 * node || chips % node != 0)
    return Status::Invalid(fmt::format("--disagg auto splits whole nodes of {} chips: --chips must be a multiple of {} "
                                       "and at least {} (got {})",
                                       node, node, 2 * node, chips));
  std::optional<ServeResult> best;
  Status last = Status::Ok();
  int tried = 0;
  for (int64_t p = node; p < chips; p += node) {
    ++tried;
    Result<ServeResult> r = SearchDisaggregated(catalog, model, system, p, chips - p, base, options, w, slo);
    if (!r.ok()) {
      last = r.status();
      continue;
    }
    if (!best || r->tokens_per_s > best->tokens_per_s * (1 + 1e-9)) best = *r;
  }
  if (!best)
    return Status(last.code(), fmt::format("no P:D split of {} chips works; the last one tried said: {}", chips, last.message()));
  best->disagg_splits_tried = tried;
  best->note += fmt::format("; best of {} P:D splits in whole nodes", tried);
  return *best;
}

}  // namespace xpusim
