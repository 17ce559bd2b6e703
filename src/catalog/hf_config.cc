// Hugging Face config.json -> Model.
//
// The config classes of `transformers` supply a default for every absent key;
// we follow them for flags and secondary sizes (tie_word_embeddings,
// num_key_value_heads, head_dim, max_position_embeddings, MoE/MLA details) but
// require the sizes that define a model (hidden size, layers, heads, vocabulary,
// MLP width): a class default there (e.g. LlamaConfig's 7B shape) would
// silently describe a different model.
//
// Field errors read "<file>: field '<key>': <problem>". No exception escapes:
// nlohmann::json errors become ParseError statuses naming the file.
#include "catalog/hf_config.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/model_check.h"
#include "core/suggest.h"

namespace xpusim {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kSupportedTypes = {
    "llama", "mistral",     "mixtral",     "qwen2",   "qwen2_moe", "qwen3",
    "qwen3_moe", "deepseek_v2", "deepseek_v3", "gpt2", "gpt_neox"};

// architectures[0] -> model_type, for configs without model_type.
const std::vector<std::pair<std::string, std::string>> kArchitectureTypes = {
    {"LlamaForCausalLM", "llama"},           {"MistralForCausalLM", "mistral"},
    {"MixtralForCausalLM", "mixtral"},       {"Qwen2ForCausalLM", "qwen2"},
    {"Qwen2MoeForCausalLM", "qwen2_moe"},    {"Qwen3ForCausalLM", "qwen3"},
    {"Qwen3MoeForCausalLM", "qwen3_moe"},    {"DeepseekV2ForCausalLM", "deepseek_v2"},
    {"DeepseekV3ForCausalLM", "deepseek_v3"}, {"GPT2LMHeadModel", "gpt2"},
    {"GPTNeoXForCausalLM", "gpt_neox"}};

std::string JoinTypes() {
  std::string s;
  for (const std::string& t : kSupportedTypes) s += (s.empty() ? "" : ", ") + t;
  return s;
}

// Typed access to the top-level object of one config.json.
class ConfigReader {
 public:
  ConfigReader(const Json& j, const std::string& origin) : j_(j), origin_(origin) {}

  // The key exists, possibly with a null value.
  bool Present(const char* key) const { return j_.find(key) != j_.end(); }
  // Present and not null (HF writes null for "use the default").
  bool Has(const char* key) const {
    auto it = j_.find(key);
    return it != j_.end() && !it->is_null();
  }

  Status Error(const char* key, const std::string& problem) const {
    return Status::Invalid(origin_ + ": field '" + key + "': " + problem);
  }

  // A required integer in [lo, hi].
  Status Int(const char* key, int64_t lo, int64_t hi, int64_t* out) const {
    if (!Has(key)) {
      return Status::Invalid(origin_ + ": missing required field '" + key + "'");
    }
    return ReadInt(key, lo, hi, out);
  }
  // An optional integer in [lo, hi]; absent or null: `fallback`.
  Status IntOr(const char* key, int64_t fallback, int64_t lo, int64_t hi, int64_t* out) const {
    if (!Has(key)) {
      *out = fallback;
      return Status::Ok();
    }
    return ReadInt(key, lo, hi, out);
  }
  Status BoolOr(const char* key, bool fallback, bool* out) const {
    if (!Has(key)) {
      *out = fallback;
      return Status::Ok();
    }
    const Json& v = j_.at(key);
    if (!v.is_boolean()) return Error(key, "expected true or false, got " + v.dump());
    *out = v.get<bool>();
    return Status::Ok();
  }
  // An optional list of non-negative integers (absent or null: empty).
  Status IntList(const char* key, std::vector<int64_t>* out) const {
    out->clear();
    if (!Has(key)) return Status::Ok();
    const Json& v = j_.at(key);
    if (!v.is_array()) return Error(key, "expected a list of layer indices, got " + v.dump());
    for (const Json& e : v) {
      if (!e.is_number_integer() || e.get<int64_t>() < 0) {
        return Error(key, "expected non-negative integers, got " + e.dump());
      }
      out->push_back(e.get<int64_t>());
    }
    return Status::Ok();
  }
  // An optional string (absent, null or not a string: "").
  std::string StringOr(const char* key) const {
    auto it = j_.find(key);
    return it != j_.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

 private:
  Status ReadInt(const char* key, int64_t lo, int64_t hi, int64_t* out) const {
    const Json& v = j_.at(key);
    int64_t x = 0;
    if (v.is_number_unsigned()) {
      const uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Error(key, "must be at most " + std::to_string(hi) + " (got " + v.dump() + ")");
      }
      x = static_cast<int64_t>(u);
    } else if (v.is_number_integer()) {
      x = v.get<int64_t>();
    } else {
      return Error(key, "expected an integer, got " + v.dump());
    }
    if (x < lo || x > hi) {
      return Error(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                            "] (got " + std::to_string(x) + ")");
    }
    *out = x;
    return Status::Ok();
  }

  const Json& j_;
  const std::string& origin_;
};

// Bounds for reading; CheckModel applies the architectural ones afterwards.
constexpr int64_t kMaxSize = 1000000;
constexpr int64_t kMaxCount = 1000000;
constexpr int64_t kMaxVocab = 10000000;
constexpr int64_t kMaxSeq = 100000000;

// Narrows a value already range-checked by ConfigReader.
int ToInt(int64_t v) { return static_cast<int>(v); }

// Shapes common to the Llama-like and DeepSeek configs.
Status ReadCommon(const ConfigReader& r, const std::string& type, Model* m) {
  int64_t v = 0;
  XPU_RETURN_IF_ERROR(r.Int("num_hidden_layers", 1, kMaxCount, &v));
  m->layers = ToInt(v);
  XPU_RETURN_IF_ERROR(r.Int("hidden_size", 1, kMaxSize, &m->hidden));
  XPU_RETURN_IF_ERROR(r.Int("num_attention_heads", 1, kMaxCount, &v));
  m->heads = ToInt(v);
  // MistralConfig/MixtralConfig default to 8 KV heads; the others to MHA.
  const int64_t kv_default = (type == "mistral" || type == "mixtral") ? 8 : m->heads;
  XPU_RETURN_IF_ERROR(r.IntOr("num_key_value_heads", kv_default, 1, kMaxCount, &v));
  m->kv_heads = ToInt(v);
  XPU_RETURN_IF_ERROR(r.Int("vocab_size", 1, kMaxVocab, &m->vocab));
  return Status::Ok();
}

Status HeadDim(const ConfigReader& r, Model* m) {
  if (!r.Has("head_dim") && m->hidden % m->heads != 0) {
    return r.Error("hidden_size", "(" + std::to_string(m->hidden) +
                                      ") is not a multiple of num_attention_heads (" +
                                      std::to_string(m->heads) + "); give head_dim");
  }
  int64_t v = 0;
  XPU_RETURN_IF_ERROR(r.IntOr("head_dim", m->hidden / m->heads, 1, kMaxSize, &v));
  m->head_dim = ToInt(v);
  return Status::Ok();
}

// max_position_embeddings, with the config class's default.
Status MaxSeq(const ConfigReader& r, int64_t fallback, Model* m) {
  int64_t v = 0;
  XPU_RETURN_IF_ERROR(r.IntOr("max_position_embeddings", fallback, 1, kMaxSeq, &v));
  m->max_seq = ToInt(v);
  return Status::Ok();
}

// Qwen MoE: decoder_sparse_step and mlp_only_layers. Dense layers are modelled
// only as a leading block, so mlp_only_layers must be 0..k-1.
Status QwenSparseLayout(const ConfigReader& r, Model* m) {
  int64_t step = 1;
  XPU_RETURN_IF_ERROR(r.IntOr("decoder_sparse_step", 1, 1, m->layers, &step));
  m->moe.layer_frequency = ToInt(step);
  std::vector<int64_t> dense;
  XPU_RETURN_IF_ERROR(r.IntList("mlp_only_layers", &dense));
  for (size_t i = 0; i < dense.size(); ++i) {
    if (dense[i] != static_cast<int64_t>(i)) {
      return r.Error("mlp_only_layers",
                     "only a leading block of dense layers (0, 1, ..., k-1) is supported");
    }
  }
  m->moe.first_dense_layers = static_cast<int>(dense.size());
  return Status::Ok();
}

// llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe.
Status BuildLlamaLike(const ConfigReader& r, const std::string& type, Model* m) {
  XPU_RETURN_IF_ERROR(ReadCommon(r, type, m));
  XPU_RETURN_IF_ERROR(HeadDim(r, m));
  const bool qwen_moe = type == "qwen2_moe" || type == "qwen3_moe";
  // Qwen MoE configs carry a dense width even when every layer is sparse.
  const int64_t ffn_default = type == "qwen2_moe" ? 5632 : 6144;
  if (qwen_moe) {
    XPU_RETURN_IF_ERROR(r.IntOr("intermediate_size", ffn_default, 1, kMaxSize, &m->ffn_hidden));
  } else {
    XPU_RETURN_IF_ERROR(r.Int("intermediate_size", 1, kMaxSize, &m->ffn_hidden));
  }
  // Class defaults of max_position_embeddings.
  int64_t seq_default = 2048;  // llama
  if (type == "mistral" || type == "mixtral") seq_default = 4096 * 32;
  if (type == "qwen2" || type == "qwen3" || type == "qwen3_moe") seq_default = 32768;
  if (type == "qwen2_moe") seq_default = 8192;
  XPU_RETURN_IF_ERROR(MaxSeq(r, seq_default, m));
  m->activation = Activation::kSwiGlu;
  m->norm = NormKind::kRmsNorm;
  m->position = PositionKind::kRope;
  XPU_RETURN_IF_ERROR(r.BoolOr("tie_word_embeddings", false, &m->tied_embeddings));
  if (type == "qwen2" || type == "qwen2_moe") {
    m->qkv_bias = true;  // Qwen2Attention: q/k/v projections always carry biases
  } else {
    XPU_RETURN_IF_ERROR(r.BoolOr("attention_bias", false, &m->qkv_bias));
  }

  int64_t v = 0;
  MoeConfig& e = m->moe;
  if (type == "mixtral") {
    XPU_RETURN_IF_ERROR(r.IntOr("num_local_experts", 8, 1, kMaxCount, &v));
    e.num_experts = ToInt(v);
    XPU_RETURN_IF_ERROR(r.IntOr("num_experts_per_tok", 2, 1, e.num_experts, &v));
    e.top_k = ToInt(v);
    e.expert_ffn_hidden = m->ffn_hidden;
  } else if (qwen_moe) {
    const bool q2 = type == "qwen2_moe";
    XPU_RETURN_IF_ERROR(r.IntOr("num_experts", q2 ? 60 : 128, 1, kMaxCount, &v));
    e.num_experts = ToInt(v);
    XPU_RETURN_IF_ERROR(r.IntOr("num_experts_per_tok", q2 ? 4 : 8, 1, e.num_experts, &v));
    e.top_k = ToInt(v);
    XPU_RETURN_IF_ERROR(
        r.IntOr("moe_intermediate_size", q2 ? 1408 : 768, 1, kMaxSize, &e.expert_ffn_hidden));
    if (q2) {
      XPU_RETURN_IF_ERROR(
          r.IntOr("shared_expert_intermediate_size", 5632, 0, kMaxSize, &e.shared_ffn_hidden));
      e.shared_experts = e.shared_ffn_hidden > 0 ? 1 : 0;
    }
    XPU_RETURN_IF_ERROR(QwenSparseLayout(r, m));
  }
  return Status::Ok();
}

// deepseek_v2, deepseek_v3: MLA attention and DeepSeekMoE.
Status BuildDeepseek(const ConfigReader& r, const std::string& type, Model* m) {
  const bool v3 = type == "deepseek_v3";
  XPU_RETURN_IF_ERROR(ReadCommon(r, type, m));
  XPU_RETURN_IF_ERROR(r.Int("intermediate_size", 1, kMaxSize, &m->ffn_hidden));
  XPU_RETURN_IF_ERROR(MaxSeq(r, v3 ? 4096 : 2048, m));
  m->activation = Activation::kSwiGlu;
  m->norm = NormKind::kRmsNorm;
  m->position = PositionKind::kRope;
  XPU_RETURN_IF_ERROR(r.BoolOr("tie_word_embeddings", false, &m->tied_embeddings));
  XPU_RETURN_IF_ERROR(r.BoolOr("attention_bias", false, &m->qkv_bias));

  int64_t v = 0;
  MlaConfig& a = m->mla;
  // null (DeepSeek-V2-Lite): a plain q_proj; absent: the class default 1536.
  XPU_RETURN_IF_ERROR(
      r.IntOr("q_lora_rank", r.Present("q_lora_rank") ? 0 : 1536, 0, kMaxSize, &v));
  a.q_lora_rank = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("kv_lora_rank", 512, 1, kMaxSize, &v));
  a.kv_lora_rank = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("qk_nope_head_dim", 128, 1, kMaxSize, &v));
  a.qk_nope_head_dim = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("qk_rope_head_dim", 64, 1, kMaxSize, &v));
  a.qk_rope_head_dim = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("v_head_dim", 128, 1, kMaxSize, &v));
  a.v_head_dim = ToInt(v);
  m->head_dim = a.qk_nope_head_dim + a.qk_rope_head_dim;  // query/key head width

  // DeepseekV2Config defaults to a dense model; DeepseekV3Config to 256 experts.
  XPU_RETURN_IF_ERROR(r.IntOr("n_routed_experts", v3 ? 256 : 0, 0, kMaxCount, &v));
  if (v == 0) return Status::Ok();
  MoeConfig& e = m->moe;
  e.num_experts = ToInt(v);
  if (v3) {
    XPU_RETURN_IF_ERROR(r.IntOr("num_experts_per_tok", 8, 1, e.num_experts, &v));
  } else {  // DeepseekV2Config has no default for it
    XPU_RETURN_IF_ERROR(r.Int("num_experts_per_tok", 1, e.num_experts, &v));
  }
  e.top_k = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("n_shared_experts", v3 ? 1 : 0, 0, kMaxCount, &v));
  e.shared_experts = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("moe_intermediate_size", v3 ? 2048 : 1407, 1, kMaxSize,
                              &e.expert_ffn_hidden));
  // DeepSeekMoE's shared experts are experts of the same width.
  e.shared_ffn_hidden = e.shared_experts > 0 ? e.expert_ffn_hidden : 0;
  XPU_RETURN_IF_ERROR(r.IntOr("first_k_dense_replace", v3 ? 3 : 0, 0, m->layers - 1, &v));
  e.first_dense_layers = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("moe_layer_freq", 1, 1, m->layers, &v));
  e.layer_frequency = ToInt(v);
  // Group-limited routing (topk_method group_limited_greedy / noaux_tc);
  // one group, or all groups allowed, is no limit.
  int64_t groups = 0, per_token = 0;
  XPU_RETURN_IF_ERROR(r.IntOr("n_group", 0, 0, e.num_experts, &groups));
  XPU_RETURN_IF_ERROR(r.IntOr("topk_group", 0, 0, kMaxCount, &per_token));
  if (groups > 1 && per_token > 0 && per_token < groups && e.num_experts % groups == 0) {
    e.expert_groups = ToInt(groups);
    e.groups_per_token = ToInt(per_token);
  }
  return Status::Ok();
}

// gpt2: n_embd, n_layer, n_head, n_positions, n_inner (null: 4 x n_embd).
Status BuildGpt2(const ConfigReader& r, Model* m) {
  int64_t v = 0;
  XPU_RETURN_IF_ERROR(r.Int("n_layer", 1, kMaxCount, &v));
  m->layers = ToInt(v);
  XPU_RETURN_IF_ERROR(r.Int("n_embd", 1, kMaxSize, &m->hidden));
  XPU_RETURN_IF_ERROR(r.Int("n_head", 1, kMaxCount, &v));
  m->heads = ToInt(v);
  m->kv_heads = m->heads;
  if (m->hidden % m->heads != 0) {
    return r.Error("n_embd", "(" + std::to_string(m->hidden) + ") is not a multiple of n_head (" +
                                 std::to_string(m->heads) + ")");
  }
  m->head_dim = ToInt(m->hidden / m->heads);
  XPU_RETURN_IF_ERROR(r.IntOr("vocab_size", 50257, 1, kMaxVocab, &m->vocab));
  XPU_RETURN_IF_ERROR(r.IntOr("n_positions", 1024, 1, kMaxSeq, &v));
  m->max_seq = ToInt(v);
  XPU_RETURN_IF_ERROR(r.IntOr("n_inner", 4 * m->hidden, 1, kMaxSize, &m->ffn_hidden));
  m->activation = Activation::kGelu;
  m->norm = NormKind::kLayerNorm;
  m->position = PositionKind::kLearned;
  m->linear_bias = true;
  // GPT2Config inherits PretrainedConfig's tie_word_embeddings = true.
  return r.BoolOr("tie_word_embeddings", true, &m->tied_embeddings);
}

// gpt_neox: rotary (partial), LayerNorm, GELU MLP, biases everywhere.
Status BuildGptNeox(const ConfigReader& r, Model* m) {
  XPU_RETURN_IF_ERROR(ReadCommon(r, "gpt_neox", m));
  m->kv_heads = m->heads;  // GPT-NeoX has no GQA
  XPU_RETURN_IF_ERROR(HeadDim(r, m));
  XPU_RETURN_IF_ERROR(r.Int("intermediate_size", 1, kMaxSize, &m->ffn_hidden));
  XPU_RETURN_IF_ERROR(MaxSeq(r, 2048, m));
  m->activation = Activation::kGelu;
  m->norm = NormKind::kLayerNorm;
  m->position = PositionKind::kRope;
  m->linear_bias = true;
  return r.BoolOr("tie_word_embeddings", false, &m->tied_embeddings);
}

Result<std::string> ModelType(const Json& j, const std::string& origin) {
  auto it = j.find("model_type");
  if (it != j.end() && !it->is_null()) {
    if (!it->is_string()) {
      return Status::Invalid(origin + ": field 'model_type': expected a string, got " +
                             it->dump());
    }
    return it->get<std::string>();
  }
  auto arch = j.find("architectures");
  if (arch != j.end() && arch->is_array() && !arch->empty() && (*arch)[0].is_string()) {
    const std::string name = (*arch)[0].get<std::string>();
    for (const auto& [cls, type] : kArchitectureTypes)
      if (cls == name) return type;
    return Status::Invalid(origin + ": unsupported architecture '" + name +
                           "' and no model_type (supported model_type values: " + JoinTypes() +
                           ")");
  }
  return Status::Invalid(origin + ": missing required field 'model_type' (supported: " +
                         JoinTypes() + ")");
}

// "config" says nothing; use the folder name for .../Llama-3-8B/config.json.
std::string StemId(const std::string& origin) {
  std::filesystem::path p(origin);
  std::string stem = p.stem().string();
  if ((stem == "config" || stem.empty()) && p.has_parent_path()) {
    const std::string dir = p.parent_path().filename().string();
    if (!dir.empty() && dir != "." && dir != "..") stem = dir;
  }
  return ToLower(stem.empty() ? "model" : stem);
}

Result<Model> Build(const Json& j, const std::string& origin) {
  if (!j.is_object()) {
    return Status::Parse(origin + ": expected a JSON object at the top level of a config.json");
  }
  XPU_ASSIGN_OR_RETURN(const std::string type, ModelType(j, origin));
  const ConfigReader r(j, origin);
  Model m;
  m.file = origin;
  m.family = type;
  if (type == "llama" || type == "mistral" || type == "mixtral" || type == "qwen2" ||
      type == "qwen2_moe" || type == "qwen3" || type == "qwen3_moe") {
    XPU_RETURN_IF_ERROR(BuildLlamaLike(r, type, &m));
  } else if (type == "deepseek_v2" || type == "deepseek_v3") {
    XPU_RETURN_IF_ERROR(BuildDeepseek(r, type, &m));
  } else if (type == "gpt2") {
    XPU_RETURN_IF_ERROR(BuildGpt2(r, &m));
  } else if (type == "gpt_neox") {
    XPU_RETURN_IF_ERROR(BuildGptNeox(r, &m));
  } else {
    return Status::Invalid(origin + ": field 'model_type': unsupported value '" + type +
                           "' (supported: " + JoinTypes() + ")" +
                           DidYouMean(type, kSupportedTypes));
  }
  const std::string hf_name = r.StringOr("_name_or_path");
  if (!hf_name.empty()) {
    m.id = "hf:" + ToLower(hf_name);
    m.name = hf_name;
  } else {
    m.id = StemId(origin);
    m.name = m.id;
  }
  m.sources.push_back(Source{"HF", "Hugging Face config.json", origin});
  if (Status st = CheckModel(m); !st.ok()) return st.WithContext(origin);
  return m;
}

}  // namespace

Result<Model> ParseHfConfig(std::string_view json_text, const std::string& origin) {
  try {
    const Json j = Json::parse(json_text.begin(), json_text.end());
    return Build(j, origin);
  } catch (const Json::exception& e) {
    return Status::Parse(origin + ": invalid JSON: " + e.what());
  } catch (const std::exception& e) {
    return Status::Internal(origin + ": unexpected error reading config.json: " + e.what());
  }
}

Result<Model> LoadHfConfig(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::NotFound(path.string() + ": read error");
  return ParseHfConfig(text.str(), path.string());
}

}  // namespace xpusim
