// Multi-year outlook (DESIGN C8, issue 6 item 5): per ecosystem and year, the
// installed accelerator base from shipments (data/outlook), its dense peak
// compute (EFLOPS) and full-load facility power (GW), the per-chip frontier,
// the best available system's time to train a workload (real training model
// with the parallel-plan search, plan/search.h), and how many years one
// ecosystem is behind another. Definitions: doc/outlook.md.
//
//   installed(y)  = sum of units shipped in (y - lifetime, y]
//   EFLOPS        = sum units x dense peak TFLOPS / 1e6
//   power GW      = sum units x (chip power + node overhead / chips per node) x PUE / 1e9
//   years behind  = y - x*, x* the first year whose frontier of A reaches
//                   B's frontier in y (ComputeYearsBehind)
#ifndef XPUSIM_PLAN_OUTLOOK_H_
#define XPUSIM_PLAN_OUTLOOK_H_

#include <optional>
#include <string>
#include <vector>

#include "plan/outlook_data.h"
#include "plan/search.h"
#include "xpusim/train.h"

namespace xpusim {

struct OutlookOptions {
  int first_year = 2024, last_year = 2030;
  // Workload: train `model` on `tokens` tokens with `chips` chips of each
  // available system; the best system of a year is the fastest. No model id
  // (empty) skips the workload.
  std::optional<Model> model;
  int64_t chips = 8192;
  double tokens = 15e12;
  TrainWorkload workload;
  TrainOptions train;
  SearchOptions search;
};

struct OutlookWorkload {
  std::string system;  // empty: no available system fits the job
  double tokens_per_s = 0;
  double train_days = 0;
  double mfu = 0;
  std::string plan;
};

struct OutlookYear {
  int year = 0;
  bool extrapolated = false;  // shipments of this year come from growth_per_year
  double new_units = 0, installed_units = 0;
  double new_bf16_eflops = 0, installed_bf16_eflops = 0, installed_fp8_eflops = 0;
  double it_power_gw = 0, power_gw = 0;  // installed base at full load; power_gw x PUE
  std::string best_chip;                 // highest dense BF16 peak available
  double best_chip_bf16_tflops = 0, best_chip_fp8_tflops = 0;
  OutlookWorkload workload;
};

// A supply line whose chip comes from another ecosystem (chip.ecosystem not
// in the outlook ecosystem's `home`, by default its id), screened against the newest export rule dated
// by the end of its year (data/rules; a mechanical screen, not legal advice).
struct OutlookImport {
  int year = 0;
  std::string chip_id;
  double units = 0;
  double tpp = 0;
  std::string rule_id, classification;
};

struct OutlookSeries {
  std::string id, name;
  std::vector<OutlookSupply> supply;  // data lines and extrapolated ones
  std::vector<OutlookImport> imports;
  std::vector<OutlookYear> years;     // first_year .. last_year
};

// How far B lags A in one year on one metric.
struct YearsBehind {
  enum class Kind { kExact, kAtLeast, kAheadOfRange, kNoData };
  Kind kind = Kind::kNoData;
  int years = 0;  // kExact: may be < 0 (B ahead); kAtLeast: a lower bound
};
const char* YearsBehindKindName(YearsBehind::Kind k);

// `a` and `b`: a metric (higher is better; NaN = nothing available) by year,
// index 0 = the first year of the timeline, one entry per year. For year
// index i: v = max(b[0..i]); x* = the first index j with
// max(a[0..j]) >= v x (1 - tolerance) ("matched": within 1% by default, so
// 989.4 vs 989.5 TFLOPS datasheet rounding is no year of difference).
// years = i - x*; kAtLeast when j == 0 and a[0] > v x (1 + tolerance) (A may
// have reached v before the timeline); kAheadOfRange when A never reaches
// v; kNoData when v is NaN.
YearsBehind ComputeYearsBehind(const std::vector<double>& a, const std::vector<double>& b, size_t i,
                               double tolerance = 0.01);

struct OutlookGap {
  int year = 0;
  YearsBehind per_chip;  // dense BF16 peak of the best chip
  YearsBehind workload;  // tokens/s of the best system on the workload
};

struct OutlookResult {
  OutlookSeries a, b;
  std::vector<OutlookGap> gaps;  // B behind A, first_year .. last_year
  int timeline_start = 0;        // earliest year looked back to for gaps
  double lifetime_years = 0;
  std::vector<std::string> notes;  // systems skipped for the workload, etc.
  double seconds = 0;
};

Result<OutlookResult> ProjectOutlook(const Catalog& catalog, const OutlookData& data, const std::string& a,
                                     const std::string& b, const OutlookOptions& o);

// Shipments of `eco` for every year up to last_year: the data lines, then
// for each later year the last data year's total x (1 + g)^n, all of the
// newest chip available that year (ties: the higher BF16 peak).
std::vector<OutlookSupply> ExpandSupply(const Catalog& catalog, const OutlookEcosystem& eco, int last_year);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_OUTLOOK_H_
