// Timeline: integrates piecewise-constant cluster state (running sequences,
// KV usage) and counts tokens per time bucket, in bounded memory: when a run
// outlasts max_buckets buckets, neighbouring buckets merge and the bucket
// width doubles.
#ifndef XPUSIM_INFER_SIM_TIMELINE_H_
#define XPUSIM_INFER_SIM_TIMELINE_H_

#include <cstdint>
#include <vector>

#include "infer/sim/sim_report.h"

namespace xpusim::sim {

class Timeline {
 public:
  Timeline(double bucket_s, int max_buckets) : width_(bucket_s), max_buckets_(max_buckets) {}

  // The state held `running` sequences and `kv_usage` (0..1) over [t0, t1).
  void AddSpan(double t0, double t1, double running, double kv_usage);
  // Tokens processed at time t.
  void AddTokens(double t, int64_t output_tokens, int64_t prefill_tokens);
  // Rows up to `end_s`.
  std::vector<TimelineBucket> Rows(double end_s) const;
  double bucket_s() const { return width_; }

 private:
  struct Acc {
    double running_area = 0, kv_area = 0, output_tokens = 0, prefill_tokens = 0;
  };
  Acc& At(double t);  // the bucket holding t, coarsening as needed

  double width_;
  int max_buckets_;
  std::vector<Acc> acc_;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_TIMELINE_H_
