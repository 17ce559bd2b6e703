#include "plan/outlook.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "report/train_report.h"

namespace xpusim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Bf16(const Chip& c) { return c.tflops(Precision::kBf16).or_else(0); }

// The newest chip available to `eco` in `year` (systems and roadmap; ties:
// the higher BF16 peak), and its system ("" for roadmap chips). nullptr:
// nothing yet.
const OutlookAvailable* NewestAt(const Catalog& cat, const OutlookEcosystem& eco, int year) {
  const OutlookAvailable* best = nullptr;
  for (const auto* list : {&eco.systems, &eco.roadmap})
    for (const OutlookAvailable& a : *list) {
      if (a.year > year) continue;
      if (!best || a.year > best->year ||
          (a.year == best->year && Bf16(**cat.FindChip(a.chip_id)) > Bf16(**cat.FindChip(best->chip_id))))
        best = &a;
    }
  return best;
}

// Highest dense BF16 peak among chips available in `year`; nullptr: none.
const Chip* BestChipAt(const Catalog& cat, const OutlookEcosystem& eco, int year) {
  const Chip* best = nullptr;
  for (const auto* list : {&eco.systems, &eco.roadmap})
    for (const OutlookAvailable& a : *list) {
      if (a.year > year) continue;
      const Chip* c = *cat.FindChip(a.chip_id);
      if (!best || Bf16(*c) > Bf16(*best)) best = c;
    }
  return best;
}

double ChipPowerW(const Chip& c, const OutlookData& d) {
  if (c.tdp_w.known()) return c.tdp_w.value;
  return d.chip_power_w.at(c.id).value;  // the loader checked one exists
}

// Best plan of the workload on o.chips of each system, by system id.
using WorkloadCache = std::map<std::string, OutlookWorkload>;

Status FillWorkloads(const Catalog& cat, const OutlookEcosystem& eco, const OutlookOptions& o, WorkloadCache* cache,
                     std::vector<std::string>* notes) {
  for (const OutlookAvailable& a : eco.systems) {
    if (cache->count(a.system_id)) continue;
    OutlookWorkload w;
    const System& sys = **cat.FindSystem(a.system_id);
    Result<TrainEvaluator> ev = TrainEvaluator::Create(cat, *o.model, sys, o.chips, o.workload, o.train);
    if (!ev.ok()) {
      notes->push_back(fmt::format("{}: skipped for the workload ({})", a.system_id, ev.status().message()));
      (*cache)[a.system_id] = w;
      continue;
    }
    SearchOptions so = o.search;
    so.objective = SearchObjective::kTime;
    so.top_k = 1;
    so.progress = nullptr;
    so.cost_tokens = o.tokens;
    XPU_ASSIGN_OR_RETURN(SearchResult r, SearchPlans(*ev, so));
    if (r.top.empty()) {
      notes->push_back(fmt::format("{}: no plan of {} fits on {} chips", a.system_id, o.model->id, o.chips));
    } else {
      const TrainResult& t = r.top[0].result;
      w.system = a.system_id;
      w.tokens_per_s = t.tokens_per_s;
      w.train_days = ev->Totals(t, o.tokens).train_days;
      w.mfu = t.mfu;
      w.plan = report::PlanToString(t.plan);
    }
    (*cache)[a.system_id] = w;
  }
  return Status::Ok();
}

// Fastest available system on the workload in `year` (empty system: none).
OutlookWorkload BestWorkloadAt(const OutlookEcosystem& eco, int year, const WorkloadCache& cache) {
  OutlookWorkload best;
  for (const OutlookAvailable& a : eco.systems) {
    if (a.year > year) continue;
    auto it = cache.find(a.system_id);
    if (it != cache.end() && !it->second.system.empty() && it->second.tokens_per_s > best.tokens_per_s)
      best = it->second;
  }
  return best;
}

OutlookSeries Project(const Catalog& cat, const OutlookData& d, const OutlookEcosystem& eco, const OutlookOptions& o,
                      const WorkloadCache& cache) {
  OutlookSeries s;
  s.id = eco.id;
  s.name = eco.name;
  s.supply = ExpandSupply(cat, eco, o.last_year);
  for (const OutlookSupply& l : s.supply) {
    const Chip& c = **cat.FindChip(l.chip_id);
    if (c.ecosystem.empty() || std::find(eco.home.begin(), eco.home.end(), c.ecosystem) != eco.home.end()) continue;
    OutlookImport im{l.year, c.id, l.units.value, 0, "", ""};
    // The newest rule in force by the end of the line's year.
    const std::string year_end = fmt::format("{}-12-31", l.year);
    std::string best_date;
    for (const ExportRule& r : cat.rules().rules)
      if (r.date <= year_end && r.date >= best_date) {
        best_date = r.date;
        im.rule_id = r.id;
      }
    if (!im.rule_id.empty()) {
      const ExportScreen e = ScreenChip(c, cat.rules(), im.rule_id);
      im.tpp = e.tpp;
      im.classification = e.classification;
    } else {
      im.classification = "no rule in force";
    }
    s.imports.push_back(im);
  }
  const double life = d.lifetime_years.value;
  for (int y = o.first_year; y <= o.last_year; ++y) {
    OutlookYear r;
    r.year = y;
    for (const OutlookSupply& l : s.supply) {
      if (l.year > y || l.year <= y - life) continue;
      const Chip& c = **cat.FindChip(l.chip_id);
      const double u = l.units.value;
      double overhead_w = 0, pue = d.default_pue.value;
      if (!l.system_id.empty()) {
        const System& sys = **cat.FindSystem(l.system_id);
        overhead_w = sys.node_overhead_power_w.or_else(0) / std::max(1, sys.chips_per_node);
        pue = sys.pue.or_else(pue);
      }
      if (o.train.pue > 0) pue = o.train.pue;
      const double it_w = u * (ChipPowerW(c, d) + overhead_w);
      r.installed_units += u;
      r.installed_bf16_eflops += u * Bf16(c) / 1e6;
      r.installed_fp8_eflops += u * c.EffectivePeakTflops(Precision::kFp8) / 1e6;
      r.it_power_gw += it_w / 1e9;
      r.power_gw += it_w * pue / 1e9;
      if (l.year == y) {
        r.new_units += u;
        r.new_bf16_eflops += u * Bf16(c) / 1e6;
        r.extrapolated = r.extrapolated || l.extrapolated;
      }
    }
    if (const Chip* c = BestChipAt(cat, eco, y)) {
      r.best_chip = c->id;
      r.best_chip_bf16_tflops = Bf16(*c);
      r.best_chip_fp8_tflops = c->EffectivePeakTflops(Precision::kFp8);
    }
    if (o.model) r.workload = BestWorkloadAt(eco, y, cache);
    s.years.push_back(std::move(r));
  }
  return s;
}

int FirstYear(const OutlookEcosystem& e) {
  int y = std::numeric_limits<int>::max();
  for (const auto* list : {&e.systems, &e.roadmap})
    for (const OutlookAvailable& a : *list) y = std::min(y, a.year);
  return y;
}

}  // namespace

const char* YearsBehindKindName(YearsBehind::Kind k) {
  switch (k) {
    case YearsBehind::Kind::kExact: return "exact";
    case YearsBehind::Kind::kAtLeast: return "at_least";
    case YearsBehind::Kind::kAheadOfRange: return "ahead_of_range";
    case YearsBehind::Kind::kNoData: return "no_data";
  }
  return "?";
}

YearsBehind ComputeYearsBehind(const std::vector<double>& a, const std::vector<double>& b, size_t i, double tolerance) {
  YearsBehind g;
  double v = kNaN;
  for (size_t k = 0; k <= i && k < b.size(); ++k)
    if (!std::isnan(b[k]) && (std::isnan(v) || b[k] > v)) v = b[k];
  if (std::isnan(v)) return g;  // kNoData
  double frontier = kNaN;
  for (size_t j = 0; j < a.size(); ++j) {
    if (!std::isnan(a[j]) && (std::isnan(frontier) || a[j] > frontier)) frontier = a[j];
    if (!std::isnan(frontier) && frontier >= v * (1 - tolerance)) {
      g.years = static_cast<int>(i) - static_cast<int>(j);
      g.kind = j == 0 && frontier > v * (1 + tolerance) ? YearsBehind::Kind::kAtLeast : YearsBehind::Kind::kExact;
      return g;
    }
  }
  g.kind = YearsBehind::Kind::kAheadOfRange;
  return g;
}

std::vector<OutlookSupply> ExpandSupply(const Catalog& cat, const OutlookEcosystem& eco, int last_year) {
  std::vector<OutlookSupply> out = eco.supply;
  std::sort(out.begin(), out.end(), [](const OutlookSupply& x, const OutlookSupply& y) { return x.year < y.year; });
  const int last = out.back().year;
  double total = 0;
  for (const OutlookSupply& l : out)
    if (l.year == last) total += l.units.value;
  for (int y = last + 1; y <= last_year; ++y) {
    const OutlookAvailable* a = NewestAt(cat, eco, y);
    if (!a) continue;
    OutlookSupply l;
    l.year = y;
    l.chip_id = a->chip_id;
    l.system_id = a->system_id;
    l.units.value = total * std::pow(1 + eco.growth_per_year.value, y - last);
    l.units.source = eco.growth_per_year.source;
    l.units.confidence = Confidence::kEstimate;
    l.extrapolated = true;
    out.push_back(l);
  }
  return out;
}

Result<OutlookResult> ProjectOutlook(const Catalog& cat, const OutlookData& d, const std::string& a_id,
                                     const std::string& b_id, const OutlookOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.first_year > o.last_year || o.first_year < 2000 || o.last_year > 2100)
    return Status::Invalid(fmt::format("years {}..{}: need 2000 <= first <= last <= 2100", o.first_year, o.last_year));
  auto find = [&](const std::string& id) -> Result<const OutlookEcosystem*> {
    if (const OutlookEcosystem* e = d.Find(id)) return e;
    std::string known;
    for (const OutlookEcosystem& e : d.ecosystems) known += (known.empty() ? "" : ", ") + e.id;
    return Status::NotFound(fmt::format("ecosystem '{}' is not in {} (known: {})", id, d.file, known));
  };
  XPU_ASSIGN_OR_RETURN(const OutlookEcosystem* a, find(a_id));
  XPU_ASSIGN_OR_RETURN(const OutlookEcosystem* b, find(b_id));
  if (o.model && o.chips < 1) return Status::Invalid("--chips must be >= 1");
  OutlookResult res;
  res.lifetime_years = d.lifetime_years.value;
  WorkloadCache cache;
  if (o.model) {
    XPU_RETURN_IF_ERROR(FillWorkloads(cat, *a, o, &cache, &res.notes));
    XPU_RETURN_IF_ERROR(FillWorkloads(cat, *b, o, &cache, &res.notes));
  }
  res.a = Project(cat, d, *a, o, cache);
  res.b = Project(cat, d, *b, o, cache);
  // Gaps look back to the first year either ecosystem had anything.
  res.timeline_start = std::min({o.first_year, FirstYear(*a), FirstYear(*b)});
  std::vector<double> chip_a, chip_b, work_a, work_b;
  for (int y = res.timeline_start; y <= o.last_year; ++y) {
    const Chip* ca = BestChipAt(cat, *a, y);
    const Chip* cb = BestChipAt(cat, *b, y);
    chip_a.push_back(ca ? Bf16(*ca) : kNaN);
    chip_b.push_back(cb ? Bf16(*cb) : kNaN);
    const OutlookWorkload wa = BestWorkloadAt(*a, y, cache), wb = BestWorkloadAt(*b, y, cache);
    work_a.push_back(wa.system.empty() ? kNaN : wa.tokens_per_s);
    work_b.push_back(wb.system.empty() ? kNaN : wb.tokens_per_s);
  }
  // A frontier that stops moving before the horizon is a gap in the data
  // (no roadmap entries), not a forecast: say so, since every later gap
  // assumes that ecosystem stands still.
  for (const OutlookEcosystem* e : {a, b}) {
    const Chip* last = BestChipAt(cat, *e, o.last_year);
    if (last == nullptr) continue;
    int since = o.last_year;
    while (since > res.timeline_start && BestChipAt(cat, *e, since - 1) == last) --since;
    if (since < o.last_year && since >= o.first_year)
      res.notes.push_back(fmt::format(
          "{}'s best chip stays {} from {} to {}: data/outlook has no newer {} chip (roadmap), so the gaps after {} "
          "assume {} stands still",
          e->id, last->id, since, o.last_year, e->id, since, e->id));
  }
  for (int y = o.first_year; y <= o.last_year; ++y) {
    const size_t i = static_cast<size_t>(y - res.timeline_start);
    OutlookGap g;
    g.year = y;
    g.per_chip = ComputeYearsBehind(chip_a, chip_b, i);
    if (o.model) g.workload = ComputeYearsBehind(work_a, work_b, i);
    res.gaps.push_back(g);
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace xpusim
