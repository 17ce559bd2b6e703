// The formulas that turn a predicted TrainResult into the number a paper or a
// training log reported, so that predicted and measured are counted the same
// way. Each is written out in doc/validation.md with its source.
#ifndef XPUSIM_PLAN_VALIDATION_METRICS_H_
#define XPUSIM_PLAN_VALIDATION_METRICS_H_

#include <cstdint>

#include "plan/validation.h"

namespace xpusim {

// Narayanan et al. 2021 (SC21), Eq. 3: FLOPs of one training step of a GPT
// with full activation recomputation (backward 2x forward plus one recompute
// forward), attention without a causal discount:
//   F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h))
// B: sequences per step, s: sequence length, l: layers, h: hidden, V: vocabulary.
double MegatronEq3Flops(double B, double s, double l, double h, double V);

// What bigscience Megatron-DeepSpeed prints as "TFLOPs" (megatron/training.py
// training_log; the BLOOM tr11 logs):
//   F = c * f * B s l h^2 (1 + s/(6h) + V/(16 l h))
// c = 32 with --glu-activation (GLU doubles the first MLP GEMM), else 24;
// f = 4 with --checkpoint-activations, else 3; V = padded vocabulary.
double BloomFlops(double B, double s, double l, double h, double V, bool glu, bool checkpoint);

// What GPT-NeoX prints (megatron/logging.py get_flops):
//   F = 24 * f * B s l h^2 (1 + s/(6h)) + V/(16 l h)
// The vocabulary term is added outside the product there (a slip in that
// code), so it contributes nothing measurable; we count it the same way.
double NeoxFlops(double B, double s, double l, double h, double V, bool checkpoint);

// tokens_per_s_per_chip: global_batch x seq_len tokens per step / step time /
// chips. Counts every input token of the step once, whatever the model does
// with it (no FLOP formula, so MoE and MTP need no convention).
double TrainTokensPerSPerChip(const TrainCase& c, double step_time_s);

// FLOPs one step counts under the case's metric, from the model and workload
// the case names. REQUIRES: metric is one of the TFLOP/s metrics.
double CaseStepFlops(const TrainCase& c, const Model& m);

// The case's metric computed from a prediction:
//   TFLOP/s metrics: CaseStepFlops / step_time_s / chips / 1e12
//   tokens_per_s_per_chip: TrainTokensPerSPerChip
//   layer_forward_plus_backward_ms: (layer_forward_s + layer_backward_s) * 1e3
Result<double> MetricFromTrainResult(const TrainCase& c, const Model& m, const TrainResult& r);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_VALIDATION_METRICS_H_
