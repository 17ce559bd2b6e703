// StepTimeModel: how long one engine iteration of a serving replica takes.
//
// The serving simulator (C5) only sees this interface, so it does not depend
// on how a step's time is predicted. The analytic serving model (C4) provides
// an adapter; the simple models below serve tests, benchmarks and what-ifs.
//
// Contract: IterationTimeS is called with at least one token of work
// (prefill_tokens > 0 or decode_seqs > 0) and must return a finite time > 0.
// Implementations must be deterministic and cheap (called once per iteration).
#ifndef XPUSIM_INFER_SIM_STEP_TIME_MODEL_H_
#define XPUSIM_INFER_SIM_STEP_TIME_MODEL_H_

#include <cstdint>

namespace xpusim::sim {

class StepTimeModel {
 public:
  virtual ~StepTimeModel() = default;
  // One iteration that prefills `prefill_tokens` prompt tokens (chunked) and
  // decodes one token for each of `decode_seqs` sequences whose KV lengths
  // sum to `decode_kv_tokens`.
  virtual double IterationTimeS(int64_t prefill_tokens, int64_t decode_seqs,
                                int64_t decode_kv_tokens) const = 0;
  // KV-cache capacity of one replica, in tokens.
  virtual int64_t KvCapacityTokens() const = 0;
};

// time = fixed_s + prefill_token_s * prefill_tokens + decode_seq_s * decode_seqs
//        + kv_token_s * decode_kv_tokens.
// fixed_s stands for weight streaming and launch overhead, prefill_token_s for
// prompt compute, decode_seq_s for per-sequence decode compute and kv_token_s
// for reading the KV cache during attention.
class LinearStepTime final : public StepTimeModel {
 public:
  struct Coeffs {
    double fixed_s = 0.01;
    double prefill_token_s = 5e-5;
    double decode_seq_s = 1e-5;
    double kv_token_s = 1e-8;
  };
  LinearStepTime(Coeffs c, int64_t kv_capacity_tokens) : c_(c), kv_capacity_(kv_capacity_tokens) {}
  double IterationTimeS(int64_t prefill_tokens, int64_t decode_seqs,
                        int64_t decode_kv_tokens) const override {
    return c_.fixed_s + c_.prefill_token_s * static_cast<double>(prefill_tokens) +
           c_.decode_seq_s * static_cast<double>(decode_seqs) +
           c_.kv_token_s * static_cast<double>(decode_kv_tokens);
  }
  int64_t KvCapacityTokens() const override { return kv_capacity_; }

 private:
  Coeffs c_;
  int64_t kv_capacity_;
};

// Every iteration takes the same time, whatever it holds: for closed-form
// queueing checks (M/D/1) and hand-worked schedules.
class ConstantStepTime final : public StepTimeModel {
 public:
  ConstantStepTime(double step_s, int64_t kv_capacity_tokens)
      : step_s_(step_s), kv_capacity_(kv_capacity_tokens) {}
  double IterationTimeS(int64_t, int64_t, int64_t) const override { return step_s_; }
  int64_t KvCapacityTokens() const override { return kv_capacity_; }

 private:
  double step_s_;
  int64_t kv_capacity_;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_STEP_TIME_MODEL_H_
