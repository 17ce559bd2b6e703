#include "infer/ttft_at_load.h"

#include <algorithm>
#include <cmath>

namespace xpusim {

Result<LoadedTtft> TtftAtLoad(double rate_per_s, int64_t n_max, const std::function<Result<double>(int64_t)>& prefill_s,
                              double other_s) {
  n_max = std::max<int64_t>(1, n_max);
  rate_per_s = std::isfinite(rate_per_s) ? std::max(0.0, rate_per_s) : 0.0;
  LoadedTtft r;
  XPU_ASSIGN_OR_RETURN(r.prefill_s, prefill_s(1));
  // n grows monotonically to the least fixed point; 64 steps bound the walk.
  for (int i = 0; i < 64 && r.prompts < n_max; ++i) {
    const int64_t need =
        std::clamp<int64_t>(static_cast<int64_t>(std::ceil(rate_per_s * r.prefill_s - 1e-9)), 1, n_max);
    if (need <= r.prompts) break;
    r.prompts = need;
    XPU_ASSIGN_OR_RETURN(r.prefill_s, prefill_s(need));
  }
  // Share of time in prefill iterations: rate / n of them per second.
  const double prefill_share = std::min(1.0, rate_per_s * r.prefill_s / static_cast<double>(r.prompts));
  r.wait_s = prefill_share * r.prefill_s / 2 + (1 - prefill_share) * std::max(0.0, other_s) / 2;
  return r;
}

}  // namespace xpusim
