// Hugging Face config.json import: real configs (tests/fixtures/hf/) give the
// published parameter totals and the same counts as the catalog YAML files;
// malformed configs give errors naming the file and the field.
#include "catalog/hf_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog/model_loader.h"
#include "xpusim/model.h"

namespace xpusim {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(XPUSIM_TEST_DIR) / "fixtures" / "hf";
const std::filesystem::path kModels = std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "models";

struct RealConfig {
  const char* fixture;   // tests/fixtures/hf/<fixture>.json
  const char* catalog;   // data/models/<catalog>.yaml, or nullptr
  double total_b;        // published total
  double active_b;       // published active (0: dense)
  double tolerance;      // relative
};

// Totals from the model cards and papers cited in data/models/*.yaml.
const RealConfig kRealConfigs[] = {
    {"llama3-8b", "llama3-8b", 8.03, 0, 0.005},
    {"mixtral-8x7b", "mixtral-8x7b", 46.7, 12.9, 0.005},
    // Active: 37.55B by count vs "37B" (see params_test.cc, MoeTotals).
    {"deepseek-v3", "deepseek-v3", 671, 37, 0.02},
    // DeepSeek-V2 paper: V2-Lite has 15.7B total parameters.
    {"deepseek-v2-lite", nullptr, 15.7, 0, 0.005},
    {"qwen2.5-72b", "qwen2.5-72b", 72.7, 0, 0.005},
    {"gpt2", "gpt2", 0.124, 0, 0.005},
    {"gpt-neox-20b", "gpt-neox-20b", 20.55, 0, 0.005},
    {"qwen3-235b-a22b", "qwen3-235b-a22b", 235, 22, 0.01},
};

TEST(HfConfigTest, RealConfigsGivePublishedTotals) {
  for (const RealConfig& c : kRealConfigs) {
    SCOPED_TRACE(c.fixture);
    Result<Model> m = LoadHfConfig(kFixtures / (std::string(c.fixture) + ".json"));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->id, c.fixture);  // no _name_or_path: the file stem
    EXPECT_NEAR(TotalParams(*m) / 1e9 / c.total_b, 1.0, c.tolerance);
    if (c.active_b > 0) {
      EXPECT_NEAR(ActiveParams(*m) / 1e9 / c.active_b, 1.0, c.tolerance);
    }
  }
}

TEST(HfConfigTest, RealConfigsMatchCatalogFiles) {
  for (const RealConfig& c : kRealConfigs) {
    if (c.catalog == nullptr) continue;
    SCOPED_TRACE(c.fixture);
    Result<Model> hf = LoadHfConfig(kFixtures / (std::string(c.fixture) + ".json"));
    Result<Model> yaml = LoadModelFile(kModels / (std::string(c.catalog) + ".yaml"));
    ASSERT_TRUE(hf.ok()) << hf.status().ToString();
    ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
    EXPECT_EQ(TotalParams(*hf), TotalParams(*yaml));
    EXPECT_EQ(ActiveParams(*hf), ActiveParams(*yaml));
    EXPECT_EQ(AttentionParams(*hf), AttentionParams(*yaml));
    EXPECT_EQ(EmbeddingParams(*hf), EmbeddingParams(*yaml));
    EXPECT_EQ(hf->layers, yaml->layers);
    EXPECT_EQ(hf->hidden, yaml->hidden);
    EXPECT_EQ(hf->heads, yaml->heads);
    EXPECT_EQ(hf->kv_heads, yaml->kv_heads);
    EXPECT_EQ(hf->head_dim, yaml->head_dim);
    EXPECT_EQ(hf->vocab, yaml->vocab);
    EXPECT_EQ(hf->max_seq, yaml->max_seq);
    EXPECT_EQ(hf->tied_embeddings, yaml->tied_embeddings);
    EXPECT_EQ(hf->moe_layers(), yaml->moe_layers());
    EXPECT_EQ(hf->activation, yaml->activation);
    EXPECT_EQ(hf->norm, yaml->norm);
    EXPECT_EQ(hf->position, yaml->position);
  }
}

TEST(HfConfigTest, FieldMapping) {
  Result<Model> gpt2 = LoadHfConfig(kFixtures / "gpt2.json");
  ASSERT_TRUE(gpt2.ok()) << gpt2.status().ToString();
  EXPECT_EQ(gpt2->family, "gpt2");
  EXPECT_TRUE(gpt2->tied_embeddings);  // GPT2Config default
  EXPECT_EQ(gpt2->ffn_hidden, 4 * 768);  // n_inner absent
  EXPECT_EQ(gpt2->max_seq, 1024);
  EXPECT_EQ(gpt2->position, PositionKind::kLearned);
  EXPECT_TRUE(gpt2->linear_bias);
  EXPECT_EQ(TotalParams(*gpt2), 124439808);

  Result<Model> qwen = LoadHfConfig(kFixtures / "qwen2.5-72b.json");
  ASSERT_TRUE(qwen.ok());
  EXPECT_TRUE(qwen->qkv_bias);  // Qwen2 always has q/k/v biases
  EXPECT_FALSE(qwen->tied_embeddings);

  Result<Model> v3 = LoadHfConfig(kFixtures / "deepseek-v3.json");
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(v3->moe.num_experts, 256);
  EXPECT_EQ(v3->moe.top_k, 8);
  EXPECT_EQ(v3->moe.shared_experts, 1);
  EXPECT_EQ(v3->moe.expert_ffn_hidden, 2048);
  EXPECT_EQ(v3->moe.first_dense_layers, 3);
  EXPECT_EQ(v3->mla.q_lora_rank, 1536);
  EXPECT_EQ(v3->mla.kv_lora_rank, 512);
  EXPECT_EQ(v3->moe_layers(), 58);
  EXPECT_EQ(v3->moe.expert_groups, 8);  // n_group
  EXPECT_EQ(v3->moe.groups_per_token, 4);  // topk_group

  Result<Model> lite = LoadHfConfig(kFixtures / "deepseek-v2-lite.json");
  ASSERT_TRUE(lite.ok());
  EXPECT_EQ(lite->mla.q_lora_rank, 0);  // null
  EXPECT_EQ(lite->moe.shared_experts, 2);
  EXPECT_EQ(lite->moe.shared_ffn_hidden, 1408);
  EXPECT_EQ(lite->moe.expert_groups, 0);  // n_group 1: no group limit
}

// A small Llama config with `extra` spliced into the object.
std::string Llama(const std::string& extra) {
  return R"({"model_type": "llama", "hidden_size": 512, "intermediate_size": 1024,
             "num_attention_heads": 8, "num_hidden_layers": 4, "vocab_size": 1000)" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

TEST(HfConfigTest, DefaultsFollowTheConfigClasses) {
  Result<Model> m = ParseHfConfig(Llama(""), "t.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->kv_heads, 8);    // absent: MHA
  EXPECT_EQ(m->head_dim, 64);   // hidden / heads
  EXPECT_FALSE(m->tied_embeddings);
  EXPECT_EQ(m->max_seq, 2048);  // LlamaConfig default
  EXPECT_EQ(m->id, "t");

  m = ParseHfConfig(Llama(R"("num_key_value_heads": null, "head_dim": 128)"), "t.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->kv_heads, 8);
  EXPECT_EQ(m->head_dim, 128);

  // MistralConfig defaults to 8 KV heads.
  m = ParseHfConfig(R"({"model_type": "mistral", "hidden_size": 1024, "intermediate_size": 2048,
                        "num_attention_heads": 16, "num_hidden_layers": 2, "vocab_size": 100})",
                    "m.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->kv_heads, 8);

  // No model_type: taken from architectures[0].
  m = ParseHfConfig(R"({"architectures": ["Qwen3ForCausalLM"], "hidden_size": 512,
                        "intermediate_size": 1024, "num_attention_heads": 8,
                        "num_hidden_layers": 2, "vocab_size": 100})",
                    "q.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->family, "qwen3");
  EXPECT_FALSE(m->qkv_bias);

  // _name_or_path names the model.
  m = ParseHfConfig(Llama(R"("_name_or_path": "Org/My-Model")"), "x/config.json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, "hf:org/my-model");
  EXPECT_EQ(m->name, "Org/My-Model");
  // .../My-Model/config.json without _name_or_path: the folder name.
  m = ParseHfConfig(Llama(""), "models/My-Model/config.json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, "my-model");
}

TEST(HfConfigTest, QwenMoeLayout) {
  const std::string base = R"({"model_type": "qwen2_moe", "hidden_size": 2048,
      "intermediate_size": 5632, "num_attention_heads": 16, "num_key_value_heads": 16,
      "num_hidden_layers": 24, "vocab_size": 151936, "num_experts": 60,
      "num_experts_per_tok": 4, "moe_intermediate_size": 1408,
      "shared_expert_intermediate_size": 5632)";
  Result<Model> m = ParseHfConfig(base + "}", "q.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->moe.shared_experts, 1);
  EXPECT_EQ(m->moe.shared_ffn_hidden, 5632);
  EXPECT_TRUE(m->qkv_bias);
  EXPECT_EQ(m->moe_layers(), 24);
  // Qwen1.5-MoE-A2.7B: 14.3B total (model card); 2.7B activated counts no
  // embeddings, so it is not checked here.
  EXPECT_NEAR(TotalParams(*m) / 14.3e9, 1.0, 0.005);

  m = ParseHfConfig(base + R"(, "mlp_only_layers": [0, 1], "decoder_sparse_step": 1})", "q.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->moe.first_dense_layers, 2);
  EXPECT_EQ(m->moe_layers(), 22);

  m = ParseHfConfig(base + R"(, "mlp_only_layers": [3]})", "q.json");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("mlp_only_layers"), std::string::npos);
}

// Each malformed fixture: the code, and words the message must contain.
struct BadCase {
  const char* file;
  ErrorCode code;
  const char* must_contain;
};

TEST(HfConfigTest, MalformedFixtures) {
  const BadCase cases[] = {
      {"bad_json.json", ErrorCode::kParseError, "invalid JSON"},
      {"not_an_object.json", ErrorCode::kParseError, "JSON object"},
      {"unknown_model_type.json", ErrorCode::kInvalidArgument, "'lamma'"},
      {"negative_hidden_size.json", ErrorCode::kInvalidArgument, "'hidden_size'"},
      {"kv_heads_not_divisor.json", ErrorCode::kInvalidArgument, "kv_heads"},
      {"missing_vocab_size.json", ErrorCode::kInvalidArgument, "'vocab_size'"},
      {"string_layers.json", ErrorCode::kInvalidArgument, "'num_hidden_layers'"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.file);
    const std::filesystem::path path = kFixtures / "bad" / c.file;
    Result<Model> m = LoadHfConfig(path);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), c.code) << m.status().ToString();
    EXPECT_NE(m.status().message().find(c.must_contain), std::string::npos)
        << m.status().ToString();
    EXPECT_NE(m.status().message().find(path.string()), std::string::npos)
        << "message should name the file: " << m.status().ToString();
  }
  // The unknown type lists what is supported and suggests the near miss.
  Result<Model> m = LoadHfConfig(kFixtures / "bad" / "unknown_model_type.json");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("deepseek_v3"), std::string::npos);
  EXPECT_NE(m.status().message().find("did you mean 'llama'"), std::string::npos)
      << m.status().ToString();
}

TEST(HfConfigTest, FieldErrors) {
  struct Case {
    std::string json;
    const char* must_contain;
  };
  const Case cases[] = {
      {Llama(R"("num_key_value_heads": 0)"), "'num_key_value_heads'"},
      {Llama(R"("tie_word_embeddings": "yes")"), "'tie_word_embeddings'"},
      {Llama(R"("head_dim": 64.5)"), "'head_dim'"},
      {Llama(R"("max_position_embeddings": -1)"), "'max_position_embeddings'"},
      {R"({"model_type": "llama", "hidden_size": 500, "intermediate_size": 1024,
           "num_attention_heads": 8, "num_hidden_layers": 4, "vocab_size": 1000})",
       "give head_dim"},
      {R"({"model_type": "deepseek_v2", "hidden_size": 512, "intermediate_size": 1024,
           "num_attention_heads": 8, "num_hidden_layers": 4, "vocab_size": 1000,
           "n_routed_experts": 8})",
       "'num_experts_per_tok'"},
      {R"({"model_type": "mixtral", "hidden_size": 512, "intermediate_size": 1024,
           "num_attention_heads": 8, "num_hidden_layers": 4, "vocab_size": 1000,
           "num_local_experts": 4, "num_experts_per_tok": 5})",
       "'num_experts_per_tok'"},
      {R"({"model_type": 7})", "'model_type'"},
      {R"({"architectures": ["BertForMaskedLM"]})", "BertForMaskedLM"},
      {R"({"hidden_size": 5})", "'model_type'"},
      {R"({"model_type": "gpt2", "n_embd": 768, "n_head": 12})", "'n_layer'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    Result<Model> m = ParseHfConfig(c.json, "cfg.json");
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), ErrorCode::kInvalidArgument) << m.status().ToString();
    EXPECT_NE(m.status().message().find(c.must_contain), std::string::npos)
        << m.status().ToString();
    EXPECT_EQ(m.status().message().rfind("cfg.json", 0), 0u) << m.status().ToString();
  }
}

TEST(HfConfigTest, MissingFile) {
  Result<Model> m = LoadHfConfig(kFixtures / "no_such_config.json");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kNotFound);
}

// Every prefix of a real config (truncated downloads) fails cleanly.
TEST(HfConfigTest, TruncatedTextNeverCrashes) {
  std::ifstream in(kFixtures / "deepseek-v3.json");
  std::stringstream text;
  text << in.rdbuf();
  const std::string full = text.str();
  ASSERT_FALSE(full.empty());
  for (size_t n = 0; n + 2 < full.size(); n += 7) {
    Result<Model> m = ParseHfConfig(full.substr(0, n), "cut.json");
    EXPECT_FALSE(m.ok()) << n;
  }
  EXPECT_TRUE(ParseHfConfig(full, "full.json").ok());
}

}  // namespace
}  // namespace xpusim
