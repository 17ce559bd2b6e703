// Sweep of the plan search over chip counts (strong and weak scaling).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "plan/search.h"

namespace xpusim {
namespace {

constexpr int64_t kMaxSweepChips = 10'000'000;
constexpr size_t kMaxSweepPoints = 64;

Result<int64_t> ParseCount(std::string_view s, std::string_view spec) {
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 1 || v > kMaxSweepChips)
    return Status::Invalid(fmt::format("--chips-sweep '{}': '{}' is not a chip count between 1 and {}", spec, s,
                                       kMaxSweepChips));
  return v;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<int64_t>> ParseChipSweep(std::string_view spec) {
  std::vector<int64_t> out;
  const std::string usage = "use a list (512,1024,2048), a geometric range (512:8192:x2) or an arithmetic one (512:2048:+512)";
  if (spec.find(':') != std::string_view::npos) {
    const auto parts = Split(spec, ':');
    if (parts.size() != 3 || parts[2].size() < 2 || (parts[2][0] != 'x' && parts[2][0] != '+'))
      return Status::Invalid(fmt::format("--chips-sweep '{}' is not a range; {}", spec, usage));
    XPU_ASSIGN_OR_RETURN(int64_t lo, ParseCount(parts[0], spec));
    XPU_ASSIGN_OR_RETURN(int64_t hi, ParseCount(parts[1], spec));
    XPU_ASSIGN_OR_RETURN(int64_t step, ParseCount(parts[2].substr(1), spec));
    if (hi < lo) return Status::Invalid(fmt::format("--chips-sweep '{}': the end is below the start", spec));
    const bool geometric = parts[2][0] == 'x';
    if (geometric && step < 2) return Status::Invalid(fmt::format("--chips-sweep '{}': the factor must be >= 2", spec));
    for (int64_t n = lo; n <= hi; n = geometric ? n * step : n + step) {
      out.push_back(n);
      if (out.size() > kMaxSweepPoints) break;
    }
  } else {
    for (std::string_view s : Split(spec, ',')) {
      XPU_ASSIGN_OR_RETURN(int64_t n, ParseCount(s, spec));
      out.push_back(n);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty() || out.size() > kMaxSweepPoints)
    return Status::Invalid(fmt::format("--chips-sweep '{}' must name 1 to {} chip counts; {}", spec, kMaxSweepPoints, usage));
  return out;
}

Result<std::vector<SweepPoint>> SweepChips(const Catalog& catalog, const TrainEvaluator& base,
                                           const std::vector<int64_t>& chips, bool weak,
                                           const SearchOptions& options) {
  if (chips.empty()) return Status::Invalid("the chip sweep is empty");
  std::vector<SweepPoint> out;
  const int64_t n0 = chips.front();
  for (int64_t n : chips) {
    SweepPoint pt;
    pt.chips = n;
    TrainWorkload w = base.workload();
    if (weak) {
      if ((w.global_batch * n) % n0 != 0)
        return Status::Invalid(fmt::format("weak scaling needs global batch x {} / {} to be whole (global batch {})", n,
                                           n0, w.global_batch));
      w.global_batch = w.global_batch * n / n0;
    }
    pt.global_batch = w.global_batch;
    XPU_ASSIGN_OR_RETURN(TrainEvaluator ev,
                         TrainEvaluator::Create(catalog, base.model(), base.system(), n, w, base.options()));
    XPU_ASSIGN_OR_RETURN(pt.search, SearchPlans(ev, options));
    out.push_back(std::move(pt));
  }
  const SweepPoint& first = out.front();
  for (SweepPoint& pt : out) {
    if (pt.search.top.empty() || first.search.top.empty()) continue;
    const double per_chip = pt.search.top[0].result.tokens_per_s / pt.chips;
    const double per_chip0 = first.search.top[0].result.tokens_per_s / first.chips;
    pt.scaling_efficiency = per_chip / per_chip0;
  }
  return out;
}

}  // namespace xpusim
