// Equivalence (DESIGN C7): how many chips of a candidate system match a
// reference cluster on a training job, and what that costs in power,
// energy, money and floor space.
//
// The candidate count is found with the real training model including the
// parallel-plan search (plan/search.h) at every probed count, by bisection
// over multiples of the candidate's unit: the smallest count whose best plan reaches the reference's best
// tokens/s (equal tokens/s = equal time-to-train on the same token budget).
// A peak-FLOPS ratio only seeds the bracket; it never decides the answer.
//
// Stepping (MatchStep, doc/energy_cost.md "match"): by default counts step by
// whole nodes (servers/trays), also inside a supernode: a job may use part of
// a CloudMatrix 384 or an NVL72 rack (the rest idles or runs other work), and
// the training model shapes collective groups that do not tile scale-up
// domains (cost/collective.h). Stepping by whole scale-up domains (kSystem)
// overshoots by up to one domain (~20% for 384-chip supernodes at ~30k
// chips). Either way the result also gives the whole systems one would buy
// and the interpolated count at which the answer's plan, at its per-chip
// throughput, would exactly reach the reference.
//
// Thread-safety: MatchTraining is reentrant (each call builds its own
// evaluators); the search inside uses several threads.
#ifndef XPUSIM_PLAN_MATCH_H_
#define XPUSIM_PLAN_MATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "plan/search.h"
#include "xpusim/catalog.h"
#include "xpusim/status.h"
#include "xpusim/train.h"

namespace xpusim {

// "dgx-h100:16384" -> system id and chip count.
struct SystemCount {
  std::string system;
  int64_t chips = 0;
};
Result<SystemCount> ParseSystemCount(std::string_view spec);

// One side of the comparison: the best plan at its chip count and the
// aggregates derived from it.
struct MatchSide {
  System system;
  Chip chip;
  int64_t chips = 0;
  double nodes = 0, racks = 0;
  TrainResult best;            // best plan (objective: time)
  RunTotals totals;            // over MatchOptions::tokens
  double peak_pflops = 0;      // chips x dense peak of the training precision
  double chip_power_w = 0;     // average board power in the best plan
  double it_power_mw = 0;      // chips x chip power + nodes x node overhead
  double wall_power_mw = 0;    // it_power_mw x PUE
  double pue = 1;
  double sustained_factor = 1; // compute clock factor from the power model
};

struct MatchProbe {
  int64_t chips = 0;
  double tokens_per_s = 0;  // 0: nothing fits
  double search_s = 0;
};

// kNode: multiples of the node (chips_per_node); kSystem: multiples of the
// larger of the node and the scale-up domain (whole supernodes/pods).
enum class MatchStep { kNode, kSystem };
const char* MatchStepName(MatchStep s);
Result<MatchStep> ParseMatchStep(std::string_view s);

struct MatchOptions {
  Model model;
  System reference;
  int64_t reference_chips = 0;
  System candidate;
  TrainWorkload workload;
  TrainOptions options;           // shared by both sides (pue override, prices)
  double tokens = 15e12;          // training tokens for days, MWh and cost
  SearchOptions search;           // objective forced to time, top_k to 1
  int64_t max_candidate_chips = 0;  // 0: 64 x the FLOPS-equivalent count
  MatchStep step = MatchStep::kNode;
};

struct MatchResult {
  MatchSide reference, candidate;
  int64_t unit = 1;               // candidate counts are multiples of this
  std::string unit_reason;        // "scale-up domain of 384" / "node of 8"
  MatchStep step = MatchStep::kNode;
  // Whole scale-up domains (supernodes, pods, or nodes when the domain is
  // smaller) that hold the candidate's chips, and their chips.
  int64_t whole_systems = 0;
  int64_t whole_system_chips = 0;
  // candidate chips x reference tokens/s / candidate tokens/s: the count at
  // which the answer's plan, at its per-chip throughput, would reach the
  // reference exactly (<= candidate chips; the gap is the step's overshoot).
  double interpolated_chips = 0;
  std::vector<MatchProbe> probes; // in probing order
  double flops_ratio_chips = 0;   // what a peak-FLOPS ratio would have said
  double seconds = 0;
};

// What training and serving matches share: the candidate's counting unit
// for `step` (a node, or its scale-up domain with MatchStep::kSystem) and
// why, the count a peak-FLOPS ratio would give, and how many units to try
// at most (`max_candidate_chips`, or 64x the FLOPS count, capped).
// Nodes that hold `chips` chips of `sys`, and racks for those nodes
// (`nodes_per_rack`, one node per rack when the system does not say).
struct NodesRacks {
  double nodes = 0, racks = 0;
};
NodesRacks CountNodesRacks(const System& sys, int64_t chips);

struct CandidateSteps {
  int64_t unit = 1;
  int64_t domain = 1;  // chips of one whole system (scale-up domain, at least a node)
  std::string unit_reason;
  double flops_ratio_chips = 0;
  int64_t max_units = 1;
};
Result<CandidateSteps> PlanCandidateSteps(const Chip& reference_chip, int64_t reference_chips, const System& candidate,
                                          const Chip& candidate_chip, Precision precision, MatchStep step,
                                          int64_t max_candidate_chips);

Result<MatchResult> MatchTraining(const Catalog& catalog, const MatchOptions& o);

// Whole-system aggregates at full load from the catalog and the power
// model: chips x dense bf16 peak, and chips x full-load chip power (the TDP
// or the cap) + nodes x node overhead, before PUE. `chips` 0: one scale-up
// domain.
struct SystemAggregate {
  int64_t chips = 0;
  double nodes = 0;
  double bf16_pflops = 0;
  double it_power_kw = 0;
};
Result<SystemAggregate> ComputeSystemAggregate(const Catalog& catalog, const System& system, int64_t chips = 0);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_MATCH_H_
