#include "plan/validation_metrics.h"

#include <cmath>
#include <string>

namespace xpusim {

double MegatronEq3Flops(double B, double s, double l, double h, double V) {
  return 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
}

double BloomFlops(double B, double s, double l, double h, double V, bool glu, bool checkpoint) {
  const double coefficient = glu ? 32.0 : 24.0;
  const double factor = checkpoint ? 4.0 : 3.0;
  return coefficient * factor * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
}

double NeoxFlops(double B, double s, double l, double h, double V, bool checkpoint) {
  const double factor = checkpoint ? 4.0 : 3.0;
  return 24.0 * factor * B * s * l * h * h * (1.0 + s / (6.0 * h)) + V / (16.0 * l * h);
}

double TrainTokensPerSPerChip(const TrainCase& c, double step_time_s) {
  return static_cast<double>(c.workload.global_batch) * static_cast<double>(c.workload.seq_len) / step_time_s /
         static_cast<double>(c.chips);
}

double CaseStepFlops(const TrainCase& c, const Model& m) {
  const double B = static_cast<double>(c.workload.global_batch);
  const double s = static_cast<double>(c.workload.seq_len);
  const double l = m.layers;
  const double h = static_cast<double>(m.hidden);
  const double V = static_cast<double>(c.flops_vocab ? *c.flops_vocab : m.vocab);
  // The frameworks' --checkpoint-activations flag is full recomputation.
  const bool checkpoint = c.plan.recompute == Recompute::kFull;
  switch (c.metric) {
    case ValidationMetric::kTflopsEq3:
      return MegatronEq3Flops(B, s, l, h, V);
    case ValidationMetric::kTflopsBloom:
      return BloomFlops(B, s, l, h, V, m.activation == Activation::kSwiGlu, checkpoint);
    case ValidationMetric::kTflopsNeox:
      return NeoxFlops(B, s, l, h, V, checkpoint);
    default:
      return std::nan("");
  }
}

Result<double> MetricFromTrainResult(const TrainCase& c, const Model& m, const TrainResult& r) {
  switch (c.metric) {
    case ValidationMetric::kTflopsEq3:
    case ValidationMetric::kTflopsBloom:
    case ValidationMetric::kTflopsNeox: {
      if (!(r.step_time_s > 0) || !std::isfinite(r.step_time_s)) {
        return Status::Internal("case '" + c.id + "': predicted step time is " +
                                std::to_string(r.step_time_s) + " s");
      }
      return CaseStepFlops(c, m) / r.step_time_s / static_cast<double>(c.chips) / 1e12;
    }
    case ValidationMetric::kTrainTokensPerSPerChip: {
      if (!(r.step_time_s > 0) || !std::isfinite(r.step_time_s)) {
        return Status::Internal("case '" + c.id + "': predicted step time is " +
                                std::to_string(r.step_time_s) + " s");
      }
      return TrainTokensPerSPerChip(c, r.step_time_s);
    }
    case ValidationMetric::kLayerFwdBwdMs: {
      const double ms = (r.layer_forward_s + r.layer_backward_s) * 1e3;
      if (!(ms > 0) || !std::isfinite(ms)) {
        return Status::Internal("case '" + c.id + "': predicted layer time is " +
                                std::to_string(ms) + " ms (TrainResult.layer_forward_s/backward_s unset?)");
      }
      return ms;
    }
    default:
      return Status::Internal(std::string("metric '") + ValidationMetricName(c.metric) +
                              "' is not a training metric");
  }
}

}  // namespace xpusim
