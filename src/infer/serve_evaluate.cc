// ServeEvaluator::Evaluate: a batch of sequences in steady state.
//
// Continuous batching ("both"): each replica keeps B/dp sequences in flight;
// prompts are prefilled in iterations of up to prefill_chunk_tokens tokens
// (per micro-batch with pp: PrefillSequencesPerIteration),
// interleaved with decode steps. Over one sequence lifetime a replica spends
//   cycle = (B/dp) x T_prefill_per_sequence + (O / a) x T_decode(B/dp, I + O/2)
// (a = accepted tokens per decode step), and produces (B/dp) x O tokens, so
//   tokens/s = B x O / cycle,  TPOT = cycle / O  (decode stalls for the
//   prefill of others included),  TTFT = the wait for the iteration in
//   progress + a prefill iteration of the prompts arriving at that rate
//   (infer/ttft_at_load.h; throughput still counts budget-filled iterations:
//   chunked prefill packs a prompt's tokens into whatever iteration runs).
// "decode": decode steps only (TPOT = T_decode / a); "prefill": the batch's
// prompts in one go (TTFT = its time).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "infer/serve_cost.h"
#include "infer/serve_state.h"
#include "infer/ttft_at_load.h"

namespace xpusim {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

Result<ServeResult> ServeEvaluator::Evaluate(const ServeWorkload& w) const {
  const State& st = *s_;
  const Model& m = st.model;
  const ServeOptions& o = st.options;
  if (w.batch < 1) return Status::Invalid(fmt::format("--batch must be >= 1 (got {})", w.batch));
  if (w.input_len < 1) return Status::Invalid(fmt::format("--input-len must be >= 1 (got {})", w.input_len));
  if (w.output_len < 1) return Status::Invalid(fmt::format("--output-len must be >= 1 (got {})", w.output_len));
  constexpr int64_t kMaxLen = int64_t{1} << 24;
  if (w.input_len > kMaxLen || w.output_len > kMaxLen || w.batch > kMaxLen)
    return Status::Invalid(fmt::format("--batch, --input-len and --output-len must be at most {}", kMaxLen));
  if (m.max_seq > 0 && w.input_len + w.output_len > m.max_seq)
    return Status::Invalid(fmt::format("--input-len + --output-len = {} exceeds the {}-token context of {}",
                                       w.input_len + w.output_len, m.max_seq, m.id));

  const int64_t dp = st.deployment.layout.dp;
  const int64_t b_r = CeilDiv(w.batch, dp);
  const double batch = static_cast<double>(w.batch);
  const double in = static_cast<double>(w.input_len), out = static_cast<double>(w.output_len);
  ServeResult r;
  r.layout = st.deployment.layout;
  r.prefill_layout = st.deployment.layout;
  r.phase = w.phase;
  r.batch = w.batch;
  r.prefill_chunk_tokens = o.prefill_chunk_tokens;
  r.prefill_chips = r.decode_chips = st.chips;

  // Prompt tokens computed per sequence (the rest come from a prefix cache).
  const int64_t computed = ComputedPromptTokens(w.input_len, o.prefix_cache_hit);
  const int pp = st.deployment.layout.pp;

  // Memory: the KV of every sequence at its longest, and the activation
  // workspace of the largest prefill pass a micro-batch runs. The evaluator
  // plans it for the token budget; whole prompts can exceed it (a prompt is
  // prefilled whole, and phase prefill runs all the replica's prompts in one
  // iteration), and the workspace grows with the tokens of the pass.
  // Per chip, for `local` sequences per replica: the activations of the
  // largest pass and the KV of every sequence, against the plan's room.
  const double seq_tokens = w.phase == ServePhase::kPrefill ? in : in + out;
  const double kv_chip = st.memory.kv_bytes_per_token;
  auto activations_gb = [&](int64_t local) {
    const int64_t pass_tokens = w.phase == ServePhase::kPrefill ? CeilDiv(local, pp) * computed : computed;
    return st.memory.activations_gb *
           std::max(1.0, static_cast<double>(pass_tokens) / static_cast<double>(o.prefill_chunk_tokens));
  };
  auto kv_room_gb = [&](int64_t local) {  // what KV may use beside the activations of `local`
    return st.memory.kv_budget_gb - (activations_gb(local) - st.memory.activations_gb);
  };
  auto fits_local = [&](int64_t local) {
    return kv_room_gb(local) > 0 && static_cast<double>(local) * seq_tokens * kv_chip / 1e9 <= kv_room_gb(local);
  };
  // The most sequences per replica that fit: the KV alone bounds it; in phase
  // prefill the activations grow with the batch too (all prompts in one pass),
  // so search below that bound.
  int64_t max_local = 0;
  if (st.memory.kv_budget_gb > 0) {
    int64_t hi = static_cast<int64_t>(std::floor(st.memory.kv_budget_gb * 1e9 / (seq_tokens * kv_chip)));
    if (fits_local(hi)) {
      max_local = hi;
    } else {
      int64_t lo = 0;  // fits (0 trivially)
      while (hi - lo > 1) {
        const int64_t mid = lo + (hi - lo) / 2;
        (fits_local(mid) ? lo : hi) = mid;
      }
      max_local = lo;
    }
  }
  const double activations = activations_gb(b_r);
  const double budget = kv_room_gb(b_r);
  r.kv_bytes_per_token = KvBytesPerToken();
  r.kv_cache_gb = static_cast<double>(b_r) * seq_tokens * kv_chip / 1e9;
  r.max_batch = max_local * dp;
  r.memory.weights = st.memory.weights_gb;
  r.memory.activations = activations;
  r.memory.reserve = st.memory.reserve_gb;
  r.memory.kv_cache = r.kv_cache_gb;
  r.memory_per_chip_gb = r.memory.total();
  r.prefill_memory = r.memory;
  r.memory_capacity_gb = st.capacity_gb;
  r.fits = fits_local(b_r);
  if (max_local == 0) {
    r.note = fmt::format("the weights ({:.1f} GB) and runtime ({:.1f} GB) leave no room for KV in {:.0f} GB per chip; "
                         "use more --tp/--pp/--ep or narrower --weights",
                         st.memory.weights_gb, activations_gb(1) + st.memory.reserve_gb, st.capacity_gb);
  } else if (!r.fits && w.phase == ServePhase::kPrefill && activations > st.memory.activations_gb) {
    r.note = fmt::format("prefilling batch {} in one pass needs {:.1f} GB of activations and {:.1f} GB of KV per chip "
                         "beside {:.1f} GB of weights in {:.0f} GB; the largest batch that fits is {}",
                         w.batch, activations, r.kv_cache_gb, st.memory.weights_gb, st.capacity_gb, r.max_batch);
  } else if (!r.fits) {
    r.note = fmt::format("the KV of batch {} needs {:.1f} GB per chip but {:.1f} GB is free; the largest batch that fits is {}",
                         w.batch, r.kv_cache_gb, std::max(0.0, budget), r.max_batch);
  }

  // Step times of one replica.
  const double cached = in - static_cast<double>(computed) > 0 ? in - static_cast<double>(computed) : 0;
  auto prefill = [&](int64_t seqs) {
    ReplicaBatch b;
    b.prefill_sequences = seqs;
    b.prefill_tokens = seqs * computed;
    b.prefill_context = cached;
    return st.ReplicaStep(b);
  };
  ReplicaBatch db;
  db.decode_sequences = b_r;
  db.decode_kv_len = in + out / 2;
  r.decode = st.ReplicaStep(db);
  const double t_dec = r.decode.total();
  r.decode_step_s = t_dec;
  const double a = st.tokens_per_decode_step;
  const int64_t n_pf = PrefillSequencesPerIteration(o.prefill_chunk_tokens, computed, pp, b_r);
  r.prefill = prefill(w.phase == ServePhase::kPrefill ? b_r : n_pf);
  const double t_pf = r.prefill.total();
  const double chips = static_cast<double>(st.chips);
  r.decode_tokens_per_s_per_chip = batch * a / t_dec / chips;

  ActivityAccumulator act;
  double basis_tokens_per_s = 0;  // tokens energy and cost are counted per
  switch (w.phase) {
    case ServePhase::kBoth: {
      const double pf_per_seq = t_pf / static_cast<double>(n_pf);
      const double cycle = static_cast<double>(b_r) * pf_per_seq + out / a * t_dec;
      // TTFT at the rate prompts arrive (b_r per cycle): the iteration in
      // progress, then one holding the prompts that came meanwhile
      // (infer/ttft_at_load.h), not always a full token budget.
      XPU_ASSIGN_OR_RETURN(const LoadedTtft tt,
                           TtftAtLoad(static_cast<double>(b_r) / cycle, n_pf,
                                      [&](int64_t n) -> Result<double> { return n == n_pf ? t_pf : prefill(n).total(); },
                                      t_dec));
      r.ttft_s = tt.total_s();
      r.tpot_s = cycle / out;
      r.tokens_per_s = batch * out / cycle;
      r.prefill_tokens_per_s_per_chip = static_cast<double>(dp * n_pf) * in / t_pf / chips;
      act.Add(r.prefill, static_cast<double>(b_r) / n_pf);
      act.Add(r.decode, out / a);
      basis_tokens_per_s = r.tokens_per_s;
      break;
    }
    case ServePhase::kDecode: {
      r.ttft_s = prefill(1).total();
      r.tpot_s = t_dec / a;
      r.tokens_per_s = batch * a / t_dec;
      r.prefill_tokens_per_s_per_chip = static_cast<double>(dp * n_pf) * in / prefill(n_pf).total() / chips;
      act.Add(r.decode, 1);
      basis_tokens_per_s = r.tokens_per_s;
      break;
    }
    case ServePhase::kPrefill: {
      r.ttft_s = t_pf;
      r.tpot_s = t_dec / a;
      r.tokens_per_s = batch / t_pf;
      r.prefill_tokens_per_s_per_chip = batch * in / t_pf / chips;
      act.Add(r.prefill, 1);
      basis_tokens_per_s = batch * in / t_pf;
      break;
    }
  }
  r.tokens_per_s_per_chip = r.tokens_per_s / chips;
  const ServeEconomics e =
      ComputeServeEconomics(st.power, st.system, st.chips, act.Shares(), basis_tokens_per_s, o, st.cost_settings, st.capex);
  r.power_w_per_chip = e.power_w_per_chip;
  r.cluster_power_kw = e.cluster_power_kw;
  r.energy_per_token_j = e.energy_per_token_j;
  r.cost_per_mtok_usd = e.cost_per_mtok_usd;
  r.cost_known = e.cost_known;
  r.power_known = e.power_known;
  for (double v : {r.ttft_s, r.tpot_s, r.tokens_per_s, r.energy_per_token_j, r.cost_per_mtok_usd})
    if (!std::isfinite(v) || v < 0)
      return Status::Internal(fmt::format("serving model produced a non-finite or negative result ({})", v));
  return r;
}

}  // namespace xpusim
