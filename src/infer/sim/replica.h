// Replica: one serving engine (a model instance on its TP/PP/EP chips) with a
// vLLM-like continuous-batching scheduler (vLLM V0 with chunked prefill).
//
// Each iteration, with a token budget of max_num_batched_tokens:
//   1. every running sequence that has finished its prefill decodes one token;
//      it first needs KV for one more token. When no block is free the most
//      recently admitted running sequence is preempted (LIFO victim): its KV
//      is dropped and it returns to the front of the waiting queue, to be
//      recomputed later (prefill of prompt + tokens generated so far);
//   2. running sequences still prefilling get chunks of the remaining budget,
//      in admission order;
//   3. waiting sequences are admitted in FCFS order while the budget lasts,
//      fewer than max_num_seqs run, and the blocks for their whole prefill fit
//      in the free KV blocks; admission stops at the first that does not fit.
//      No admission in an iteration that preempted (as vLLM), unless the
//      iteration would otherwise be empty.
// Effects (tokens computed, first tokens, completions) apply when the
// iteration ends. Not thread-safe.
#ifndef XPUSIM_INFER_SIM_REPLICA_H_
#define XPUSIM_INFER_SIM_REPLICA_H_

#include <cstdint>
#include <vector>

#include "infer/sim/seq_pool.h"
#include "infer/sim/sim_config.h"
#include "infer/sim/step_time_model.h"

namespace xpusim::sim {

enum class ReplicaRole {
  kColocated,  // prefill and decode
  kPrefill,    // prefill only: hands sequences off after their first token
  kDecode,     // decode only: sequences arrive with their prompt KV
};

// What one iteration did, for metrics.
struct StepResult {
  int64_t prefill_tokens = 0;
  int64_t decode_tokens = 0;
  int64_t output_tokens = 0;  // tokens sampled (decodes + completed prefills)
};

class Replica {
 public:
  Replica(const StepTimeModel* model, const SchedulerConfig& cfg, ReplicaRole role);

  // Blocks that a request needs at most on this replica; requests needing more
  // than total_blocks() can never run here.
  int64_t PeakBlocks(int64_t input_tokens, int64_t output_tokens) const;
  int64_t total_blocks() const { return total_blocks_; }
  int64_t used_blocks() const { return total_blocks_ - free_blocks_; }
  size_t running() const { return running_.size(); }
  size_t outstanding() const { return running_.size() + waiting_.size(); }
  bool busy() const { return busy_; }
  int64_t preemptions() const { return preemptions_; }

  void Enqueue(int32_t seq) { waiting_.push_back(seq); }
  // Returns blocks held outside the running set (disaggregated hand-off).
  void ReleaseHeld(int32_t blocks) { free_blocks_ += blocks; }

  // REQUIRES: !busy(). Forms the next iteration; returns its duration in
  // seconds, or 0 when there is nothing to run (the replica stays idle).
  double StartStep(SeqPool& pool);
  // REQUIRES: busy(). Applies the iteration that ended at `now`. Sequences
  // that finished go to `finished`; in the prefill role, sequences whose
  // prefill finished go to `handed_off`, still holding `blocks` here.
  StepResult FinishStep(double now, SeqPool& pool, std::vector<int32_t>* finished,
                        std::vector<int32_t>* handed_off);

 private:
  struct Work {
    int32_t seq;
    int32_t tokens;
    bool decode;
  };
  int64_t BlocksFor(int64_t tokens) const { return (tokens + block_ - 1) / block_; }
  bool ScheduleDecodes(SeqPool& pool, int64_t* budget, int64_t* kv_tokens);
  void SchedulePrefills(SeqPool& pool, int64_t* budget);
  void Admit(SeqPool& pool, int64_t* budget, int64_t* kv_tokens);
  void Preempt(SeqPool& pool, int32_t seq);

  const StepTimeModel* model_;
  SchedulerConfig cfg_;
  ReplicaRole role_;
  int64_t block_;
  int64_t total_blocks_;
  int64_t free_blocks_;
  bool busy_ = false;
  int64_t preemptions_ = 0;
  RingQueue waiting_;
  std::vector<int32_t> running_;  // admission order; the back is the LIFO victim
  std::vector<Work> work_;        // the iteration in flight
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_REPLICA_H_
