// RequestMetrics: latency distributions and SLO accounting of completed
// requests. Bounded memory: histograms, not per-request records.
#ifndef XPUSIM_INFER_SIM_REQUEST_METRICS_H_
#define XPUSIM_INFER_SIM_REQUEST_METRICS_H_

#include <cstdint>

#include "infer/sim/log_histogram.h"
#include "infer/sim/sim_config.h"
#include "infer/sim/sim_report.h"

namespace xpusim::sim {

class RequestMetrics {
 public:
  explicit RequestMetrics(const SloConfig& slo) : slo_(slo) {}

  // A request that arrived at `arrival_s`, saw its first token at
  // `first_token_s` and its last at `done_s`.
  void Record(double arrival_s, double first_token_s, double done_s, int64_t input_tokens,
              int64_t output_tokens) {
    const double ttft = first_token_s - arrival_s;
    ttft_.Add(ttft);
    e2e_.Add(done_s - arrival_s);
    bool ok = slo_.ttft_s <= 0 || ttft <= slo_.ttft_s;
    if (output_tokens > 1) {
      const double tpot = (done_s - first_token_s) / static_cast<double>(output_tokens - 1);
      tpot_.Add(tpot);
      ok = ok && (slo_.tpot_s <= 0 || tpot <= slo_.tpot_s);
    }
    slo_met_ += ok;
    ++completed_;
    input_tokens_ += input_tokens;
    output_tokens_ += output_tokens;
  }

  // Fills the request-level fields of `r` for a run that ended at `span_s`.
  void Fill(double span_s, SimReport* r) const {
    r->requests_completed = completed_;
    r->ttft = Summary(ttft_);
    r->tpot = Summary(tpot_);
    r->e2e = Summary(e2e_);
    r->slo_met = slo_met_;
    const double inv_span = span_s > 0 ? 1.0 / span_s : 0.0;
    r->output_tokens_per_s = static_cast<double>(output_tokens_) * inv_span;
    r->input_tokens_per_s = static_cast<double>(input_tokens_) * inv_span;
    r->requests_per_s = static_cast<double>(completed_) * inv_span;
    r->goodput_fraction = completed_ ? static_cast<double>(slo_met_) / static_cast<double>(completed_) : 0.0;
    r->goodput_requests_per_s = static_cast<double>(slo_met_) * inv_span;
  }

 private:
  static LatencySummary Summary(const LogHistogram& h) {
    return {h.count(), h.mean(), h.Quantile(0.5), h.Quantile(0.9), h.Quantile(0.99), h.max()};
  }
  SloConfig slo_;
  LogHistogram ttft_, tpot_, e2e_;
  int64_t completed_ = 0, slo_met_ = 0, input_tokens_ = 0, output_tokens_ = 0;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_REQUEST_METRICS_H_
