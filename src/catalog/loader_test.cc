// Unit tests of the loader steps on in-memory YAML: field readers (types,
// ranges, lines), chip parsing, CheckModel (shared with the HF importer),
// and Chip::EffectivePeakTflops.
#include <gtest/gtest.h>

#include <cmath>

#include "catalog/chip_loader.h"
#include "catalog/model_check.h"
#include "catalog/rules_loader.h"
#include "catalog/yaml_fields.h"

namespace xpusim {
namespace {

Result<Chip> ParseChipText(const std::string& text) {
  Result<YAML::Node> root = ParseYamlText(text, "mem.yaml");
  if (!root.ok()) return root.status();
  return ParseChip(*root, "mem.yaml");
}

const char* kChip = R"(schema_version: 1
kind: chip
id: x1
name: X1
vendor: V
availability: product
sources:
  S: {title: t, url: u}
specs:
  tflops_fp16: {value: 100, source: S, confidence: reported}
  memory_gb: {value: 16, source: S, confidence: datasheet}
  memory_bandwidth_tb_s: {value: 1, source: S, confidence: datasheet}
)";

TEST(LoaderFieldsTest, ParseNumberRejectsNonFiniteAndStrings) {
  double v = 0;
  EXPECT_FALSE(ParseNumber(YAML::Load("1.5e3"), &v).has_value());
  EXPECT_DOUBLE_EQ(v, 1500);
  EXPECT_FALSE(ParseNumber(YAML::Load("+7"), &v).has_value());
  EXPECT_DOUBLE_EQ(v, 7);
  EXPECT_TRUE(ParseNumber(YAML::Load(".inf"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load("-.inf"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load(".NaN"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load("'12'"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load("12abc"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load("[1]"), &v).has_value());
  EXPECT_TRUE(ParseNumber(YAML::Load("1e999"), &v).has_value());  // overflows to inf
}

TEST(LoaderChipTest, MinimalChipParses) {
  Result<Chip> c = ParseChipText(kChip);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->tflops(Precision::kFp16).value, 100);
  EXPECT_EQ(c->tflops(Precision::kFp16).confidence, Confidence::kReported);
  EXPECT_TRUE(std::isnan(c->tflops(Precision::kBf16).value));
  EXPECT_EQ(c->year, 0);  // not given
  EXPECT_EQ(c->file, "mem.yaml");
}

TEST(LoaderChipTest, ErrorsNameFileLineAndField) {
  std::string text = kChip;
  text.replace(text.find("value: 16"), 9, "value: -16");
  Result<Chip> c = ParseChipText(text);
  ASSERT_FALSE(c.ok());
  // memory_gb is on line 11 of kChip.
  EXPECT_EQ(c.status().message(),
            "mem.yaml:11: field 'specs.memory_gb.value': must be a finite number > 0 (got -16)");
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidArgument);
}

TEST(LoaderChipTest, UnknownKeySuggestsAndListsWhenNoMatch) {
  std::string text = std::string(kChip) + "colour: red\n";
  Result<Chip> c = ParseChipText(text);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("mem.yaml:13: unknown key 'colour'; allowed keys: "),
            std::string::npos)
      << c.status().message();
}

TEST(LoaderChipTest, SyntaxErrorIsParseErrorWithLine) {
  Result<Chip> c = ParseChipText("schema_version: 1\nkind: chip\nid: [x1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kParseError);
  EXPECT_EQ(c.status().message().rfind("mem.yaml:", 0), 0u) << c.status().message();
}

TEST(LoaderChipTest, SramOnlyPartMayHaveZeroMemory) {
  std::string text = kChip;
  text.replace(text.find("value: 16"), 9, "value: 0");
  EXPECT_FALSE(ParseChipText(text).ok());  // zero HBM without SRAM: refused
  text += "  sram_mb: {value: 230, source: S, confidence: datasheet}\n";
  Result<Chip> c = ParseChipText(text);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->memory_gb.value, 0);
}

TEST(LoaderChipTest, EffectivePeakFallsBackToWiderFormats) {
  Chip c;
  c.dense_tflops[static_cast<int>(Precision::kBf16)].value = 400;
  c.dense_tflops[static_cast<int>(Precision::kFp32)].value = 50;
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kBf16), 400);
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kFp8), 400);   // no fp8 units
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kFp16), 400);
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kTf32), 50);
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kFp32), 50);
  c.dense_tflops[static_cast<int>(Precision::kFp8)].value = 800;
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kFp4), 800);
  EXPECT_DOUBLE_EQ(c.EffectivePeakTflops(Precision::kInt8), 800);
  EXPECT_TRUE(std::isnan(Chip().EffectivePeakTflops(Precision::kBf16)));
  EXPECT_STREQ(AvailabilityName(Availability::kResearch), "research");
}

Model Llama8b() {
  Model m;
  m.id = "m";
  m.layers = 32;
  m.hidden = 4096;
  m.ffn_hidden = 14336;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.vocab = 128256;
  m.max_seq = 8192;
  return m;
}

TEST(LoaderModelCheckTest, AcceptsDenseAndMoe) {
  EXPECT_TRUE(CheckModel(Llama8b()).ok());
  Model moe = Llama8b();
  moe.ffn_hidden = 0;  // every layer MoE: no dense MLP size needed
  moe.moe.num_experts = 8;
  moe.moe.top_k = 2;
  moe.moe.expert_ffn_hidden = 14336;
  EXPECT_TRUE(CheckModel(moe).ok()) << CheckModel(moe).ToString();
  moe.moe.first_dense_layers = 1;  // now a dense MLP exists
  EXPECT_NE(CheckModel(moe).message().find("field 'ffn_hidden'"), std::string::npos);
}

TEST(LoaderModelCheckTest, RefusesInconsistentArchitectures) {
  struct Case {
    void (*mutate)(Model*);
    const char* expect;
  };
  const Case cases[] = {
      {[](Model* m) { m->kv_heads = 5; }, "field 'kv_heads': heads (32) must be a multiple"},
      {[](Model* m) { m->kv_heads = 64; }, "field 'kv_heads': must be in [1, 32]"},
      {[](Model* m) { m->layers = 0; }, "field 'layers'"},
      {[](Model* m) { m->hidden = -1; }, "field 'hidden'"},
      {[](Model* m) { m->vocab = 0; }, "field 'vocab'"},
      {[](Model* m) { m->moe.top_k = 2; }, "num_experts is 0"},
      {[](Model* m) { m->moe = {8, 9, 0, 1024}; }, "field 'moe.top_k': must be in [1, 8]"},
      {[](Model* m) { m->moe = {8, 2, 1, 1024, 0}; }, "field 'moe.shared_ffn_hidden'"},
      {[](Model* m) { m->mla.kv_lora_rank = 512; }, "field 'mla.qk_nope_head_dim'"},
      {[](Model* m) { m->published_params_b.value = -1; }, "field 'published.params_b'"},
      {[](Model* m) {
         m->published_params_b.value = 8;
         m->published_active_params_b.value = 9;
       },
       "exceeds published.params_b"},
  };
  for (const Case& c : cases) {
    Model m = Llama8b();
    c.mutate(&m);
    const Status st = CheckModel(m);
    ASSERT_FALSE(st.ok()) << c.expect;
    EXPECT_NE(st.message().find(c.expect), std::string::npos) << st.message();
  }
}

TEST(LoaderRulesTest, IsoDates) {
  EXPECT_TRUE(IsIsoDate("2023-10-17"));
  EXPECT_FALSE(IsIsoDate("2023-13-01"));
  EXPECT_FALSE(IsIsoDate("2023-1-01"));
  EXPECT_FALSE(IsIsoDate("17/10/2023"));
}

}  // namespace
}  // namespace xpusim
