// SimConfig: every knob of the request-level serving simulator, with defaults.
//
// Scheduler knobs follow vLLM's names and defaults where they exist
// (max_num_seqs, max_num_batched_tokens, block_size 16). Times are seconds.
#ifndef XPUSIM_INFER_SIM_SIM_CONFIG_H_
#define XPUSIM_INFER_SIM_SIM_CONFIG_H_

#include <cstdint>

#include "xpusim/status.h"

namespace xpusim::sim {

// Per-replica continuous-batching scheduler (vLLM V0 with chunked prefill).
struct SchedulerConfig {
  int max_num_seqs = 256;              // sequences running at once
  int64_t max_num_batched_tokens = 8192;  // token budget of one iteration,
                                        // shared by decodes and prefill chunks
  int block_size_tokens = 16;          // KV-cache block (paged attention)
  bool chunked_prefill = true;         // false: a prompt is prefilled in one
                                       // iteration (must fit the budget)
};

enum class DispatchPolicy {
  kRoundRobin,   // replica i % n
  kLeastLoaded,  // fewest requests outstanding (waiting + running); ties: lowest index
};

// Prefill/decode disaggregation: prefill replicas compute the prompt and the
// first token, then the KV cache moves to a decode replica.
// transfer time = input_tokens * kv_bytes_per_token / bandwidth + latency.
// The prefill replica holds the request's KV blocks until the transfer ends.
struct DisaggConfig {
  bool enabled = false;
  int prefill_replicas = 1;
  int decode_replicas = 1;
  double kv_bytes_per_token = 0;        // whole model (all layers), bytes
  double transfer_bandwidth_bytes_per_s = 0;  // per transfer (links are not shared)
  double transfer_latency_s = 0;
};

struct SloConfig {
  double ttft_s = 0;  // 0: no TTFT target
  double tpot_s = 0;  // 0: no TPOT target
};

struct SimConfig {
  int replicas = 1;                  // data-parallel replicas (colocated mode)
  SchedulerConfig scheduler;
  DispatchPolicy dispatch = DispatchPolicy::kRoundRobin;
  DisaggConfig disagg;
  SloConfig slo;
  // Closed loop: at most this many requests in flight (0: open loop). A
  // request due while the limit is reached is sent when one completes, and
  // its latencies count from then, as a benchmark client with a concurrency
  // limit measures them (vLLM's benchmark_serving --max-concurrency).
  int64_t max_concurrency = 0;
  double timeline_bucket_s = 1.0;    // utilisation CSV resolution (doubles
  int max_timeline_buckets = 4096;   // when a run needs more buckets than this)
};

// Checks ranges and consistency; names the offending field.
Status ValidateSimConfig(const SimConfig& c);

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_SIM_CONFIG_H_
