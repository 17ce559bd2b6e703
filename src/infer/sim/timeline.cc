#include "infer/sim/timeline.h"

#include <algorithm>
#include <cmath>

namespace xpusim::sim {

Timeline::Acc& Timeline::At(double t) {
  size_t idx = static_cast<size_t>(std::max(0.0, t) / width_);
  while (idx >= static_cast<size_t>(max_buckets_)) {
    std::vector<Acc> merged((acc_.size() + 1) / 2);
    for (size_t i = 0; i < acc_.size(); ++i) {
      Acc& m = merged[i / 2];
      m.running_area += acc_[i].running_area;
      m.kv_area += acc_[i].kv_area;
      m.output_tokens += acc_[i].output_tokens;
      m.prefill_tokens += acc_[i].prefill_tokens;
    }
    acc_.swap(merged);
    width_ *= 2;
    idx = static_cast<size_t>(std::max(0.0, t) / width_);
  }
  if (idx >= acc_.size()) acc_.resize(idx + 1);
  return acc_[idx];
}

void Timeline::AddSpan(double t0, double t1, double running, double kv_usage) {
  while (t1 > t0) {
    Acc& a = At(t0);  // may coarsen; recompute the bucket end afterwards
    const double bucket_end = (std::floor(t0 / width_) + 1) * width_;
    const double end = std::min(t1, bucket_end);
    a.running_area += running * (end - t0);
    a.kv_area += kv_usage * (end - t0);
    if (end <= t0) break;  // guards against rounding at bucket edges
    t0 = end;
  }
}

void Timeline::AddTokens(double t, int64_t output_tokens, int64_t prefill_tokens) {
  Acc& a = At(t);
  a.output_tokens += static_cast<double>(output_tokens);
  a.prefill_tokens += static_cast<double>(prefill_tokens);
}

std::vector<TimelineBucket> Timeline::Rows(double end_s) const {
  std::vector<TimelineBucket> rows;
  rows.reserve(acc_.size());
  for (size_t i = 0; i < acc_.size(); ++i) {
    const double start = static_cast<double>(i) * width_;
    const double len = std::max(1e-12, std::min(width_, end_s - start));
    if (end_s <= start) break;
    const Acc& a = acc_[i];
    rows.push_back({start, a.running_area / len, a.kv_area / len, a.output_tokens / len, a.prefill_tokens / len});
  }
  return rows;
}

}  // namespace xpusim::sim
