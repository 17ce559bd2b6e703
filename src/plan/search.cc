// Parallel-plan search: enumeration, pruning and the parallel driver.
// The contract and the pruning rules are in search.h.
#include "plan/search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/suggest.h"
#include "train/memory.h"

namespace xpusim {

const char* SearchObjectiveName(SearchObjective o) {
  switch (o) {
    case SearchObjective::kTime: return "time";
    case SearchObjective::kEnergy: return "energy";
    case SearchObjective::kCost: return "cost";
  }
  return "?";
}

Result<SearchObjective> ParseSearchObjective(std::string_view s) {
  const std::string l = ToLower(s);
  if (l == "time") return SearchObjective::kTime;
  if (l == "energy") return SearchObjective::kEnergy;
  if (l == "cost") return SearchObjective::kCost;
  return Status::Invalid(fmt::format("unknown --objective '{}'; expected time, energy or cost{}", s,
                                     DidYouMean(s, {"time", "energy", "cost"})));
}

namespace {

auto PlanKey(const ParallelPlan& p) {
  return std::array<int, 11>{p.tp, p.pp, p.dp, p.ep, p.cp, p.vpp, p.sp && p.tp > 1 ? 1 : 0, p.zero,
                             static_cast<int>(p.recompute), p.micro_batch, static_cast<int>(p.schedule)};
}

}  // namespace

bool PlanLess(const ParallelPlan& a, const ParallelPlan& b) { return PlanKey(a) < PlanKey(b); }

double ObjectiveValue(const TrainEvaluator& ev, const TrainResult& r, SearchObjective o, double cost_tokens) {
  switch (o) {
    case SearchObjective::kTime: return r.step_time_s;
    case SearchObjective::kEnergy: return r.energy_per_token_j;
    case SearchObjective::kCost: return ev.Totals(r, cost_tokens).cost_usd / cost_tokens;
  }
  return r.step_time_s;
}

std::vector<TermDelta> CompareStepTimes(const TrainResult& best, const TrainResult& other) {
  const TimeBreakdownS& a = best.time;
  const TimeBreakdownS& b = other.time;
  std::vector<TermDelta> d = {
      {"compute (incl. recompute)", a.compute, b.compute}, {"TP comm", a.tp_comm, b.tp_comm},
      {"CP comm", a.cp_comm, b.cp_comm},                   {"EP all-to-all", a.ep_comm, b.ep_comm},
      {"PP bubble", a.pp_bubble, b.pp_bubble},             {"PP send/recv", a.pp_comm, b.pp_comm},
      {"DP grad sync", a.dp_comm, b.dp_comm},              {"optimizer", a.optimizer, b.optimizer},
      {"other", a.other, b.other}};
  std::stable_sort(d.begin(), d.end(), [](const TermDelta& x, const TermDelta& y) { return x.delta_s() > y.delta_s(); });
  return d;
}

namespace {

using Clock = std::chrono::steady_clock;

bool Better(const RankedPlan& a, const RankedPlan& b) {
  if (a.objective != b.objective) return a.objective < b.objective;
  return PlanLess(a.result.plan, b.result.plan);
}

// The outer unit of parallel work.
struct Tuple {
  int tp, pp, dp, cp, ep;
};

struct Local {
  std::vector<RankedPlan> heap;  // max-heap by Better: the worst kept plan on top
  SearchCounts counts;
  std::optional<TrainResult> least_memory;
  std::optional<RankedPlan> best_oom;
};

std::vector<int64_t> Divisors(int64_t n) {
  std::vector<int64_t> d;
  for (int64_t i = 1; i * i <= n; ++i) {
    if (n % i == 0) {
      d.push_back(i);
      if (i != n / i) d.push_back(n / i);
    }
  }
  std::sort(d.begin(), d.end());
  return d;
}

class Searcher {
 public:
  Searcher(const TrainEvaluator& ev, const SearchOptions& o) : ev_(ev), o_(o), m_(ev.model()) {
    usable_gb_ = o.max_memory_frac * ev.chip().MemoryCapacityGB();
  }

  double usable_gb() const { return usable_gb_; }

  std::vector<Tuple> OuterTuples() const {
    const int64_t chips = ev_.chips();
    const FixedPlanFields& f = o_.fixed;
    const int tp_max = f.tp ? *f.tp : (o_.max_tp > 0 ? o_.max_tp : std::max(1, ev_.system().scaleup_domain_chips));
    std::vector<Tuple> out;
    for (int64_t tp : Divisors(chips)) {
      if (tp > tp_max || (f.tp && tp != *f.tp)) continue;
      for (int64_t pp : Divisors(chips / tp)) {
        if (f.pp && pp != *f.pp) continue;
        if (pp > m_.layers) break;
        for (int64_t cp : Divisors(chips / tp / pp)) {
          if (f.cp && cp != *f.cp) continue;
          const int64_t dp = chips / tp / pp / cp;
          if (f.dp && dp != *f.dp) continue;
          for (int64_t ep : EpChoices(dp * cp)) {
            if (f.ep && ep != *f.ep) continue;
            Tuple t{static_cast<int>(tp), static_cast<int>(pp), static_cast<int>(dp), static_cast<int>(cp),
                    static_cast<int>(ep)};
            // The tuple-level rules (heads, widths, cp | seq, ep, dp | batch).
            ParallelPlan probe;
            probe.tp = t.tp, probe.pp = t.pp, probe.dp = t.dp, probe.cp = t.cp, probe.ep = t.ep;
            probe.zero = 0;
            probe.micro_batch = 1;
            probe.schedule = PipelineSchedule::k1F1B;
            if (!ev_.CheckPlan(probe).ok()) continue;
            out.push_back(t);
          }
        }
      }
    }
    return out;
  }

  void Run(const Tuple& t, Local& L) const {
    const FixedPlanFields& f = o_.fixed;
    const int64_t gbs = ev_.workload().global_batch;
    ParallelPlan p;
    p.tp = t.tp, p.pp = t.pp, p.dp = t.dp, p.cp = t.cp, p.ep = t.ep;

    std::vector<int> zeros;
    for (int z = 0; z <= 3; ++z) {
      if (f.zero && z != *f.zero) continue;
      if (z == 3 && t.pp > 1) continue;
      zeros.push_back(z);
    }
    std::vector<std::pair<PipelineSchedule, int>> scheds = Schedules(t.pp);
    std::vector<bool> sps;
    if (f.sp) sps.push_back(*f.sp);
    else if (t.tp > 1) sps = {true, false};
    else sps.push_back(false);
    std::vector<Recompute> recomputes;
    if (f.recompute) recomputes.push_back(*f.recompute);
    else recomputes = {Recompute::kNone, Recompute::kSelective, Recompute::kFull};
    std::vector<int> mbs;
    const int64_t per_dp = gbs / t.dp;  // dp | gbs (tuple check)
    if (f.micro_batch) {
      if (per_dp % *f.micro_batch == 0) mbs.push_back(*f.micro_batch);
    } else {
      for (int b = 1; b <= o_.max_micro_batch && b <= per_dp; b *= 2)
        if (per_dp % b == 0) mbs.push_back(b);
    }

    for (int z : zeros) {
      p.zero = z;
      const bool static_oom = o_.prune && StaticMemoryLowerBoundGb(t, z) > usable_gb_;
      for (auto [sched, vpp] : scheds) {
        p.schedule = sched;
        p.vpp = vpp;
        for (bool sp : sps) {
          p.sp = sp;
          for (Recompute rc : recomputes) {
            p.recompute = rc;
            bool mb_oom = false;
            for (int mb : mbs) {
              const int64_t m_mb = per_dp / mb;
              if (sched == PipelineSchedule::kInterleaved && m_mb % t.pp != 0) continue;
              p.micro_batch = mb;
              ++L.counts.enumerated;
              if (static_oom || mb_oom) {
                ++L.counts.pruned;
                continue;
              }
              Visit(p, L, &mb_oom);
            }
          }
        }
      }
    }
  }

 private:
  std::vector<int64_t> EpChoices(int64_t dp_cp) const {
    if (!m_.is_moe()) return {1};
    std::vector<int64_t> out;
    for (int64_t e : Divisors(dp_cp))
      if (m_.moe.num_experts % e == 0) out.push_back(e);
    return out;
  }

  std::vector<std::pair<PipelineSchedule, int>> Schedules(int pp) const {
    const FixedPlanFields& f = o_.fixed;
    std::vector<std::pair<PipelineSchedule, int>> all;
    if (pp == 1) {
      all.push_back({f.schedule && *f.schedule != PipelineSchedule::kInterleaved ? *f.schedule
                                                                                 : PipelineSchedule::k1F1B,
                     1});
    } else {
      all.push_back({PipelineSchedule::k1F1B, 1});
      // Every vpp with at least one layer per chunk (uneven splits allowed).
      for (int v = 2; v * pp <= m_.layers; ++v) all.push_back({PipelineSchedule::kInterleaved, v});
      if (o_.extra_schedules || (f.schedule && *f.schedule == PipelineSchedule::kZeroBubble))
        all.push_back({PipelineSchedule::kZeroBubble, 1});
      if ((o_.extra_schedules || (f.schedule && *f.schedule == PipelineSchedule::kDualPipe)) && pp % 2 == 0)
        all.push_back({PipelineSchedule::kDualPipe, 1});
    }
    std::vector<std::pair<PipelineSchedule, int>> out;
    for (auto sv : all) {
      if (f.schedule && sv.first != *f.schedule) continue;
      if (f.vpp && sv.second != *f.vpp) continue;
      out.push_back(sv);
    }
    return out;
  }

  // Rule 1 of search.h: weights + gradients + optimizer of floor(layers/pp)
  // layers of the cheaper kind, plus the runtime reserve and fragmentation.
  double StaticMemoryLowerBoundGb(const Tuple& t, int zero) const {
    const double dp_dense = static_cast<double>(t.dp) * t.cp;
    const double dp_expert = std::max(1.0, dp_dense / t.ep);
    auto bytes = [&](double dense, double expert) {
      auto shard = [&](double bpp, int from) {
        return bpp * (dense / (zero >= from ? dp_dense : 1.0) + expert / (zero >= from ? dp_expert : 1.0));
      };
      const StateBytesPerParam b = StateBytes(ev_.options());  // a bound only with the options' formats
      return shard(b.weights, 3) + shard(b.gradients, 2) + shard(b.optimizer, 1);
    };
    const int moe = m_.is_moe() ? m_.moe_layers() : 0;
    double per_layer = 1e300;
    if (moe < m_.layers) per_layer = std::min(per_layer, bytes(DenseLayerParamsPerChip(m_, t.tp, false), 0));
    if (moe > 0)
      per_layer = std::min(per_layer, bytes(DenseLayerParamsPerChip(m_, t.tp, true),
                                            ExpertLayerParamsPerChip(m_, t.tp, t.ep)));
    const double tensors = (m_.layers / t.pp) * per_layer / 1e9;
    return tensors * (1 + kFragmentationFraction) + kRuntimeReserveGb;
  }

  void Visit(const ParallelPlan& p, Local& L, bool* mb_oom) const {
    Result<TrainResult> r = ev_.Evaluate(p);
    ++L.counts.evaluated;
    if (!r.ok()) {
      ++L.counts.rejected;
      return;
    }
    TrainResult& res = *r;
    if (!L.least_memory || res.memory_per_chip_gb < L.least_memory->memory_per_chip_gb ||
        (res.memory_per_chip_gb == L.least_memory->memory_per_chip_gb && PlanLess(p, L.least_memory->plan)))
      L.least_memory = res;
    RankedPlan rp;
    rp.objective = ObjectiveValue(ev_, res, o_.objective, o_.cost_tokens);
    rp.cost_per_token_usd = ev_.Totals(res, o_.cost_tokens).cost_usd / o_.cost_tokens;
    const bool fits = res.memory_per_chip_gb <= usable_gb_;
    rp.result = std::move(res);
    if (!fits) {
      ++L.counts.oom;
      if (o_.prune) *mb_oom = true;
      if (!L.best_oom || Better(rp, *L.best_oom)) L.best_oom = std::move(rp);
      return;
    }
    auto worse = [](const RankedPlan& a, const RankedPlan& b) { return Better(a, b); };
    if (static_cast<int>(L.heap.size()) < o_.top_k) {
      L.heap.push_back(std::move(rp));
      std::push_heap(L.heap.begin(), L.heap.end(), worse);
    } else if (Better(rp, L.heap.front())) {
      std::pop_heap(L.heap.begin(), L.heap.end(), worse);
      L.heap.back() = std::move(rp);
      std::push_heap(L.heap.begin(), L.heap.end(), worse);
    }
  }

  const TrainEvaluator& ev_;
  const SearchOptions& o_;
  const Model& m_;
  double usable_gb_ = 0;
};

Status CheckOptions(const TrainEvaluator& ev, const SearchOptions& o) {
  if (o.top_k < 1 || o.top_k > 10000) return Status::Invalid(fmt::format("--top must be between 1 and 10000 (got {})", o.top_k));
  if (!(o.max_memory_frac > 0 && o.max_memory_frac <= 1))
    return Status::Invalid(fmt::format("--max-memory-frac must be in (0, 1] (got {})", o.max_memory_frac));
  if (o.max_tp < 0) return Status::Invalid(fmt::format("--max-tp must be >= 1 (got {})", o.max_tp));
  if (o.max_micro_batch < 1) return Status::Invalid("the largest micro-batch must be >= 1");
  if (o.threads < 0) return Status::Invalid("the thread count must be >= 0");
  if (!(o.cost_tokens > 0)) return Status::Invalid("cost_tokens must be > 0");
  if (!(ev.chip().memory_gb.or_else(0) > 0))
    return Status::Invalid(fmt::format("chip '{}' has no off-chip memory capacity in the catalog; the search "
                                       "cannot tell which plans fit",
                                       ev.chip().id));
  // An objective the catalog cannot price would rank plans by a partial figure.
  if ((o.objective == SearchObjective::kEnergy || o.objective == SearchObjective::kCost) && !ev.power_known())
    return Status::Invalid(fmt::format("--objective {}: chip '{}' has no TDP in the catalog, so energy is unknown; "
                                       "use --objective time",
                                       o.objective == SearchObjective::kEnergy ? "energy" : "cost", ev.chip().id));
  if (o.objective == SearchObjective::kCost && !ev.price_known())
    return Status::Invalid(fmt::format("--objective cost: no price for '{}' or '{}' in the catalog, so cost is "
                                       "unknown; use --objective time or energy",
                                       ev.system().id, ev.chip().id));
  return Status::Ok();
}

}  // namespace

Result<SearchResult> SearchPlans(const TrainEvaluator& ev, const SearchOptions& options) {
  XPU_RETURN_IF_ERROR(CheckOptions(ev, options));
  try {
    const auto start = Clock::now();
    Searcher searcher(ev, options);
    const std::vector<Tuple> tuples = searcher.OuterTuples();

    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    tbb::enumerable_thread_specific<Local> locals;
    std::atomic<int64_t> done{0};

    // Progress monitor.
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    std::thread monitor;
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    if (options.progress) {
      monitor = std::thread([&] {
        std::unique_lock<std::mutex> lock(mu);
        while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished; })) {
          options.progress(tuples.empty() ? 1.0 : static_cast<double>(done.load()) / tuples.size(), elapsed());
        }
      });
    }
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, tuples.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
        Local& L = locals.local();
        for (size_t i = r.begin(); i != r.end(); ++i) {
          searcher.Run(tuples[i], L);
          done.fetch_add(1, std::memory_order_relaxed);
        }
      });
    });
    if (monitor.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu);
        finished = true;
      }
      cv.notify_all();
      monitor.join();
    }

    // Deterministic merge: Better is a total order over distinct plans.
    SearchResult out;
    std::vector<RankedPlan> all;
    for (Local& L : locals) {
      out.counts.enumerated += L.counts.enumerated;
      out.counts.pruned += L.counts.pruned;
      out.counts.evaluated += L.counts.evaluated;
      out.counts.oom += L.counts.oom;
      out.counts.rejected += L.counts.rejected;
      for (RankedPlan& rp : L.heap) all.push_back(std::move(rp));
      if (L.least_memory &&
          (!out.least_memory || L.least_memory->memory_per_chip_gb < out.least_memory->memory_per_chip_gb ||
           (L.least_memory->memory_per_chip_gb == out.least_memory->memory_per_chip_gb &&
            PlanLess(L.least_memory->plan, out.least_memory->plan))))
        out.least_memory = L.least_memory;
      if (L.best_oom && (!out.best_oom || Better(*L.best_oom, *out.best_oom))) out.best_oom = L.best_oom;
    }
    std::sort(all.begin(), all.end(), Better);
    if (static_cast<int>(all.size()) > options.top_k) all.resize(options.top_k);
    out.top = std::move(all);
    if (out.top.empty() && options.prune && out.counts.enumerated > 0) {
      // Nothing fits: find the least memory the space needs, from the
      // variants with the least activation memory (memory grows with the
      // micro-batch; full recompute keeps the least).
      SearchOptions lean = options;
      lean.prune = false;
      lean.progress = nullptr;
      lean.fixed.micro_batch = options.fixed.micro_batch.value_or(1);
      if (!options.fixed.recompute) lean.fixed.recompute = Recompute::kFull;
      Searcher again(ev, lean);
      Local L;
      for (const Tuple& t : again.OuterTuples()) again.Run(t, L);
      out.least_memory = L.least_memory;
    }
    out.threads = arena.max_concurrency();
    out.usable_memory_gb = searcher.usable_gb();
    out.seconds = elapsed();
    if (options.progress) options.progress(1.0, out.seconds);
    return out;
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("the plan search failed: {}", e.what()));
  }
}

}  // namespace xpusim
