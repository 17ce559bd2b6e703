// Time to first token at a steady arrival rate (DESIGN C4), shared by the
// aggregated and the disaggregated serving models.
//
// Prompts reach a replica at `rate` per second. An arriving prompt first
// waits for the iteration in progress to end (the residual of a random
// instant: an iteration of length t is hit with probability proportional to
// t and half of it remains, so the mean wait is sum_k share_k x t_k / 2, with
// share_k the fraction of time spent in iterations of kind k). Its prefill
// iteration then holds the prompts that arrived while the one before ran:
// n = ceil(rate x t(n)), the least such n from one prompt up (t grows with n),
// at most the token budget's n_max. So TTFT is one prompt's prefill at low
// load and the full budget's iteration when prefill is the bottleneck, not
// always the latter.
#ifndef XPUSIM_INFER_TTFT_AT_LOAD_H_
#define XPUSIM_INFER_TTFT_AT_LOAD_H_

#include <cstdint>
#include <functional>

#include "xpusim/status.h"

namespace xpusim {

struct LoadedTtft {
  int64_t prompts = 1;    // per prefill iteration
  double prefill_s = 0;   // that iteration
  double wait_s = 0;      // for the iteration in progress at arrival
  double total_s() const { return wait_s + prefill_s; }
};

// `prefill_s(n)`: one replica's prefill iteration of n prompts (fails through).
// `other_s`: the iteration the replica runs when not prefilling (a decode
// step; 0 when it idles, as a disaggregated prefill pool does).
Result<LoadedTtft> TtftAtLoad(double rate_per_s, int64_t n_max, const std::function<Result<double>(int64_t)>& prefill_s,
                              double other_s);

}  // namespace xpusim

#endif  // XPUSIM_INFER_TTFT_AT_LOAD_H_
