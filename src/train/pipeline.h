// Pipeline schedules: bubble time and in-flight micro-batches.
//
// Notation: p stages, m micro-batches, v virtual stages per rank, tf / tb
// forward / backward time of one micro-batch on one stage (all its layers),
// tw the weight-gradient part of tb.
//   1F1B (PipeDream-flush):  bubble = (p-1)(tf+tb); fraction (p-1)/(m+p-1)
//   interleaved (Megatron):  bubble = (p-1)(tf+tb)/v; fraction (p-1)/(m v + p-1)
//   zero bubble (ZB-H1, Qi et al. 2023): bubble = (p-1)(tf+tb-2tw), lower bound 0
//     (the paper's (p-1)(TF+TB-TW) with TB the input-gradient part only, tb = TB + TW;
//     DeepSeek-V3 Table 2 writes ZB1P as (PP-1)(F+B-2W) with B the full backward)
//   DualPipe (DeepSeek-V3 Table 2): bubble = (p/2-1)(F&B+B-3W) = (p/2-1)(tf+2tb-3tw),
//     F&B being the overlapped forward+backward pair (tf+tb, communication hidden); weights x2
#ifndef XPUSIM_TRAIN_PIPELINE_H_
#define XPUSIM_TRAIN_PIPELINE_H_

#include <cstdint>

#include "xpusim/train.h"

namespace xpusim {

struct StageTimes {
  double forward_s = 0;       // one micro-batch, whole stage
  double backward_s = 0;      // incl. recompute
  double weight_grad_s = 0;   // part of backward_s that computes weight gradients
};

double PipelineBubbleS(PipelineSchedule s, int p, int v, int64_t m, const StageTimes& t);
// Bubble as a fraction of the whole pipelined time (for reports and tests).
double PipelineBubbleFraction(PipelineSchedule s, int p, int v, int64_t m, const StageTimes& t);
// Micro-batches whose activations the busiest (first) stage holds at once,
// in units of "one micro-batch through all the stage's layers".
double InFlightMicroBatches(PipelineSchedule s, int p, int v, int64_t m);
// Copies of the stage weights a rank holds (DualPipe keeps two).
int WeightCopies(PipelineSchedule s);

}  // namespace xpusim

#endif  // XPUSIM_TRAIN_PIPELINE_H_
