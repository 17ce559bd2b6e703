#include "infer/expert_load.h"

#include <algorithm>
#include <cmath>

namespace xpusim {

double ExpectedDistinctExperts(double experts, double top_k, double tokens, double local_experts) {
  if (!(experts > 0) || !(tokens > 0) || !(local_experts > 0)) return 0;
  const double p = std::clamp(top_k / experts, 0.0, 1.0);
  // log1p keeps (1 - p)^T accurate for tiny p and large T.
  const double untouched = p >= 1.0 ? 0.0 : std::exp(tokens * std::log1p(-p));
  return local_experts * (1.0 - untouched);
}

ExpertLoad ExpertLoadOnRank(double experts, double top_k, double group_tokens, double local_experts) {
  ExpertLoad l;
  l.touched = ExpectedDistinctExperts(experts, top_k, group_tokens, local_experts);
  if (l.touched <= 0) return l;
  // Slots landing on this rank: T k / E per expert, spread over the touched ones.
  const double slots = group_tokens * top_k / experts * local_experts;
  l.rows_per_expert = slots / l.touched;
  return l;
}

}  // namespace xpusim
