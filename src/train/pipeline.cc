#include "train/pipeline.h"

#include <algorithm>

namespace xpusim {

double PipelineBubbleS(PipelineSchedule s, int p, int v, int64_t m, const StageTimes& t) {
  if (p <= 1) return 0;
  const double fb = t.forward_s + t.backward_s;
  switch (s) {
    case PipelineSchedule::k1F1B: return (p - 1) * fb;
    case PipelineSchedule::kInterleaved: return (p - 1) * fb / std::max(1, v);
    case PipelineSchedule::kZeroBubble:
      return (p - 1) * std::max(0.0, fb - 2 * t.weight_grad_s);
    case PipelineSchedule::kDualPipe:
      // F&B (the overlapped pair, = tf + tb) + B - 3W.
      return std::max(0.0, (p / 2.0 - 1)) * std::max(0.0, fb + t.backward_s - 3 * t.weight_grad_s);
  }
  return 0;
}

double PipelineBubbleFraction(PipelineSchedule s, int p, int v, int64_t m, const StageTimes& t) {
  const double bubble = PipelineBubbleS(s, p, v, m, t);
  const double busy = m * (t.forward_s + t.backward_s);
  return bubble / (bubble + busy);
}

double InFlightMicroBatches(PipelineSchedule s, int p, int v, int64_t m) {
  const double pm = static_cast<double>(std::min<int64_t>(p, m));
  switch (s) {
    case PipelineSchedule::k1F1B:
    case PipelineSchedule::kZeroBubble:
      return pm;
    case PipelineSchedule::kInterleaved:
      // Korthikanti et al. 2022, Sec. 4.2.3: the first stage holds
      // p (1 + (p-1)/(p v)) micro-batches' worth of its layers.
      return v > 1 ? pm * (1.0 + (p - 1.0) / (static_cast<double>(p) * v)) : pm;
    case PipelineSchedule::kDualPipe:
      return std::min<double>(p + 1, static_cast<double>(m));  // DeepSeek-V3 Table 2: PP+1
  }
  return pm;
}

int WeightCopies(PipelineSchedule s) { return s == PipelineSchedule::kDualPipe ? 2 : 1; }

}  // namespace xpusim
