// Serving prediction (DESIGN C4): the public API of the analytic inference model.
//
//   ServeDeployment d;  d.layout = {.tp = 8};  d.weights = Precision::kFp8;
//   XPU_ASSIGN_OR_RETURN(ServeEvaluator ev, ServeEvaluator::Create(catalog, model, system, chips, d));
//   XPU_ASSIGN_OR_RETURN(ServeResult r, ev.Evaluate({.batch = 64, .input_len = 1000, .output_len = 1000}));
//
// The step-time calls (PrefillTimeS, DecodeStepTimeS, StepTimeS) are what the
// request-level simulator (src/infer/sim/) builds on: closed-form, no
// allocation, safe to call from many threads once Create() has returned.
//
// Units: a "batch" is sequences in flight across the WHOLE deployment (all
// dp replicas), as for `xpusim serve --batch`. Step times are wall-clock
// seconds of one engine iteration of the deployment (all replicas step
// together; the slowest replica, holding ceil(batch / dp) sequences, decides).
#ifndef XPUSIM_SERVE_H_
#define XPUSIM_SERVE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "xpusim/catalog.h"
#include "xpusim/precision.h"
#include "xpusim/status.h"

namespace xpusim {

enum class ServePhase { kPrefill, kDecode, kBoth };
const char* ServePhaseName(ServePhase p);
Result<ServePhase> ParseServePhase(std::string_view s);
// Weight formats: bf16|fp16|fp8|int8|int4|fp4; KV formats: bf16|fp16|fp8|int8.
Result<Precision> ParseWeightPrecision(std::string_view s);
Result<Precision> ParseKvPrecision(std::string_view s);

// How the model is laid out on the chips: chips = tp * pp * dp.
// tp shards heads and MLP columns (and expert MLPs: expert TP = tp);
// pp splits layers into stages; dp replicates the attention/dense part;
// ep (MoE only) shards the routed experts over ep of the dp ranks (EP divides
// dp, as in training: DeepSeek's "attention DP32, experts EP32" is dp 32 ep 32).
struct ServeLayout {
  int tp = 1, pp = 1, dp = 1, ep = 1;
};

struct ServeDeployment {
  ServeLayout layout;
  Precision weights = Precision::kBf16;  // linear-layer weights (GEMM rate where the chip has it)
  Precision kv = Precision::kBf16;       // KV-cache elements
  // SearchServe only: layout fields the caller fixed (`serve --search --tp 8`);
  // 0 = searched.
  ServeLayout search_fixed{0, 0, 0, 0};
};

// Modelling switches that describe the serving stack, not the hardware.
struct ServeOptions {
  // Prompt tokens per prefill iteration of a replica (TensorRT-LLM/vLLM
  // max_num_tokens default 8192): prefill of short prompts is batched up to it.
  int64_t prefill_chunk_tokens = 8192;
  // With a TTFT SLO, SearchServe and the disaggregated searches also try
  // smaller budgets (halving down to kMinSearchedPrefillChunk tokens), as an
  // operator lowers max_num_batched_tokens to meet TTFT, and keep the best;
  // the answer's budget is ServeResult::prefill_chunk_tokens. `serve
  // --search` sets it unless --prefill-chunk is given; the fleet planner too.
  bool search_prefill_chunk = false;
  // EP dispatch/combine hidden behind the other micro-batch (DeepSeek and
  // CloudMatrix two-micro-batch overlap); off: exposed.
  bool ep_overlap = false;
  // Multi-token prediction / speculative decoding: draft tokens per step and
  // the probability each is accepted (DeepSeek-V3: 1 MTP token, 85-90%).
  int draft_tokens = 0;
  double draft_acceptance = 0;
  // Share of prompt tokens served from a prefix cache (not recomputed;
  // their KV is still read by attention).
  double prefix_cache_hit = 0;
  // MoE routing: false = real routing with an expert load balancer (the
  // busiest EP rank carries kRealRoutingSkew times its share); true =
  // perfectly balanced, as profiles and "perfect EPLB" runs simulate.
  bool balanced_routing = false;
  bool sustained_clocks = true;   // power-limited sustained compute rate for compute-bound kernels
  double usable_memory_fraction = 0.95;  // of HBM, for weights + KV + activations (allocator headroom)
  double pue = 0;                 // 0: the system's
  // Cost (src/energy/cost.h, data/energy/costs.yaml for the rest: network
  // share, facility build cost per MW and its book life).
  double usd_per_kwh = 0.08;
  double amortization_years = 4;  // hardware
  double utilization = 0;         // share of hours serving paid traffic, (0, 1]; 0: the data file's
};

// Work of one engine iteration of the deployment (continuous batching).
struct StepBatch {
  int64_t prefill_tokens = 0;     // new prompt tokens computed this step (all replicas)
  int64_t prefill_sequences = 0;  // sequences they belong to (>= 1 when prefill_tokens > 0)
  double prefill_context = 0;     // tokens already in those sequences' KV (chunked prefill, cache hits)
  int64_t decode_sequences = 0;   // sequences generating one token (all replicas)
  double decode_kv_len = 0;       // mean KV length of those sequences
};

// Where one step's time goes, per chip (seconds; they add up to the step).
struct StepBreakdown {
  double gemm = 0, attention = 0, memory_ops = 0;  // operator time
  double tp_comm = 0, ep_comm = 0, pp_comm = 0;    // exposed communication
  double compute_bound = 0;  // part of the operator time in compute-bound kernels (for power)
  double total() const { return gemm + attention + memory_ops + tp_comm + ep_comm + pp_comm; }
};

struct ServeWorkload {
  int64_t batch = 0;         // sequences in flight, whole deployment
  int64_t input_len = 0;     // prompt tokens per sequence
  int64_t output_len = 0;    // generated tokens per sequence
  ServePhase phase = ServePhase::kBoth;
};

struct ServeMemoryGb {
  double weights = 0, kv_cache = 0, activations = 0, reserve = 0;
  double total() const { return weights + kv_cache + activations + reserve; }
};

inline constexpr int64_t kMinSearchedPrefillChunk = 1024;

struct ServeResult {
  ServeLayout layout;          // the decode pool's when disaggregated
  int64_t prefill_chunk_tokens = 0;  // the prefill token budget evaluated (the prefill pool's)
  bool prefill_chunk_searched = false;  // a search chose it among several (search_prefill_chunk)
  ServeLayout prefill_layout;  // disaggregated: the prefill pool's; else = layout
  int disagg_splits_tried = 0; // disaggregated search over P:D splits: how many
  ServePhase phase = ServePhase::kBoth;
  int64_t batch = 0;
  int64_t prefill_chips = 0, decode_chips = 0;  // disaggregated; else both = chips
  double ttft_s = 0;          // prefill of a request (plus KV transfer when disaggregated)
  double tpot_s = 0;          // time per output token seen by a sequence (incl. interleaved prefill)
  double decode_step_s = 0;   // one decode iteration at this batch
  double tokens_per_s = 0;    // generated tokens/s of the deployment (prefill phase: first tokens)
  double tokens_per_s_per_chip = 0;
  double prefill_tokens_per_s_per_chip = 0;  // prompt tokens/s per chip while prefilling
  double decode_tokens_per_s_per_chip = 0;   // generated tokens/s per chip while decoding
  bool fits = false;
  int64_t max_batch = 0;      // largest batch whose KV fits (whole deployment)
  double memory_per_chip_gb = 0;  // disaggregated: the fuller pool's
  double memory_capacity_gb = 0;
  ServeMemoryGb memory;            // disaggregated: the decode pool's
  ServeMemoryGb prefill_memory;    // disaggregated: the prefill pool's; else = memory
  double kv_cache_gb = 0;     // KV this batch needs per chip
  double kv_bytes_per_token = 0;  // whole model, one token (all layers, one copy)
  StepBreakdown decode;       // one decode step
  StepBreakdown prefill;      // one prefill iteration
  double power_w_per_chip = 0;
  double cluster_power_kw = 0;    // at the wall: chips + node overhead, times PUE
  double energy_per_token_j = 0;  // per generated token (prefill phase: per prompt token)
  double cost_per_mtok_usd = 0;   // same tokens as energy_per_token_j; 0 when !cost_known
  bool cost_known = true;         // false: neither the system nor the chip has a price, or no TDP
  bool power_known = true;        // false: the chip has no TDP; power and energy are unknown (0)
  std::string note;               // why it does not fit / what limited it
};

class ServeEvaluator {
 public:
  // Fails on an illegal layout (tp not dividing heads, ep not dividing dp or
  // experts, pp > layers), chips != tp*pp*dp, or a chip without the data the
  // cost model needs. Checks in the message say what would be legal.
  static Result<ServeEvaluator> Create(const Catalog& catalog, const Model& model, const System& system,
                                       int64_t chips, const ServeDeployment& deployment,
                                       const ServeOptions& options = {});

  // Whole-deployment prediction for a batch (fits is false, not an error,
  // when the KV does not fit; bad lengths are errors).
  Result<ServeResult> Evaluate(const ServeWorkload& w) const;

  // --- Step times for the simulator (seconds, whole deployment) ---
  // Prefill of `tokens` prompt tokens belonging to `sequences` sequences
  // (spread over the dp replicas), each attending to `context` earlier tokens.
  double PrefillTimeS(int64_t tokens, int64_t sequences = 1, double context = 0) const;
  // One decode step of `sequences` sequences whose KV holds `kv_len` tokens.
  double DecodeStepTimeS(int64_t sequences, double kv_len) const;
  // A mixed iteration (chunked prefill + decode); per-chip breakdown.
  StepBreakdown StepTime(const StepBatch& b) const;
  double StepTimeS(const StepBatch& b) const { return StepTime(b).total(); }
  // Moving the KV of `tokens` tokens of one sequence from a prefill to a
  // decode instance over the scale-out fabric (disaggregated serving).
  double KvTransferTimeS(double tokens) const;

  // --- Capacity ---
  double KvBytesPerTokenPerChip() const;  // on one chip (its layers, its heads)
  double KvBytesPerToken() const;         // whole model, one copy
  int64_t KvCapacityTokens() const;       // tokens of KV the whole deployment can hold
  double WeightBytesPerChip() const;

  // --- Power with nothing to do (chips at idle, node overhead, PUE) ---
  double IdlePowerWPerChip() const;
  double IdleClusterPowerKw() const;

  const Model& model() const;
  const System& system() const;
  const Chip& chip() const;
  int64_t chips() const;
  const ServeDeployment& deployment() const;
  const ServeOptions& options() const;

  struct State;
  ServeEvaluator(const ServeEvaluator&);
  ServeEvaluator& operator=(const ServeEvaluator&);
  ServeEvaluator(ServeEvaluator&&) noexcept;
  ServeEvaluator& operator=(ServeEvaluator&&) noexcept;
  ~ServeEvaluator();

 private:
  explicit ServeEvaluator(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// --- Whole-job helpers (serve_search.cc, serve_disagg.cc) ---

struct ServeSlo {
  double tpot_s = 0;  // 0: none
  double ttft_s = 0;  // 0: none
};

// The options are in range (a prefill budget of 1 to 2^24 tokens, draft
// tokens 0..8, shares in [0, 1), ...); every evaluator checks them, and a
// front end can check them first so the error names the option, not a layout.
Status CheckServeOptions(const ServeOptions& o);

// Largest-throughput layout and batch on `chips` that meets the SLOs (and
// fits). The weights/kv formats come from `base`; its layout is ignored.
// Fails with a message when nothing fits or meets the SLOs.
Result<ServeResult> SearchServe(const Catalog& catalog, const Model& model, const System& system,
                                int64_t chips, const ServeDeployment& base, const ServeOptions& options,
                                const ServeWorkload& w, const ServeSlo& slo);

// Disaggregated search with fixed pool sizes: the decode pool's layout and
// batch are the largest decode throughput meeting the TPOT SLO (SearchServe);
// the prefill pool's layout is the one giving the deployment the most
// output tokens/s with TTFT (prefill + KV transfer) within the TTFT SLO.
Result<ServeResult> SearchDisaggregated(const Catalog& catalog, const Model& model, const System& system,
                                        int64_t prefill_chips, int64_t decode_chips, const ServeDeployment& base,
                                        const ServeOptions& options, const ServeWorkload& w, const ServeSlo& slo);

// Disaggregated search that also picks the split: every P:D of `chips` in
// whole nodes (P, D >= one node), each searched as above; the most output
// tokens/s wins. Splits that meet no SLO are skipped.
Result<ServeResult> SearchDisaggregatedSplit(const Catalog& catalog, const Model& model, const System& system,
                                             int64_t chips, const ServeDeployment& base, const ServeOptions& options,
                                             const ServeWorkload& w, const ServeSlo& slo);

// Disaggregated prefill/decode: prefill_chips run prompts (layout `prefill`),
// decode_chips generate (layout `decode`); the KV of every prompt crosses the
// scale-out fabric. Throughput is the slower of the two pools.
Result<ServeResult> EvaluateDisaggregated(const Catalog& catalog, const Model& model, const System& system,
                                          int64_t prefill_chips, const ServeDeployment& prefill,
                                          int64_t decode_chips, const ServeDeployment& decode,
                                          const ServeOptions& options, const ServeWorkload& w);

}  // namespace xpusim

#endif  // XPUSIM_SERVE_H_
