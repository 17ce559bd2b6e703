#include "train/plan_check.h"

#include <fmt/format.h>

#include "core/suggest.h"

namespace xpusim {

const char* RecomputeName(Recompute r) {
  switch (r) {
    case Recompute::kNone: return "none";
    case Recompute::kSelective: return "selective";
    case Recompute::kFull: return "full";
  }
  return "?";
}

const char* ScheduleName(PipelineSchedule s) {
  switch (s) {
    case PipelineSchedule::k1F1B: return "1f1b";
    case PipelineSchedule::kInterleaved: return "interleaved";
    case PipelineSchedule::kZeroBubble: return "zb";
    case PipelineSchedule::kDualPipe: return "dualpipe";
  }
  return "?";
}

Result<Recompute> ParseRecompute(std::string_view s) {
  const std::string l = ToLower(s);
  if (l == "none") return Recompute::kNone;
  if (l == "selective") return Recompute::kSelective;
  if (l == "full") return Recompute::kFull;
  return Status::Invalid(fmt::format("unknown recompute '{}'; expected none, selective or full{}", s,
                                     DidYouMean(s, {"none", "selective", "full"})));
}

Result<PipelineSchedule> ParseSchedule(std::string_view s) {
  const std::string l = ToLower(s);
  if (l == "1f1b") return PipelineSchedule::k1F1B;
  if (l == "interleaved") return PipelineSchedule::kInterleaved;
  if (l == "zb" || l == "zero-bubble") return PipelineSchedule::kZeroBubble;
  if (l == "dualpipe") return PipelineSchedule::kDualPipe;
  return Status::Invalid(fmt::format("unknown pipeline schedule '{}'; expected 1f1b, interleaved, zb or dualpipe{}",
                                     s, DidYouMean(s, {"1f1b", "interleaved", "zb", "dualpipe"})));
}

namespace {

constexpr int64_t kMaxChips = 10'000'000;

Status Bad(const std::string& msg) { return Status::Invalid(msg); }

}  // namespace

Status CheckParallelPlan(const Model& m, int64_t chips, const TrainWorkload& w, const ParallelPlan& p) {
  if (chips < 1 || chips > kMaxChips)
    return Bad(fmt::format("--chips must be between 1 and {} (got {})", kMaxChips, chips));
  if (w.seq_len < 1 || w.seq_len > 10'000'000)
    return Bad(fmt::format("--seq must be between 1 and 10,000,000 tokens (got {})", w.seq_len));
  if (w.global_batch < 1 || w.global_batch > 100'000'000)
    return Bad(fmt::format("--global-batch must be between 1 and 100,000,000 sequences (got {})", w.global_batch));
  if (w.precision != Precision::kBf16 && w.precision != Precision::kFp16 && w.precision != Precision::kFp8)
    return Bad("--precision must be bf16, fp16 or fp8");
  for (auto [name, v] : {std::pair{"tp", p.tp}, {"pp", p.pp}, {"dp", p.dp}, {"ep", p.ep}, {"cp", p.cp},
                         {"vpp", p.vpp}, {"micro-batch", p.micro_batch}}) {
    if (v < 1) return Bad(fmt::format("--{} must be >= 1 (got {})", name, v));
  }
  if (p.zero < 0 || p.zero > 3) return Bad(fmt::format("--zero must be 0, 1, 2 or 3 (got {})", p.zero));
  const int64_t product = static_cast<int64_t>(p.tp) * p.pp * p.dp * p.cp;
  if (product != chips)
    return Bad(fmt::format("tp x pp x dp x cp = {} x {} x {} x {} = {} but --chips is {}; the product must equal the chip count",
                           p.tp, p.pp, p.dp, p.cp, product, chips));
  if (m.heads % p.tp != 0)
    return Bad(fmt::format("tp={} does not divide the {} attention heads of {}", p.tp, m.heads, m.id));
  if (!m.mla.enabled() && m.kv_heads % p.tp != 0 && p.tp % m.kv_heads != 0)
    return Bad(fmt::format("tp={} and the {} KV heads of {} must divide one another", p.tp, m.kv_heads, m.id));
  const bool has_dense_layers = !m.is_moe() || m.moe_layers() < m.layers;
  if (has_dense_layers && m.ffn_hidden % p.tp != 0)
    return Bad(fmt::format("tp={} does not divide the MLP width {} of {}", p.tp, m.ffn_hidden, m.id));
  if (m.is_moe() && m.moe.expert_ffn_hidden % p.tp != 0)
    return Bad(fmt::format("tp={} does not divide the expert MLP width {} of {}", p.tp,
                           m.moe.expert_ffn_hidden, m.id));
  if (p.pp > m.layers) return Bad(fmt::format("pp={} exceeds the {} layers of {}", p.pp, m.layers, m.id));
  if (p.vpp > 1) {
    if (p.pp < 2) return Bad("--vpp > 1 (interleaved schedule) needs pp >= 2");
    if (m.layers < p.pp * p.vpp)
      return Bad(fmt::format("the interleaved schedule needs at least pp x vpp = {} layers; {} has {}",
                             p.pp * p.vpp, m.id, m.layers));
  }
  if ((p.schedule == PipelineSchedule::kInterleaved) != (p.vpp > 1))
    return Bad("the interleaved schedule goes with --vpp > 1 (and --vpp > 1 with the interleaved schedule)");
  if (p.schedule == PipelineSchedule::kDualPipe && (p.pp % 2 != 0))
    return Bad(fmt::format("DualPipe needs an even pp (got {})", p.pp));
  if (w.seq_len % p.cp != 0)
    return Bad(fmt::format("cp={} does not divide the sequence length {}", p.cp, w.seq_len));
  if (p.ep > 1) {
    if (!m.is_moe()) return Bad(fmt::format("--ep {} needs a mixture-of-experts model; {} is dense", p.ep, m.id));
    if ((static_cast<int64_t>(p.dp) * p.cp) % p.ep != 0)
      return Bad(fmt::format("ep={} must divide dp x cp = {} (experts are spread over the data-parallel ranks)",
                             p.ep, static_cast<int64_t>(p.dp) * p.cp));
    if (m.moe.num_experts % p.ep != 0)
      return Bad(fmt::format("ep={} does not divide the {} experts of {}", p.ep, m.moe.num_experts, m.id));
  }
  const int64_t per_step = static_cast<int64_t>(p.dp) * p.micro_batch;
  if (w.global_batch % per_step != 0)
    return Bad(fmt::format("global batch {} is not divisible by dp x micro-batch = {} x {} = {}",
                           w.global_batch, p.dp, p.micro_batch, per_step));
  const int64_t m_mb = w.global_batch / per_step;
  if (p.schedule == PipelineSchedule::kInterleaved && m_mb % p.pp != 0)
    return Bad(fmt::format("the interleaved schedule needs the {} micro-batches to be a multiple of pp={}", m_mb, p.pp));
  if (p.zero == 3 && p.pp > 1)
    return Bad("ZeRO-3 with pipeline parallelism is not supported (as in DeepSpeed/FSDP); use --zero 1 or pp=1");
  return Status::Ok();
}

}  // namespace xpusim
