// The private state behind ServeEvaluator (shared by serve_evaluator.cc and
// serve_evaluate.cc).
#ifndef XPUSIM_INFER_SERVE_STATE_H_
#define XPUSIM_INFER_SERVE_STATE_H_

#include "cost/chip_cost.h"
#include "energy/cost.h"
#include "energy/power.h"
#include "infer/serve_memory.h"
#include "infer/step_time.h"
#include "xpusim/serve.h"

namespace xpusim {

struct ServeEvaluator::State {
  Model model;
  System system;
  Chip chip;
  int64_t chips = 0;
  ServeDeployment deployment;
  ServeOptions options;
  ChipCostModel cost;      // streamed-kernel overheads (CUDA graphs / queued kernels)
  StepModel step;          // points at model and cost above; re-pointed on copy
  ServeMemoryPlan memory;
  CostSettings cost_settings;  // data/energy/costs.yaml under the options' overrides
  ClusterCapex capex;          // of the deployment (ServeCapex)
  PowerModel power;            // at the TDP; at the burst clock under --burst-clocks
  double capacity_gb = 0;
  double tokens_per_decode_step = 1;  // accepted tokens per sequence per step (MTP)

  void Repoint() {
    step.model = &model;
    step.cost = &cost;
  }
  // Per-chip time of one iteration of a replica.
  StepBreakdown ReplicaStep(const ReplicaBatch& b) const { return step.Time(b); }
};

// Layout legality for serving; messages say what would be legal.
Status CheckServeLayout(const Model& m, const System& s, int64_t chips, const ServeLayout& l);

}  // namespace xpusim

#endif  // XPUSIM_INFER_SERVE_STATE_H_
