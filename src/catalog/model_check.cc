#include "catalog/model_check.h"

#include <cmath>
#include <string>

namespace xpusim {
namespace {

Status Bad(const std::string& field, const std::string& problem) {
  return Status::Invalid("field '" + field + "': " + problem);
}

template <typename T>
Status InRange(const std::string& field, T v, T lo, T hi) {
  if (v < lo || v > hi) {
    return Bad(field, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " +
                          std::to_string(v) + ")");
  }
  return Status::Ok();
}

Status CheckMoe(const Model& m) {
  const MoeConfig& c = m.moe;
  if (!c.enabled()) {
    if (c.top_k || c.shared_experts || c.expert_ffn_hidden || c.shared_ffn_hidden ||
        c.first_dense_layers) {
      return Bad("moe.num_experts", "MoE fields are set but num_experts is 0; set num_experts");
    }
    return Status::Ok();
  }
  XPU_RETURN_IF_ERROR(InRange("moe.num_experts", c.num_experts, 1, 100000));
  XPU_RETURN_IF_ERROR(InRange("moe.top_k", c.top_k, 1, c.num_experts));
  XPU_RETURN_IF_ERROR(InRange<int64_t>("moe.expert_ffn_hidden", c.expert_ffn_hidden, 1, 1000000));
  XPU_RETURN_IF_ERROR(InRange("moe.shared_experts", c.shared_experts, 0, 1000));
  if (c.shared_experts > 0) {
    XPU_RETURN_IF_ERROR(
        InRange<int64_t>("moe.shared_ffn_hidden", c.shared_ffn_hidden, 1, 1000000));
  } else if (c.shared_ffn_hidden != 0) {
    return Bad("moe.shared_ffn_hidden", "is set but shared_experts is 0");
  }
  XPU_RETURN_IF_ERROR(InRange("moe.first_dense_layers", c.first_dense_layers, 0, m.layers - 1));
  XPU_RETURN_IF_ERROR(InRange("moe.layer_frequency", c.layer_frequency, 1, m.layers));
  XPU_RETURN_IF_ERROR(InRange("moe.expert_groups", c.expert_groups, 0, c.num_experts));
  XPU_RETURN_IF_ERROR(InRange("moe.groups_per_token", c.groups_per_token, 0, c.expert_groups));
  return Status::Ok();
}

Status CheckMla(const Model& m) {
  const MlaConfig& c = m.mla;
  const bool any = c.q_lora_rank || c.kv_lora_rank || c.qk_nope_head_dim || c.qk_rope_head_dim ||
                   c.v_head_dim;
  if (!any) return Status::Ok();
  XPU_RETURN_IF_ERROR(InRange("mla.q_lora_rank", c.q_lora_rank, 0, 1000000));
  XPU_RETURN_IF_ERROR(InRange("mla.kv_lora_rank", c.kv_lora_rank, 1, 1000000));
  XPU_RETURN_IF_ERROR(InRange("mla.qk_nope_head_dim", c.qk_nope_head_dim, 1, 100000));
  XPU_RETURN_IF_ERROR(InRange("mla.qk_rope_head_dim", c.qk_rope_head_dim, 1, 100000));
  XPU_RETURN_IF_ERROR(InRange("mla.v_head_dim", c.v_head_dim, 1, 100000));
  return Status::Ok();
}

Status CheckPublished(const std::string& field, const SourcedValue& v) {
  if (!v.known()) return Status::Ok();
  if (!std::isfinite(v.value) || v.value <= 0 || v.value > 1e5) {
    return Bad(field, "must be a finite number of billions in (0, 100000] (got " +
                          std::to_string(v.value) + ")");
  }
  return Status::Ok();
}

}  // namespace

Status CheckModel(const Model& m) {
  XPU_RETURN_IF_ERROR(InRange("layers", m.layers, 1, 10000));
  XPU_RETURN_IF_ERROR(InRange<int64_t>("hidden", m.hidden, 1, 1000000));
  XPU_RETURN_IF_ERROR(InRange("heads", m.heads, 1, 100000));
  XPU_RETURN_IF_ERROR(InRange("kv_heads", m.kv_heads, 1, m.heads));
  if (m.heads % m.kv_heads != 0) {
    return Bad("kv_heads", "heads (" + std::to_string(m.heads) +
                               ") must be a multiple of kv_heads (got " +
                               std::to_string(m.kv_heads) + ")");
  }
  XPU_RETURN_IF_ERROR(InRange("head_dim", m.head_dim, 1, 100000));
  XPU_RETURN_IF_ERROR(InRange<int64_t>("vocab", m.vocab, 1, 10000000));
  XPU_RETURN_IF_ERROR(InRange("max_seq", m.max_seq, 1, 100000000));
  XPU_RETURN_IF_ERROR(CheckMoe(m));
  XPU_RETURN_IF_ERROR(CheckMla(m));
  // A dense MLP exists unless every layer is an MoE layer.
  const bool has_dense_mlp =
      !m.moe.enabled() || m.moe.first_dense_layers > 0 || m.moe.layer_frequency > 1;
  if (has_dense_mlp) {
    if (m.ffn_hidden <= 0) {
      return Bad("ffn_hidden", std::string("is required and must be > 0 (got ") +
                                   std::to_string(m.ffn_hidden) + ")" +
                                   (m.moe.enabled() ? "; this MoE model has dense MLP layers" : ""));
    }
    XPU_RETURN_IF_ERROR(InRange<int64_t>("ffn_hidden", m.ffn_hidden, 1, 1000000));
  } else {
    XPU_RETURN_IF_ERROR(InRange<int64_t>("ffn_hidden", m.ffn_hidden, 0, 1000000));
  }
  XPU_RETURN_IF_ERROR(CheckPublished("published.params_b", m.published_params_b));
  XPU_RETURN_IF_ERROR(CheckPublished("published.active_params_b", m.published_active_params_b));
  if (m.published_params_b.known() && m.published_active_params_b.known() &&
      m.published_active_params_b.value > m.published_params_b.value) {
    return Bad("published.active_params_b", "exceeds published.params_b");
  }
  return Status::Ok();
}

}  // namespace xpusim
