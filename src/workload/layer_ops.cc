#include "workload/layer_ops.h"

namespace xpusim {
namespace {

Op Gemm(const char* name, int64_t m, int64_t n, int64_t k, bool low_precision, int64_t batch = 1) {
  Op op;
  op.name = name;
  op.kind = OpKind::kGemm;
  op.low_precision = low_precision;
  op.gemm = GemmShape{m, n, k, batch};
  return op;
}

Op Memory(const char* name, double bytes) {
  Op op;
  op.name = name;
  op.kind = OpKind::kMemory;
  op.bytes = bytes;
  return op;
}

// Tokens on this chip in one micro-batch, before and after SP splitting.
struct Tokens {
  int64_t gemm;   // rows of every TP-sharded GEMM: b * s / cp
  double norm;    // tokens each norm/residual kernel touches (/tp with SP)
};

Tokens CountTokens(const ShardSpec& s) {
  Tokens t;
  t.gemm = s.micro_batch * (s.seq_len / s.cp);
  t.norm = s.sp ? static_cast<double>(t.gemm) / s.tp : static_cast<double>(t.gemm);
  return t;
}

void AddAttention(const Model& m, const ShardSpec& s, const Tokens& tok, OpList& ops) {
  const double a = s.activation_bytes;
  const int64_t h = m.hidden;
  const int64_t heads_local = m.heads / s.tp;
  ops.Add(Memory("attn_norm", tok.norm * h * a * 2));
  AttentionShape core;
  core.batch = s.micro_batch;
  core.seq_q = s.seq_len / s.cp;
  core.seq_kv = s.seq_len;
  core.heads = heads_local;
  core.causal = true;
  if (m.mla.enabled()) {
    const auto& mla = m.mla;
    const int64_t qk_dim = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
    if (mla.q_lora_rank > 0) {
      ops.Add(Gemm("q_down", tok.gemm, mla.q_lora_rank, h, true));
      ops.Add(Gemm("q_up", tok.gemm, heads_local * qk_dim, mla.q_lora_rank, true));
    } else {
      ops.Add(Gemm("q_proj", tok.gemm, heads_local * qk_dim, h, true));
    }
    ops.Add(Gemm("kv_down", tok.gemm, mla.kv_lora_rank + mla.qk_rope_head_dim, h, true));
    ops.Add(Gemm("kv_up", tok.gemm, heads_local * (mla.qk_nope_head_dim + mla.v_head_dim),
                 mla.kv_lora_rank, true));
    core.head_dim_qk = qk_dim;
    core.head_dim_v = mla.v_head_dim;
  } else {
    const int64_t kv_local = m.kv_heads >= s.tp ? m.kv_heads / s.tp : 1;  // KV heads replicate below tp
    ops.Add(Gemm("qkv_proj", tok.gemm, (heads_local + 2 * kv_local) * m.head_dim, h, true));
    core.head_dim_qk = m.head_dim;
    core.head_dim_v = m.head_dim;
  }
  if (s.flash_attention) {
    Op attn;
    attn.name = "attention";
    attn.kind = OpKind::kAttention;
    attn.attention_core = true;
    attn.attn = core;
    ops.Add(attn);
  } else {
    // Unfused: every score is computed (no causal saving) and the s x s
    // matrix makes a round trip through memory for the softmax.
    const int64_t bh = core.batch * core.heads;
    Op scores = Gemm("attn_scores", core.seq_q, core.seq_kv, core.head_dim_qk, false, bh);
    Op context = Gemm("attn_context", core.seq_q, core.head_dim_v, core.seq_kv, false, bh);
    Op softmax = Memory("attn_softmax", static_cast<double>(bh) * core.seq_q * core.seq_kv * a * 2);
    scores.attention_core = context.attention_core = softmax.attention_core = true;
    ops.Add(scores);
    ops.Add(softmax);
    ops.Add(context);
  }
  ops.Add(Gemm("out_proj", tok.gemm, h, heads_local * core.head_dim_v, true));
  ops.Add(Memory("attn_residual", tok.norm * h * a * 3));
}

void AddDenseMlp(const Model& m, const ShardSpec& s, const Tokens& tok, int64_t ffn, const char* up,
                 const char* act, const char* down, OpList& ops) {
  const double a = s.activation_bytes;
  const int64_t ffn_local = ffn / s.tp;
  const bool gated = m.activation == Activation::kSwiGlu;
  ops.Add(Gemm(up, tok.gemm, (gated ? 2 : 1) * ffn_local, m.hidden, true));
  // Gated: read gate+up, write product; plain: read, write.
  ops.Add(Memory(act, static_cast<double>(tok.gemm) * ffn_local * a * (gated ? 3 : 2)));
  ops.Add(Gemm(down, tok.gemm, m.hidden, ffn_local, true));
}

void AddMoeMlp(const Model& m, const ShardSpec& s, const Tokens& tok, OpList& ops) {
  const double a = s.activation_bytes;
  const auto& moe = m.moe;
  const int64_t h = m.hidden;
  ops.Add(Gemm("router", tok.gemm, moe.num_experts, h, false));
  // Balanced routing: this rank's experts receive top_k slots per local token.
  const int64_t local_experts = moe.num_experts / s.ep;
  const int64_t slots = tok.gemm * moe.top_k;
  const int64_t rows_per_expert = (slots + local_experts - 1) / local_experts;
  const int64_t ffn_local = moe.expert_ffn_hidden / s.tp;
  const bool gated = m.activation == Activation::kSwiGlu;
  ops.Add(Memory("moe_permute", static_cast<double>(slots) * h * a * 2 * 2));  // dispatch + combine
  ops.Add(Gemm("expert_up", rows_per_expert, (gated ? 2 : 1) * ffn_local, h, true, local_experts));
  ops.Add(Memory("expert_act", static_cast<double>(slots) * ffn_local * a * (gated ? 3 : 2)));
  ops.Add(Gemm("expert_down", rows_per_expert, h, ffn_local, true, local_experts));
  if (moe.shared_experts > 0) {
    const int64_t shared_ffn =
        (moe.shared_ffn_hidden > 0 ? moe.shared_ffn_hidden : moe.expert_ffn_hidden) * moe.shared_experts;
    AddDenseMlp(m, s, tok, shared_ffn, "shared_up", "shared_act", "shared_down", ops);
  }
}

}  // namespace

double Op::forward_flops() const {
  switch (kind) {
    case OpKind::kGemm: return gemm.flops();
    case OpKind::kAttention: return attn.forward_flops();
    case OpKind::kMemory: return 0;
  }
  return 0;
}

double OpList::forward_flops() const {
  double f = 0;
  for (const Op& op : *this) f += op.forward_flops();
  return f;
}

OpList BuildLayerOps(const Model& m, const ShardSpec& s, bool moe) {
  OpList ops;
  const Tokens tok = CountTokens(s);
  AddAttention(m, s, tok, ops);
  ops.Add(Memory("mlp_norm", tok.norm * m.hidden * s.activation_bytes * 2));
  if (moe) {
    AddMoeMlp(m, s, tok, ops);
  } else {
    AddDenseMlp(m, s, tok, m.ffn_hidden, "mlp_up", "mlp_act", "mlp_down", ops);
  }
  ops.Add(Memory("mlp_residual", tok.norm * m.hidden * s.activation_bytes * 3));
  return ops;
}

OpList BuildEmbeddingOps(const Model& m, const ShardSpec& s) {
  OpList ops;
  const Tokens tok = CountTokens(s);
  // Gather rows of the (vocab-parallel) table and all-reduce/scatter them.
  ops.Add(Memory("embedding", tok.norm * m.hidden * s.activation_bytes * 2));
  return ops;
}

OpList BuildHeadOps(const Model& m, const ShardSpec& s) {
  OpList ops;
  const Tokens tok = CountTokens(s);
  ops.Add(Memory("final_norm", tok.norm * m.hidden * s.activation_bytes * 2));
  const int64_t vocab_local = m.vocab / s.tp;
  ops.Add(Gemm("lm_head", tok.gemm, vocab_local, m.hidden, false));
  // Softmax cross-entropy over fp32 logits: read logits, write grads.
  ops.Add(Memory("loss", static_cast<double>(tok.gemm) * vocab_local * 4.0 * 2));
  return ops;
}

double ModelForwardFlopsPerToken(const Model& m, int64_t seq_len) {
  ShardSpec s;
  s.seq_len = seq_len;
  s.micro_batch = 1;
  double f = 0;
  const int moe_layers = m.is_moe() ? m.moe_layers() : 0;
  f += BuildLayerOps(m, s, false).forward_flops() * (m.layers - moe_layers);
  if (moe_layers > 0) f += BuildLayerOps(m, s, true).forward_flops() * moe_layers;
  f += BuildHeadOps(m, s).forward_flops();
  return f / static_cast<double>(seq_len);
}

}  // namespace xpusim
