// Equivalence on a serving target (DESIGN C7, issue 6): how many chips of a
// candidate system deliver the reference deployment's SLO-meeting output
// throughput, each side with its best layout and batch from the serving
// search (SearchServe, include/xpusim/serve.h), and what that costs.
//
// The reference's best SLO-meeting tokens/s is the target; the candidate
// count is the smallest multiple of its unit (MatchStep, as for training)
// whose SearchServe result reaches it: bracketed from the candidate's
// per-chip throughput at a first guess, then bisected, then the few counts
// just below the answer are checked (throughput over counts is not exactly
// monotone: layouts need dp = chips / (tp pp) whole).
//
//   MW             = cluster power at the wall (chips x W + nodes x node overhead) x PUE
//   MWh per day    = MW x 24
//   MWh per Mtok   = MW / (tokens/s) x 1e6 / 3600
//   USD per Mtok   = (capex / amortisation seconds + kW x USD/kWh / 3600) / tokens/s x 1e6
#ifndef XPUSIM_PLAN_MATCH_SERVE_H_
#define XPUSIM_PLAN_MATCH_SERVE_H_

#include <vector>

#include "plan/match.h"
#include "xpusim/serve.h"

namespace xpusim {

struct ServeMatchOptions {
  Model model;
  System reference;
  int64_t reference_chips = 0;
  System candidate;
  ServeDeployment base;   // weights and KV formats (layout ignored)
  ServeOptions options;   // shared by both sides
  ServeWorkload workload; // input_len, output_len (batch found by the search)
  ServeSlo slo;
  MatchStep step = MatchStep::kNode;
  int64_t max_candidate_chips = 0;  // 0: 64 x the FLOPS-equivalent count
};

struct ServeMatchSide {
  System system;
  Chip chip;
  int64_t chips = 0;
  double nodes = 0, racks = 0;
  ServeResult best;
  double power_mw = 0;          // at the wall (x PUE)
  double mwh_per_day = 0;
  double mwh_per_mtok = 0;
  double usd_per_mtok = 0;
  double capex_usd = 0;         // node price x nodes (chip price x chips when the system has none)
};

struct ServeMatchResult {
  ServeMatchSide reference, candidate;
  int64_t unit = 1;
  std::string unit_reason;
  MatchStep step = MatchStep::kNode;
  int64_t whole_systems = 0, whole_system_chips = 0;
  double interpolated_chips = 0;  // candidate chips x target / achieved
  double flops_ratio_chips = 0;
  std::vector<MatchProbe> probes;  // tokens_per_s: SLO-meeting output tokens/s (0: nothing meets them)
  double seconds = 0;
};

Result<ServeMatchResult> MatchServing(const Catalog& catalog, const ServeMatchOptions& o);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_MATCH_SERVE_H_
