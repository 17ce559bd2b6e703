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

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_LAYOUTS_H_
