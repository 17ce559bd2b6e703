#include "infer/sim/log_histogram.h"

#include <algorithm>
#include <cmath>

namespace xpusim::sim {

namespace {
constexpr double kMinValue = 1e-6;  // seconds
constexpr double kGrowth = 1.01;
const double kInvLogGrowth = 1.0 / std::log(kGrowth);
constexpr int kBuckets = 2800;  // 1e-6 * 1.01^2800 ~ 1.3e6 s
}  // namespace

LogHistogram::LogHistogram() : buckets_(kBuckets, 0) {}

void LogHistogram::Add(double v) {
  int idx = 0;
  if (v > kMinValue) idx = std::min(kBuckets - 1, static_cast<int>(std::log(v / kMinValue) * kInvLogGrowth));
  ++buckets_[idx];
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  ++count_;
  sum_ += v;
}

void LogHistogram::Merge(const LogHistogram& o) {
  if (o.count_ == 0) return;
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += o.buckets_[i];
  min_ = count_ ? std::min(min_, o.min_) : o.min_;
  max_ = count_ ? std::max(max_, o.max_) : o.max_;
  count_ += o.count_;
  sum_ += o.sum_;
}

double LogHistogram::Quantile(double q) const {
  if (count_ == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank-th smallest value (1-based, nearest-rank definition).
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * static_cast<double>(count_))));
  if (rank >= count_) return max_;
  if (rank == 1) return min_;
  int64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      if (i == 0) return min_;            // below the range
      if (i == kBuckets - 1) return max_;  // above the range
      const double mid = kMinValue * std::pow(kGrowth, i + 0.5);
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace xpusim::sim
