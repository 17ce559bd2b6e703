// The serving layouts a search tries on a number of chips: tp and pp powers of
// two (tp within the scale-up domain, pp at most the layers), dp the rest, and
// for MoE models ep in {1, powers of two dividing dp, dp}.
#ifndef XPUSIM_INFER_SERVE_LAYOUTS_H_
#define XPUSIM_INFER_SERVE_LAYOUTS_H_

#include <cstdint>
#include <vector>

#include "xpusim/serve.h"

namespace xpusim {

std::vector<ServeLayout> CandidateServeLayouts(const Model& model, const System& system, int64_t chips);

// The prefill token budgets a search tries: options.prefill_chunk_tokens, and
// with options.search_prefill_chunk and a TTFT SLO its halvings down to
// kMinSearchedPrefillChunk (a smaller budget shortens TTFT, a larger one
// batches prompts better), but none below `prompt_tokens` (the computed
// tokens of one prompt: a prompt is prefilled whole, so a smaller budget
// changes nothing). Largest first, so ties keep the larger budget.
std::vector<int64_t> CandidatePrefillChunks(const ServeOptions& options, const ServeSlo& slo, int64_t prompt_tokens);

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_LAYOUTS_H_
