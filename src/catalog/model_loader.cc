#include "catalog/model_loader.h"

#include "catalog/doc_fields.h"
#include "catalog/model_check.h"
#include "catalog/yaml_fields.h"

namespace xpusim {
namespace {

const std::vector<std::string> kTopKeys = {"schema_version", "kind", "id",  "name",
                                           "family",         "aliases", "sources", "architecture",
                                           "moe",            "mla",  "published", "notes"};
const std::vector<std::string> kArchKeys = {
    "layers", "hidden", "ffn_hidden", "heads",   "kv_heads",        "head_dim",  "vocab",
    "max_seq", "activation", "norm",  "position", "tied_embeddings", "qkv_bias", "linear_bias"};
const std::vector<std::string> kMoeKeys = {"num_experts",       "top_k",
                                           "shared_experts",    "expert_ffn_hidden",
                                           "shared_ffn_hidden", "first_dense_layers",
                                           "layer_frequency", "expert_groups", "groups_per_token"};
const std::vector<std::string> kMlaKeys = {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim",
                                           "qk_rope_head_dim", "v_head_dim"};

// Upper bounds shared with CheckModel's messages: far beyond any real model.
constexpr int64_t kMaxSize = 1000000;      // hidden, ffn sizes
constexpr int64_t kMaxVocab = 10000000;
constexpr int kMaxLayers = 10000;
constexpr int kMaxHeads = 100000;
constexpr int kMaxSeq = 100000000;
constexpr Range kParamsB{0, 1e5};          // billions of parameters

Status ReadArchitecture(const FieldReader& root, Model* m) {
  std::optional<FieldReader> a;
  XPU_RETURN_IF_ERROR(root.GetMap("architecture", Need::kRequired, &a));
  XPU_RETURN_IF_ERROR(a->CheckKeys(kArchKeys));
  XPU_RETURN_IF_ERROR(a->GetInt("layers", Need::kRequired, 1, kMaxLayers, &m->layers));
  XPU_RETURN_IF_ERROR(a->GetInt("hidden", Need::kRequired, int64_t{1}, kMaxSize, &m->hidden));
  // Optional only for models whose every layer is MoE; CheckModel enforces it.
  XPU_RETURN_IF_ERROR(
      a->GetInt("ffn_hidden", Need::kOptional, int64_t{1}, kMaxSize, &m->ffn_hidden));
  XPU_RETURN_IF_ERROR(a->GetInt("heads", Need::kRequired, 1, kMaxHeads, &m->heads));
  XPU_RETURN_IF_ERROR(a->GetInt("kv_heads", Need::kRequired, 1, kMaxHeads, &m->kv_heads));
  XPU_RETURN_IF_ERROR(a->GetInt("head_dim", Need::kRequired, 1, 100000, &m->head_dim));
  XPU_RETURN_IF_ERROR(a->GetInt("vocab", Need::kRequired, int64_t{1}, kMaxVocab, &m->vocab));
  XPU_RETURN_IF_ERROR(a->GetInt("max_seq", Need::kRequired, 1, kMaxSeq, &m->max_seq));
  XPU_RETURN_IF_ERROR(a->GetEnum<Activation>(
      "activation", Need::kRequired, {{"swiglu", Activation::kSwiGlu}, {"gelu", Activation::kGelu}},
      &m->activation));
  XPU_RETURN_IF_ERROR(a->GetEnum<NormKind>(
      "norm", Need::kRequired, {{"rmsnorm", NormKind::kRmsNorm}, {"layernorm", NormKind::kLayerNorm}},
      &m->norm));
  XPU_RETURN_IF_ERROR(a->GetEnum<PositionKind>("position", Need::kRequired,
                                               {{"rope", PositionKind::kRope},
                                                {"learned", PositionKind::kLearned},
                                                {"alibi", PositionKind::kAlibi}},
                                               &m->position));
  // Flags: absent means false (documented in doc/model_format.md).
  XPU_RETURN_IF_ERROR(a->GetBool("tied_embeddings", Need::kOptional, &m->tied_embeddings));
  XPU_RETURN_IF_ERROR(a->GetBool("qkv_bias", Need::kOptional, &m->qkv_bias));
  XPU_RETURN_IF_ERROR(a->GetBool("linear_bias", Need::kOptional, &m->linear_bias));
  if (m->heads % m->kv_heads != 0) {
    return a->Error("kv_heads", "heads (" + std::to_string(m->heads) +
                                    ") must be a multiple of kv_heads (got " +
                                    std::to_string(m->kv_heads) + ")");
  }
  return Status::Ok();
}

Status ReadMoe(const FieldReader& root, Model* m) {
  std::optional<FieldReader> moe;
  XPU_RETURN_IF_ERROR(root.GetMap("moe", Need::kOptional, &moe));
  if (!moe) return Status::Ok();
  XPU_RETURN_IF_ERROR(moe->CheckKeys(kMoeKeys));
  MoeConfig& c = m->moe;
  XPU_RETURN_IF_ERROR(moe->GetInt("num_experts", Need::kRequired, 1, 100000, &c.num_experts));
  XPU_RETURN_IF_ERROR(moe->GetInt("top_k", Need::kRequired, 1, c.num_experts, &c.top_k));
  XPU_RETURN_IF_ERROR(
      moe->GetInt("expert_ffn_hidden", Need::kRequired, int64_t{1}, kMaxSize, &c.expert_ffn_hidden));
  XPU_RETURN_IF_ERROR(moe->GetInt("shared_experts", Need::kOptional, 0, 1000, &c.shared_experts));
  // With shared experts their size is required; without, it may be given as 0.
  const bool shared = c.shared_experts > 0;
  XPU_RETURN_IF_ERROR(moe->GetInt("shared_ffn_hidden", shared ? Need::kRequired : Need::kOptional,
                                  int64_t{shared ? 1 : 0}, kMaxSize, &c.shared_ffn_hidden));
  XPU_RETURN_IF_ERROR(moe->GetInt("first_dense_layers", Need::kOptional, 0, m->layers - 1,
                                  &c.first_dense_layers));
  XPU_RETURN_IF_ERROR(
      moe->GetInt("layer_frequency", Need::kOptional, 1, m->layers, &c.layer_frequency));
  if (c.shared_experts == 0 && c.shared_ffn_hidden > 0) {
    return moe->Error("shared_ffn_hidden", "is set but shared_experts is 0; set shared_experts");
  }
  XPU_RETURN_IF_ERROR(moe->GetInt("expert_groups", Need::kOptional, 0, c.num_experts, &c.expert_groups));
  XPU_RETURN_IF_ERROR(moe->GetInt("groups_per_token", c.expert_groups > 0 ? Need::kRequired : Need::kOptional, 0,
                                  c.expert_groups, &c.groups_per_token));
  if (c.expert_groups > 0 && c.num_experts % c.expert_groups != 0) {
    return moe->Error("expert_groups", "must divide num_experts (" + std::to_string(c.num_experts) + ")");
  }
  if (c.expert_groups == 0 && c.groups_per_token > 0) {
    return moe->Error("groups_per_token", "is set but expert_groups is not; set expert_groups");
  }
  return Status::Ok();
}

Status ReadMla(const FieldReader& root, Model* m) {
  std::optional<FieldReader> mla;
  XPU_RETURN_IF_ERROR(root.GetMap("mla", Need::kOptional, &mla));
  if (!mla) return Status::Ok();
  XPU_RETURN_IF_ERROR(mla->CheckKeys(kMlaKeys));
  MlaConfig& c = m->mla;
  XPU_RETURN_IF_ERROR(mla->GetInt("q_lora_rank", Need::kOptional, 0, 1000000, &c.q_lora_rank));
  XPU_RETURN_IF_ERROR(mla->GetInt("kv_lora_rank", Need::kRequired, 1, 1000000, &c.kv_lora_rank));
  XPU_RETURN_IF_ERROR(
      mla->GetInt("qk_nope_head_dim", Need::kRequired, 1, 100000, &c.qk_nope_head_dim));
  XPU_RETURN_IF_ERROR(
      mla->GetInt("qk_rope_head_dim", Need::kRequired, 1, 100000, &c.qk_rope_head_dim));
  XPU_RETURN_IF_ERROR(mla->GetInt("v_head_dim", Need::kRequired, 1, 100000, &c.v_head_dim));
  return Status::Ok();
}

Status ReadPublished(const FieldReader& root, Model* m) {
  std::optional<FieldReader> p;
  XPU_RETURN_IF_ERROR(root.GetMap("published", Need::kOptional, &p));
  if (!p) return Status::Ok();
  XPU_RETURN_IF_ERROR(p->CheckKeys({"params_b", "active_params_b"}));
  XPU_RETURN_IF_ERROR(
      ReadSourced(*p, "params_b", Need::kOptional, kParamsB, m->sources, &m->published_params_b));
  XPU_RETURN_IF_ERROR(ReadSourced(*p, "active_params_b", Need::kOptional, kParamsB, m->sources,
                                  &m->published_active_params_b));
  return Status::Ok();
}

}  // namespace

Result<Model> ParseModel(const YAML::Node& node, const std::string& file) {
  XPU_ASSIGN_OR_RETURN(FieldReader root, FieldReader::Map(node, file, ""));
  XPU_RETURN_IF_ERROR(root.CheckKeys(kTopKeys));
  XPU_RETURN_IF_ERROR(CheckHeader(root, "model"));
  Model m;
  m.file = file;
  XPU_RETURN_IF_ERROR(ReadId(root, &m.id));
  XPU_RETURN_IF_ERROR(root.GetString("name", Need::kRequired, &m.name));
  XPU_RETURN_IF_ERROR(root.GetString("family", Need::kRequired, &m.family));
  std::vector<std::string> aliases;
  XPU_RETURN_IF_ERROR(ReadAliases(root, &aliases));
  XPU_RETURN_IF_ERROR(ReadSources(root, &m.sources));
  XPU_RETURN_IF_ERROR(ReadArchitecture(root, &m));
  XPU_RETURN_IF_ERROR(ReadMoe(root, &m));
  XPU_RETURN_IF_ERROR(ReadMla(root, &m));
  XPU_RETURN_IF_ERROR(ReadPublished(root, &m));
  const bool has_dense_mlp =
      !m.moe.enabled() || m.moe.first_dense_layers > 0 || m.moe.layer_frequency > 1;
  if (has_dense_mlp && m.ffn_hidden == 0) {
    XPU_ASSIGN_OR_RETURN(FieldReader arch,
                         FieldReader::Map(root.Get("architecture"), file, "architecture"));
    return arch.Missing("ffn_hidden", m.moe.enabled()
                                          ? " (this MoE model has dense MLP layers)"
                                          : " (the dense MLP intermediate size)");
  }
  // Cross-field checks shared with the HF importer (most are already caught
  // above with a line number).
  if (Status st = CheckModel(m); !st.ok()) {
    return st.WithContext(Where(file, root.line()) + "model '" + m.id + "'");
  }
  m.aliases = std::move(aliases);
  return m;
}

Result<Model> LoadModelFile(const std::filesystem::path& path) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(path));
  return CatchYaml(path.string(), [&] { return ParseModel(root, path.string()); });
}

}  // namespace xpusim
