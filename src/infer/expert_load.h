// Which routed experts a batch touches (MoE decode loads only those).
//
// With E experts and top-k routing, a token picks a given expert with
// probability k / E; assuming independent, balanced routing, T tokens leave
// it untouched with probability (1 - k/E)^T, so the expected number of
// distinct experts touched is E (1 - (1 - k/E)^T). On one EP rank holding
// E_local experts, T counts every token of the EP group (all its ranks
// dispatch to it): E_local (1 - (1 - k/E)^T).
#ifndef XPUSIM_INFER_EXPERT_LOAD_H_
#define XPUSIM_INFER_EXPERT_LOAD_H_

namespace xpusim {

// Expected distinct experts among `local_experts` of `experts`, each token
// choosing `top_k`, over `tokens` tokens. REQUIRES: 0 < top_k <= experts.
double ExpectedDistinctExperts(double experts, double top_k, double tokens, double local_experts);

struct ExpertLoad {
  double touched = 0;           // expected experts with work on this rank
  double rows_per_expert = 0;   // tokens each touched expert processes
};

// Expert GEMM work on one EP rank when `group_tokens` tokens enter the EP group.
ExpertLoad ExpertLoadOnRank(double experts, double top_k, double group_tokens, double local_experts);

}  // namespace xpusim

#endif  // XPUSIM_INFER_EXPERT_LOAD_H_
