#include "plan/match.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <cmath>

#include <fmt/format.h>

#include "cost/chip_cost.h"
#include "energy/power.h"

namespace xpusim {
namespace {

constexpr int64_t kMaxChips = 10'000'000;

double PueOf(const System& s, const TrainOptions& o) { return o.pue > 0 ? o.pue : s.pue.or_else(1.0); }

Result<double> SustainedFactor(const Chip& chip, const TrainOptions& o) {
  XPU_ASSIGN_OR_RETURN(ChipCostModel cost, ChipCostModel::Create(chip, Catalog::DefaultDataDir() / "calibration"));
  XPU_ASSIGN_OR_RETURN(PowerModel pm, PowerModel::Create(chip, cost.SustainedComputeFactor(), o.power_cap_w));
  return o.sustained_clocks ? pm.compute_factor() : 1.0;
}

// Best plan by time at `chips`; tokens_per_s 0 when nothing fits.
struct Probe {
  std::optional<TrainEvaluator> ev;
  std::optional<TrainResult> best;
  double seconds = 0;
  bool legal = false;  // some plan exists for this count (fitting or not)
};

Result<Probe> SearchAt(const Catalog& catalog, const MatchOptions& o, const System& sys, int64_t chips) {
  Probe p;
  XPU_ASSIGN_OR_RETURN(TrainEvaluator ev, TrainEvaluator::Create(catalog, o.model, sys, chips, o.workload, o.options));
  SearchOptions so = o.search;
  so.objective = SearchObjective::kTime;
  so.top_k = 1;
  so.progress = nullptr;
  so.cost_tokens = o.tokens > 0 ? o.tokens : 1e12;
  XPU_ASSIGN_OR_RETURN(SearchResult r, SearchPlans(ev, so));
  p.seconds = r.seconds;
  p.legal = r.counts.enumerated > 0;
  if (!r.top.empty()) p.best = r.top[0].result;
  p.ev = std::move(ev);
  return p;
}

Result<MatchSide> MakeSide(const Catalog& catalog, const MatchOptions& o, const System& sys, int64_t chips,
                           const Probe& p) {
  MatchSide s;
  s.system = sys;
  s.chip = catalog.ChipOf(sys);
  s.chips = chips;
  s.best = *p.best;
  s.totals = p.ev->Totals(s.best, o.tokens > 0 ? o.tokens : 0);
  const NodesRacks nr = CountNodesRacks(sys, chips);
  s.nodes = nr.nodes;
  s.racks = nr.racks;
  s.peak_pflops = chips * s.chip.EffectivePeakTflops(o.workload.precision) / 1e3;
  s.chip_power_w = s.best.power_w_per_chip;
  s.pue = PueOf(sys, o.options);
  s.wall_power_mw = s.best.cluster_power_kw / 1e3;
  s.it_power_mw = s.wall_power_mw / s.pue;
  XPU_ASSIGN_OR_RETURN(s.sustained_factor, SustainedFactor(s.chip, o.options));
  return s;
}

}  // namespace

NodesRacks CountNodesRacks(const System& sys, int64_t chips) {
  NodesRacks r;
  r.nodes = std::ceil(static_cast<double>(chips) / std::max(1, sys.chips_per_node));
  const double per_rack = sys.nodes_per_rack.known() && sys.nodes_per_rack.value > 0 ? sys.nodes_per_rack.value : 1;
  r.racks = std::ceil(r.nodes / per_rack);
  return r;
}

const char* MatchStepName(MatchStep s) { return s == MatchStep::kSystem ? "system" : "node"; }

Result<MatchStep> ParseMatchStep(std::string_view s) {
  if (s == "node") return MatchStep::kNode;
  if (s == "system") return MatchStep::kSystem;
  return Status::Invalid(fmt::format("--step must be node (whole servers, also inside a supernode) or system (whole "
                                     "scale-up domains); got '{}'",
                                     s));
}

Result<SystemCount> ParseSystemCount(std::string_view spec) {
  const size_t colon = spec.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= spec.size())
    return Status::Invalid(fmt::format("--reference '{}' must be SYSTEM:CHIPS, e.g. dgx-h100:16384", spec));
  SystemCount sc;
  sc.system = std::string(spec.substr(0, colon));
  const std::string_view n = spec.substr(colon + 1);
  const auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), sc.chips);
  if (ec != std::errc() || ptr != n.data() + n.size() || sc.chips < 1 || sc.chips > kMaxChips)
    return Status::Invalid(fmt::format("--reference '{}': '{}' is not a chip count between 1 and {}", spec, n, kMaxChips));
  return sc;
}

Result<CandidateSteps> PlanCandidateSteps(const Chip& reference_chip, int64_t reference_chips, const System& candidate,
                                          const Chip& candidate_chip, Precision precision, MatchStep step,
                                          int64_t max_candidate_chips) {
  CandidateSteps s;
  const int64_t node = std::max(1, candidate.chips_per_node);
  const int64_t domain = std::max<int64_t>(node, candidate.scaleup_domain_chips);
  s.domain = domain;
  s.unit = step == MatchStep::kSystem ? domain : node;
  s.unit_reason = s.unit > node ? fmt::format("scale-up domain of {}", domain) : fmt::format("node of {}", node);
  const double rpeak = reference_chip.EffectivePeakTflops(precision), cpeak = candidate_chip.EffectivePeakTflops(precision);
  if (!(cpeak > 0))
    return Status::Invalid(fmt::format("candidate chip '{}' has no usable peak for {}", candidate_chip.id,
                                       PrecisionName(precision)));
  s.flops_ratio_chips = reference_chips * rpeak / cpeak;
  const double cap = max_candidate_chips > 0 ? static_cast<double>(max_candidate_chips)
                                             : std::min<double>(kMaxChips, 64 * s.flops_ratio_chips + s.unit);
  s.max_units = std::max<int64_t>(1, static_cast<int64_t>(cap) / s.unit);
  return s;
}

Result<MatchResult> MatchTraining(const Catalog& catalog, const MatchOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.reference_chips < 1) return Status::Invalid("the reference needs at least one chip");
  if (!std::isfinite(o.tokens) || o.tokens < 0) return Status::Invalid("--tokens must be a finite number >= 0");
  MatchResult m;
  XPU_ASSIGN_OR_RETURN(Probe ref, SearchAt(catalog, o, o.reference, o.reference_chips));
  if (!ref.best)
    return Status::Precondition(fmt::format("no parallel plan of {} fits on {} x {} ({}); try more chips, a smaller "
                                            "--global-batch or --seq",
                                            o.model.id, o.reference_chips, catalog.ChipOf(o.reference).id, o.reference.id));
  const double target = ref.best->tokens_per_s;
  m.probes.push_back({o.reference_chips, target, ref.seconds});

  const System& cs = o.candidate;
  XPU_ASSIGN_OR_RETURN(CandidateSteps steps,
                       PlanCandidateSteps(catalog.ChipOf(o.reference), o.reference_chips, cs, catalog.ChipOf(cs),
                                          o.workload.precision, o.step, o.max_candidate_chips));
  m.step = o.step;
  m.unit = steps.unit;
  m.unit_reason = steps.unit_reason;
  m.flops_ratio_chips = steps.flops_ratio_chips;
  const int64_t k_max = steps.max_units;

  std::map<int64_t, Probe> cache;  // k -> probe
  auto probe = [&](int64_t k) -> Result<const Probe*> {
    auto it = cache.find(k);
    if (it == cache.end()) {
      XPU_ASSIGN_OR_RETURN(Probe p, SearchAt(catalog, o, cs, k * m.unit));
      if (p.legal) m.probes.push_back({k * m.unit, p.best ? p.best->tokens_per_s : 0.0, p.seconds});
      it = cache.emplace(k, std::move(p)).first;
    }
    return &it->second;
  };
  // Candidate counts: k x unit with k 7-smooth (no prime factor above 7).
  // A count with a larger prime factor can only be split with that factor
  // in one degree (pp or cp in practice), which no real job does; it would
  // leave chips idle in a nicer count. Some smooth counts still have no
  // legal plan (e.g. a factor the global batch cannot take); they say
  // nothing about speed, so the search steps over them.
  std::vector<int64_t> ks;
  for (int64_t k = 1; k <= k_max; ++k) {
    int64_t r = k;
    for (int64_t p : {2, 3, 5, 7})
      while (r % p == 0) r /= p;
    if (r == 1) ks.push_back(k);
  }
  const int64_t n = static_cast<int64_t>(ks.size());
  struct Hit {
    int64_t i = 0;  // index into ks; n: none
    double tps = 0;
  };
  // The first index in [i, limit) whose count has a legal plan.
  auto first_legal = [&](int64_t i, int64_t limit) -> Result<Hit> {
    for (; i < limit; ++i) {
      XPU_ASSIGN_OR_RETURN(const Probe* p, probe(ks[i]));
      if (p->legal) return Hit{i, p->best ? p->best->tokens_per_s : 0.0};
    }
    return Hit{limit, 0.0};
  };
  // Bracket lo < hi (indices) with tps(lo) < target <= tps(hi) (lo -1:
  // nothing below tried), seeded by the FLOPS ratio, then bisect. Equal
  // tokens/s = equal time to train.
  const int64_t k0 = static_cast<int64_t>(std::ceil(m.flops_ratio_chips / m.unit));
  int64_t i0 = std::min<int64_t>(n - 1, std::lower_bound(ks.begin(), ks.end(), k0) - ks.begin());
  int64_t lo = -1, hi = -1;
  XPU_ASSIGN_OR_RETURN(Hit h, first_legal(i0, n));
  if (h.i < n && h.tps >= target) {
    hi = h.i;
    for (int64_t down = i0 / 2; lo < 0; down /= 2) {
      XPU_ASSIGN_OR_RETURN(Hit d, first_legal(down, hi));
      if (d.i < hi) (d.tps >= target ? hi : lo) = d.i;
      if (down == 0) break;
    }
  } else {
    lo = h.i < n ? h.i : i0;
    while (hi < 0) {
      if (lo >= n - 1)
        return Status::Precondition(fmt::format(
            "even {} chips of {} do not reach the reference's {:.4g} tokens/s; the job may not scale further "
            "(global batch {} limits data parallelism): try a larger --global-batch",
            k_max * m.unit, cs.id, target, o.workload.global_batch));
      const int64_t up = std::min<int64_t>(n - 1, std::lower_bound(ks.begin(), ks.end(), 2 * ks[lo]) - ks.begin());
      XPU_ASSIGN_OR_RETURN(Hit u, first_legal(up, n));
      if (u.i >= n) {
        lo = n - 1;
        continue;
      }
      (u.tps >= target ? hi : lo) = u.i;
    }
  }
  for (int64_t limit = hi; lo + 1 < limit;) {
    const int64_t mid = lo + (limit - lo) / 2;
    XPU_ASSIGN_OR_RETURN(Hit b, first_legal(mid, hi));
    if (b.i >= hi) {
      limit = mid;  // no legal count in [mid, hi): look below mid
    } else if (b.tps >= target) {
      hi = limit = b.i;
    } else {
      lo = b.i;
    }
  }
  // Throughput over chip counts is jagged (how well a count factors into
  // tp x pp x cp x dp with dp dividing the global batch), so bisection alone
  // can miss a smaller count. Confirm: every smooth count from half the
  // answer up to it is searched, and the smallest that reaches the target wins.
  // Repeated until the answer is stable, so no smooth count in [answer / 2,
  // answer) reaches the target.
  for (bool moved = true; moved;) {
    moved = false;
    const int64_t half = std::lower_bound(ks.begin(), ks.end(), (ks[hi] + 1) / 2) - ks.begin();
    for (int64_t i = half; i < hi; ++i) {
      XPU_ASSIGN_OR_RETURN(const Probe* p, probe(ks[i]));
      if (p->legal && p->best && p->best->tokens_per_s >= target) {
        hi = i;
        moved = true;
        break;
      }
    }
  }
  hi = ks[hi];
  XPU_ASSIGN_OR_RETURN(m.reference, MakeSide(catalog, o, o.reference, o.reference_chips, ref));
  XPU_ASSIGN_OR_RETURN(m.candidate, MakeSide(catalog, o, cs, hi * m.unit, cache.at(hi)));
  const int64_t domain = steps.domain;
  m.whole_systems = (m.candidate.chips + domain - 1) / domain;
  m.whole_system_chips = m.whole_systems * domain;
  m.interpolated_chips = m.candidate.chips * target / m.candidate.best.tokens_per_s;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return m;
}

Result<SystemAggregate> ComputeSystemAggregate(const Catalog& catalog, const System& system, int64_t chips) {
  const Chip& chip = catalog.ChipOf(system);
  SystemAggregate a;
  a.chips = chips > 0 ? chips : system.scaleup_domain_chips;
  a.nodes = std::ceil(static_cast<double>(a.chips) / std::max(1, system.chips_per_node));
  a.bf16_pflops = a.chips * chip.tflops(Precision::kBf16).or_else(0) / 1e3;
  XPU_ASSIGN_OR_RETURN(ChipCostModel cost, ChipCostModel::Create(chip, Catalog::DefaultDataDir() / "calibration"));
  XPU_ASSIGN_OR_RETURN(PowerModel pm, PowerModel::Create(chip, cost.SustainedComputeFactor()));
  // Full load: every chip in compute-bound kernels (at the TDP when it throttles).
  a.it_power_kw = (a.chips * pm.ChipPowerW({1, 0, 0}) + a.nodes * system.node_overhead_power_w.or_else(0)) / 1e3;
  return a;
}

}  // namespace xpusim
