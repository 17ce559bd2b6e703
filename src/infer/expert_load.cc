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

double ExpectedMaxStandardNormal(int n) {
  if (n <= 1) return 0;
  const double p = (n - 0.375) / (n + 0.25);
  // Invert Phi(x) = erfc(-x / sqrt 2) / 2 by Newton's method from a
  // logistic first guess; Phi is smooth and monotone, 6 steps reach 1e-12.
  double x = std::log(p / (1 - p)) / 1.702;
  for (int i = 0; i < 6; ++i) {
    const double cdf = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
    x -= (cdf - p) / pdf;
  }
  return x;
}

double BusiestRankLoadFactor(double experts, double top_k, double group_tokens, double local_experts, int ranks) {
  if (ranks <= 1 || !(experts > 1) || !(group_tokens > 0) || !(local_experts > 0)) return 1.0;
  const double share = std::clamp(local_experts / experts, 0.0, 1.0);
  const double k = std::clamp(top_k, 0.0, experts);
  const double mean = group_tokens * k * share;
  if (!(mean > 0)) return 1.0;
  const double var = group_tokens * k * share * (1 - share) * (experts - k) / (experts - 1);
  return 1.0 + ExpectedMaxStandardNormal(ranks) * std::sqrt(var) / mean;
}

}  // namespace xpusim
