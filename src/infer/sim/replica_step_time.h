// The analytic serving model (C4) as the simulator's step-time model (C5):
// one dp replica of a ServeEvaluator deployment. The evaluator's step times
// are for the whole deployment with every replica stepping together, so a
// replica's iteration is asked as dp identical replicas' work.
#ifndef XPUSIM_INFER_SIM_REPLICA_STEP_TIME_H_
#define XPUSIM_INFER_SIM_REPLICA_STEP_TIME_H_

#include "infer/sim/step_time_model.h"
#include "xpusim/serve.h"

namespace xpusim::sim {

class ReplicaStepTime final : public StepTimeModel {
 public:
  explicit ReplicaStepTime(const ServeEvaluator& ev) : ev_(ev), dp_(ev.deployment().layout.dp) {}
  double IterationTimeS(int64_t prefill_tokens, int64_t decode_seqs, int64_t decode_kv_tokens) const override {
    StepBatch b;
    b.prefill_tokens = prefill_tokens * dp_;
    b.prefill_sequences = prefill_tokens > 0 ? dp_ : 0;  // one chunk per replica (the interface does not say more)
    b.decode_sequences = decode_seqs * dp_;
    b.decode_kv_len = decode_seqs > 0 ? static_cast<double>(decode_kv_tokens) / static_cast<double>(decode_seqs) : 0;
    return ev_.StepTimeS(b);
  }
  int64_t KvCapacityTokens() const override { return ev_.KvCapacityTokens() / dp_; }

 private:
  const ServeEvaluator& ev_;
  int64_t dp_;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_REPLICA_STEP_TIME_H_
