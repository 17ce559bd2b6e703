// EvaluateDisaggregated: prefill and decode on separate chip pools.
//
// The prefill pool runs prompt iterations of up to prefill_chunk_tokens per
// replica (per micro-batch with pp); each finished prompt's KV (I x KV bytes
// per token) crosses the scale-out fabric to a decode replica, which holds
// `batch` sequences. The
// deployment serves as many sequences per second as the slowest of prefill,
// KV transfer and decode allows. TTFT = the wait for the iteration in
// progress + the prefill iteration that holds the prompts arriving at that
// rate (the full budget when the pool is the limit) + KV transfer.
// Power: the decode pool steps without pause; the prefill pool is busy the
// share of time its iterations take at the served rate (seqs / its capacity)
// and idle the rest.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "infer/serve_cost.h"
#include "infer/step_time.h"
#include "infer/ttft_at_load.h"
#include "xpusim/serve.h"

namespace xpusim {

Result<ServeResult> EvaluateDisaggregated(const Catalog& catalog, const Model& model, const System& system,
                                          int64_t prefill_chips, const ServeDeployment& prefill,
                                          int64_t decode_chips, const ServeDeployment& decode,
                                          const ServeOptions& options, const ServeWorkload& w) {
  if (prefill_chips < 1 || decode_chips < 1)
    return Status::Invalid(fmt::format("--disagg P:D needs P >= 1 and D >= 1 (got {}:{})", prefill_chips, decode_chips));
  XPU_ASSIGN_OR_RETURN(ServeEvaluator ev_p, ServeEvaluator::Create(catalog, model, system, prefill_chips, prefill, options));
  XPU_ASSIGN_OR_RETURN(ServeEvaluator ev_d, ServeEvaluator::Create(catalog, model, system, decode_chips, decode, options));
  ServeWorkload wd = w;
  wd.phase = ServePhase::kDecode;
  XPU_ASSIGN_OR_RETURN(ServeResult rd, ev_d.Evaluate(wd));
  const int64_t dp_p = prefill.layout.dp;
  const int64_t computed = ComputedPromptTokens(w.input_len, options.prefix_cache_hit);
  ServeWorkload wp = w;
  wp.phase = ServePhase::kPrefill;
  wp.batch = dp_p * PrefillSequencesPerIteration(options.prefill_chunk_tokens, computed, prefill.layout.pp,
                                                 std::numeric_limits<int64_t>::max());
  XPU_ASSIGN_OR_RETURN(ServeResult rp, ev_p.Evaluate(wp));

  const double out = static_cast<double>(w.output_len);
  const double t_kv = ev_p.KvTransferTimeS(static_cast<double>(w.input_len));
  const double prefill_seqs = static_cast<double>(wp.batch) / rp.ttft_s;
  const double transfer_seqs = t_kv > 0 ? static_cast<double>(dp_p) / t_kv : prefill_seqs;
  const double decode_seqs = rd.tokens_per_s / out;
  const double limit_seqs = std::min({prefill_seqs, transfer_seqs, decode_seqs});
  const char* limit = limit_seqs == decode_seqs    ? "decode pool"
                      : limit_seqs == prefill_seqs ? "prefill pool"
                                                   : "KV transfer between the pools";
  // Steady state: when the prefill pool (or the KV transfer) feeds fewer
  // sequences per second than `batch` sequences would finish, the decode
  // pool cannot keep `batch` in flight. It holds the largest batch whose
  // completion rate the feed sustains (Little's law: feed = B / (O x TPOT(B))),
  // and its TPOT, memory and power are those of that batch.
  const double feed = std::min(prefill_seqs, transfer_seqs);
  if (rd.fits && feed < decode_seqs) {
    auto drains = [&](int64_t b) -> Result<ServeResult> {
      ServeWorkload x = wd;
      x.batch = b;
      return ev_d.Evaluate(x);
    };
    int64_t lo = 1, hi = w.batch - 1;  // largest b < batch with completions(b) <= feed; 1 at least
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo + 1) / 2;
      XPU_ASSIGN_OR_RETURN(ServeResult m, drains(mid));
      if (m.tokens_per_s / out <= feed) lo = mid; else hi = mid - 1;
    }
    XPU_ASSIGN_OR_RETURN(rd, drains(lo));
  }
  // Sequences served per second: what the decode pool at its batch completes,
  // at most what the feed supplies (whole batches: a little below the feed).
  const double seqs = std::min(feed, rd.tokens_per_s / out);

  ServeResult r = rd;
  r.phase = ServePhase::kBoth;
  r.prefill_layout = prefill.layout;
  r.prefill_chunk_tokens = options.prefill_chunk_tokens;
  r.prefill_chips = prefill_chips;
  r.decode_chips = decode_chips;
  const double chips = static_cast<double>(prefill_chips + decode_chips);
  // TTFT: the prefill pool's iteration in progress (it idles between
  // iterations), then one holding the prompts that arrive at `seqs` per
  // second over dp_p replicas (infer/ttft_at_load.h), + the KV transfer.
  const int64_t n_full = wp.batch / dp_p;
  XPU_ASSIGN_OR_RETURN(const LoadedTtft tt,
                       TtftAtLoad(seqs / static_cast<double>(dp_p), n_full,
                                  [&](int64_t n) -> Result<double> {
                                    if (n == n_full) return rp.ttft_s;  // the full budget, evaluated above
                                    ServeWorkload x = wp;
                                    x.batch = dp_p * n;
                                    XPU_ASSIGN_OR_RETURN(const ServeResult rn, ev_p.Evaluate(x));
                                    return rn.ttft_s;
                                  },
                                  0));
  r.ttft_s = tt.total_s() + t_kv;
  r.tpot_s = rd.tpot_s;
  r.tokens_per_s = seqs * out;
  r.tokens_per_s_per_chip = r.tokens_per_s / chips;
  r.prefill_tokens_per_s_per_chip = rp.prefill_tokens_per_s_per_chip;
  r.decode_tokens_per_s_per_chip = rd.decode_tokens_per_s_per_chip;
  r.prefill = rp.prefill;
  r.fits = rp.fits && rd.fits;
  r.memory_per_chip_gb = std::max(rp.memory_per_chip_gb, rd.memory_per_chip_gb);
  r.prefill_memory = rp.memory;
  if (!rp.fits) r.note = "prefill pool: " + rp.note;
  const double prefill_busy = std::clamp(seqs / prefill_seqs, 0.0, 1.0);
  const double prefill_w = prefill_busy * rp.power_w_per_chip + (1 - prefill_busy) * ev_p.IdlePowerWPerChip();
  r.power_w_per_chip = (prefill_w * prefill_chips + rd.power_w_per_chip * decode_chips) / chips;
  r.cluster_power_kw = prefill_busy * rp.cluster_power_kw + (1 - prefill_busy) * ev_p.IdleClusterPowerKw() +
                       rd.cluster_power_kw;
  r.energy_per_token_j = r.cluster_power_kw * 1e3 / r.tokens_per_s;
  XPU_ASSIGN_OR_RETURN(CostSettings cost, ServeCostSettings(options));
  const ClusterCapex capex = ServeCapex(catalog.ChipOf(system), system, prefill_chips + decode_chips, cost);
  r.power_known = rp.power_known && rd.power_known;
  r.cost_known = capex.price_known && r.power_known;
  r.cost_per_mtok_usd = ServeUsdPerMtok(capex, cost, r.cluster_power_kw, r.tokens_per_s);
  if (r.note.empty()) r.note = fmt::format("throughput limited by the {}", limit);
  if (r.batch < w.batch)
    r.note += fmt::format("; it keeps {} of the {} sequences asked in flight", r.batch, w.batch);
  return r;
}

}  // namespace xpusim
