#include "infer/sim/sim_config.h"

#include <cmath>
#include <string>

namespace xpusim::sim {

namespace {
Status Bad(const std::string& field, const std::string& why) {
  return Status::Invalid("serving simulator: " + field + " " + why);
}
bool FinitePositive(double v) { return std::isfinite(v) && v > 0; }
bool FiniteNonNegative(double v) { return std::isfinite(v) && v >= 0; }
}  // namespace

Status ValidateSimConfig(const SimConfig& c) {
  const SchedulerConfig& s = c.scheduler;
  if (s.max_num_seqs < 1) return Bad("max_num_seqs", "must be >= 1");
  if (s.max_num_batched_tokens < 1) return Bad("max_num_batched_tokens", "must be >= 1");
  if (s.max_num_batched_tokens < s.max_num_seqs)
    return Bad("max_num_batched_tokens", "must be >= max_num_seqs (" + std::to_string(s.max_num_seqs) +
                                             ") so that every running sequence can decode each iteration");
  if (s.block_size_tokens < 1) return Bad("block_size_tokens", "must be >= 1");
  if (!c.disagg.enabled && c.replicas < 1) return Bad("replicas", "must be >= 1");
  if (c.disagg.enabled) {
    const DisaggConfig& d = c.disagg;
    if (d.prefill_replicas < 1) return Bad("disagg.prefill_replicas", "must be >= 1");
    if (d.decode_replicas < 1) return Bad("disagg.decode_replicas", "must be >= 1");
    if (!FiniteNonNegative(d.kv_bytes_per_token)) return Bad("disagg.kv_bytes_per_token", "must be >= 0");
    if (!FiniteNonNegative(d.transfer_latency_s)) return Bad("disagg.transfer_latency_s", "must be >= 0");
    if (d.kv_bytes_per_token > 0 && !FinitePositive(d.transfer_bandwidth_bytes_per_s))
      return Bad("disagg.transfer_bandwidth_bytes_per_s", "must be > 0 when kv_bytes_per_token > 0");
  }
  if (c.max_concurrency < 0) return Bad("max_concurrency", "must be >= 0 (0: no limit)");
  if (!FiniteNonNegative(c.slo.ttft_s)) return Bad("ttft slo", "must be >= 0");
  if (!FiniteNonNegative(c.slo.tpot_s)) return Bad("tpot slo", "must be >= 0");
  if (!FinitePositive(c.timeline_bucket_s)) return Bad("timeline_bucket_s", "must be > 0");
  if (c.max_timeline_buckets < 2) return Bad("max_timeline_buckets", "must be >= 2");
  return Status::Ok();
}

}  // namespace xpusim::sim
