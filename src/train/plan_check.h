// Legality of a parallel plan for a job: every rule is a clear error that
// says what is wrong and what would be legal.
#ifndef XPUSIM_TRAIN_PLAN_CHECK_H_
#define XPUSIM_TRAIN_PLAN_CHECK_H_

#include <cstdint>

#include "xpusim/model.h"
#include "xpusim/train.h"

namespace xpusim {

Status CheckParallelPlan(const Model& m, int64_t chips, const TrainWorkload& w, const ParallelPlan& p);

}  // namespace xpusim

#endif  // XPUSIM_TRAIN_PLAN_CHECK_H_
