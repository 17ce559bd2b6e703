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

// Expected maximum of `n` independent standard normal variables (Blom's
// approximation Phi^-1((n - 0.375) / (n + 0.25)): 4.5% high at n = 2,
// within 1% from n = 10). 0 for n <= 1.
double ExpectedMaxStandardNormal(int n);

// Load of the busiest of `ranks` EP ranks relative to the mean, with balanced
// routing: each of `group_tokens` tokens picks `top_k` distinct experts of
// `experts` uniformly, so the routed slots landing on a rank that holds
// `local_experts` have mean T k L / E and, per token, the hypergeometric
// variance k (L/E)(1 - L/E)(E - k)/(E - 1). Every all-to-all and the expert
// GEMMs wait for the busiest rank: mean + sigma x E[max of `ranks` normals].
// A lower bound: real routers are skewed, and load balancers only bring them
// back towards this statistical floor. 1 for a single rank.
double BusiestRankLoadFactor(double experts, double top_k, double group_tokens, double local_experts, int ranks);

}  // namespace xpusim

#endif  // XPUSIM_INFER_EXPERT_LOAD_H_
