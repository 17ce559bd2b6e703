// LogHistogram: a bounded-memory streaming quantile estimator for latencies.
//
// Values are counted in log-spaced buckets, each 1% wider than the last, from
// 1 us to ~1e6 s (2,800 buckets, 22 KB); quantiles come back as the bucket's
// geometric midpoint, so their relative error is below 0.5%. Values below
// the range land in the first bucket, above it in the last. Count, mean, min
// and max are exact. Two histograms can be merged (same layout).
#ifndef XPUSIM_INFER_SIM_LOG_HISTOGRAM_H_
#define XPUSIM_INFER_SIM_LOG_HISTOGRAM_H_

#include <cstdint>
#include <vector>

namespace xpusim::sim {

class LogHistogram {
 public:
  LogHistogram();
  void Add(double v);
  void Merge(const LogHistogram& other);

  int64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  // q in [0, 1]; 0 when empty. Quantile(0) is the min, Quantile(1) the max.
  double Quantile(double q) const;

 private:
  std::vector<int64_t> buckets_;
  int64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_LOG_HISTOGRAM_H_
