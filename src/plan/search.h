// Parallel-plan search (DESIGN C3): the best ParallelPlan for a training job
// on a cluster, exhaustive over the legal space, with pruning that provably
// loses no better plan, multithreaded with oneTBB.
//
//   SearchOptions opt;                       // objective, constraints, top-k
//   XPU_ASSIGN_OR_RETURN(SearchResult r, SearchPlans(evaluator, opt));
//   r.top[0]                                 // the best plan that fits
//
// The space: every tp x pp x dp x cp = chips (tp within the scale-up domain
// unless max_tp says otherwise), ep dividing dp x cp and the expert count
// (MoE only), ZeRO 0..3 (3 only with pp = 1), pipeline schedule 1F1B and
// interleaved with every vpp that leaves at least one layer per chunk (zero-bubble
// and DualPipe with extra_schedules), sequence parallelism on/off (tp > 1),
// recompute none/selective/full and power-of-two micro-batches up to
// max_micro_batch dividing global_batch / dp. Degrees fixed in `fixed` are
// honoured.
//
// Pruning (never on a time estimate; both rules only skip plans that are
// certain not to fit, so the best plan that fits is the same with and
// without pruning; search_test.cc checks it against brute force):
//  1. Static memory: a lower bound on weights + gradients + optimizer states
//     of the busiest stage (floor(layers / pp) of the cheaper layer kind,
//     sharded by the ZeRO stage) plus the runtime reserve; when it exceeds
//     the usable memory, every micro-batch, recompute, sp and schedule
//     variant of that (tp, pp, dp, ep, cp, zero) is skipped.
//  2. Micro-batch: memory never decreases with the micro-batch size (tokens
//     grow linearly; in-flight micro-batches x micro-batch size is
//     non-decreasing), so once a micro-batch does not fit, the larger ones
//     of the same plan are skipped.
//
// Determinism: plans are ranked by (objective, plan tuple), a total order,
// so the top-k is the same for any thread count.
//
// Thread-safety: SearchPlans may be called from several threads; the
// evaluator is only read.
#ifndef XPUSIM_PLAN_SEARCH_H_
#define XPUSIM_PLAN_SEARCH_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xpusim/status.h"
#include "xpusim/train.h"

namespace xpusim {

enum class SearchObjective { kTime, kEnergy, kCost };
const char* SearchObjectiveName(SearchObjective o);
Result<SearchObjective> ParseSearchObjective(std::string_view s);

// Degrees the user fixed; unset fields are searched.
struct FixedPlanFields {
  std::optional<int> tp, pp, dp, ep, cp, vpp, zero, micro_batch;
  std::optional<bool> sp;
  std::optional<Recompute> recompute;
  std::optional<PipelineSchedule> schedule;
};

struct SearchOptions {
  SearchObjective objective = SearchObjective::kTime;
  int top_k = 5;                   // plans kept, best first (>= 1)
  double max_memory_frac = 1.0;    // usable fraction of chip memory, (0, 1]
  int max_tp = 0;                  // largest tp; 0: the system's scale-up domain
  int max_micro_batch = 64;        // largest micro-batch tried (powers of two)
  bool extra_schedules = false;    // also zero-bubble (ZB-H1) and DualPipe
  FixedPlanFields fixed;
  bool prune = true;               // false: evaluate every plan (for tests)
  int threads = 0;                 // 0: oneTBB's default (all cores)
  // Tokens over which the cost objective spreads capex and electricity
  // (the ranking does not depend on it; it only scales the reported cost).
  double cost_tokens = 1e12;
  // Called about every 100 ms from a monitor thread while the search runs,
  // and once at the end, with the fraction of outer tuples done and the
  // seconds elapsed. May be empty.
  std::function<void(double fraction, double elapsed_s)> progress;
};

struct SearchCounts {
  int64_t enumerated = 0;  // legal plans in the space
  int64_t pruned = 0;      // skipped by a memory rule without evaluation
  int64_t evaluated = 0;   // TrainEvaluator::Evaluate calls
  int64_t oom = 0;         // evaluated plans over the usable memory
  int64_t rejected = 0;    // plans Evaluate refused (a bug if > 0)
};

struct RankedPlan {
  TrainResult result;
  double objective = 0;    // seconds, J per token, or USD per token
  double cost_per_token_usd = 0;
};

struct SearchResult {
  std::vector<RankedPlan> top;       // fitting plans, best first (empty: none fits)
  SearchCounts counts;
  double seconds = 0;
  int threads = 0;
  double usable_memory_gb = 0;       // max_memory_frac x chip memory
  // Among evaluated plans: the one with the least memory (for the "nothing
  // fits" message) and the best by objective that does not fit.
  std::optional<TrainResult> least_memory;
  std::optional<RankedPlan> best_oom;
};

// REQUIRES: nothing; bad options are an Invalid status.
Result<SearchResult> SearchPlans(const TrainEvaluator& ev, const SearchOptions& options);

// The objective value of a result (lower is better).
double ObjectiveValue(const TrainEvaluator& ev, const TrainResult& r, SearchObjective o,
                      double cost_tokens);

// "Why the runner-up loses": step-time terms where `other` differs from
// `best`, largest (other - best) first.
struct TermDelta {
  const char* name;   // "PP bubble", "TP comm", ...
  double best_s = 0;
  double other_s = 0;
  double delta_s() const { return other_s - best_s; }
};
std::vector<TermDelta> CompareStepTimes(const TrainResult& best, const TrainResult& other);

// Total order on plans used for tie-breaks (true when a sorts before b).
bool PlanLess(const ParallelPlan& a, const ParallelPlan& b);

// --- Sweep over chip counts ------------------------------------------------

// "512,1024,2048" or "512:8192:x2" (geometric) or "512:2048:+512"
// (arithmetic); sorted, without duplicates.
Result<std::vector<int64_t>> ParseChipSweep(std::string_view spec);

struct SweepPoint {
  int64_t chips = 0;
  int64_t global_batch = 0;
  SearchResult search;
  // tokens/s per chip relative to the smallest chip count (1 = linear).
  double scaling_efficiency = 0;
};

// Searches each chip count with a copy of `base` (same model, system,
// options). weak: global batch grows in proportion to the chips (from
// base's global batch at the smallest count); strong: it stays fixed.
Result<std::vector<SweepPoint>> SweepChips(const Catalog& catalog, const TrainEvaluator& base,
                                           const std::vector<int64_t>& chips, bool weak,
                                           const SearchOptions& options);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_SEARCH_H_
