// Validation case loading (strict) and the harness (error, MAPE, JSON).
#include "plan/validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace xpusim {
namespace {

const char* kGoodCase = R"(schema_version: 1
kind: validation_case
id: toy-case
source:
  title: "A paper"
  url: "https://example.org/paper"
  locator: "Table 1"
  quote: "| 1.7 | 137 |"
framework: "Megatron-LM 2021"
model: gpt-1.7b
system: dgx-a100
chips: 32
plan: {tp: 1, pp: 1, dp: 32, sp: false, zero: 0, recompute: full, micro_batch: 16, schedule: 1f1b}
workload: {global_batch: 512, seq_len: 2048, precision: fp16}
options: {dp_overlap: true, tp_comm_overlap: false, flash_attention: false}
measured:
  metric: achieved_tflops_per_gpu_eq3
  value: 137
  unit: TFLOP/s per GPU
  definition: "Eq. 3 FLOPs / step time / GPUs"
  flops_vocab: 51200
assumptions:
  - "micro-batch 16 from run_table_1.sh"
)";

Status LoadText(const std::string& text, ValidationSuite* suite) {
  return LoadValidationText(text, "cases/toy.yaml", suite);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ValidationLoadTest, GoodCaseLoadsEveryField) {
  ValidationSuite suite;
  ASSERT_TRUE(LoadText(kGoodCase, &suite).ok());
  ASSERT_EQ(suite.cases.size(), 1u);
  const TrainCase& c = suite.cases[0];
  EXPECT_EQ(c.id, "toy-case");
  EXPECT_EQ(c.source.locator, "Table 1");
  EXPECT_EQ(c.model_id, "gpt-1.7b");
  EXPECT_EQ(c.system_id, "dgx-a100");
  EXPECT_EQ(c.chips, 32);
  EXPECT_EQ(c.plan.dp, 32);
  EXPECT_EQ(c.plan.ep, 1);
  EXPECT_EQ(c.plan.vpp, 1);
  EXPECT_FALSE(c.plan.sp);
  EXPECT_EQ(c.plan.zero, 0);
  EXPECT_EQ(c.plan.recompute, Recompute::kFull);
  EXPECT_EQ(c.plan.micro_batch, 16);
  EXPECT_EQ(c.plan.schedule, PipelineSchedule::k1F1B);
  EXPECT_EQ(c.workload.global_batch, 512);
  EXPECT_EQ(c.workload.precision, Precision::kFp16);
  EXPECT_TRUE(c.options.dp_overlap);
  EXPECT_FALSE(c.options.flash_attention);
  EXPECT_EQ(c.metric, ValidationMetric::kTflopsEq3);
  EXPECT_EQ(c.group(), ValidationGroup::kTraining);
  EXPECT_DOUBLE_EQ(c.measured, 137);
  ASSERT_TRUE(c.flops_vocab.has_value());
  EXPECT_EQ(*c.flops_vocab, 51200);
  EXPECT_EQ(c.assumptions.size(), 1u);
}

// Each malformed variant fails with a message naming file, line and field.
struct BadCase {
  const char* name;
  const char* from;
  const char* to;
  const char* expect_in_message;
};

TEST(ValidationLoadTest, MalformedCasesFailWithFileLineAndField) {
  const BadCase kBad[] = {
      {"unknown plan key", "tp: 1,", "tpp: 1,", "unknown key 'tpp'"},
      {"unknown top-level key", "chips: 32", "chips: 32\nchip_count: 32", "chip_count"},
      {"missing measured value", "  value: 137\n", "", "measured.value"},
      {"bad recompute", "recompute: full", "recompute: fulll", "plan.recompute"},
      {"bad schedule", "schedule: 1f1b", "schedule: gpipe", "plan.schedule"},
      {"bad metric", "achieved_tflops_per_gpu_eq3", "tflops", "measured.metric"},
      {"chips product", "chips: 32", "chips: 64", "must equal plan.tp x plan.pp x plan.dp"},
      {"batch divisibility", "global_batch: 512", "global_batch: 500", "multiple of plan.dp x plan.micro_batch"},
      {"string for number", "value: 137", "value: \"137\"", "measured.value"},
      {"negative value", "value: 137", "value: -1", "measured.value"},
      {"sp without tp", "sp: false", "sp: true", "plan.sp"},
      {"vpp without interleaving", "schedule: 1f1b", "schedule: 1f1b, vpp: 2", "plan.vpp"},
      {"missing assumptions", "assumptions:\n  - \"micro-batch 16 from run_table_1.sh\"\n", "", "assumptions"},
      {"wrong schema", "schema_version: 1", "schema_version: 2", "schema_version"},
      {"wrong kind", "kind: validation_case", "kind: case", "kind"},
      {"unclosed bracket", "precision: fp16}", "precision: fp16", "malformed YAML"},
      {"missing options flag", "dp_overlap: true, ", "", "options.dp_overlap"},
      {"flops_vocab with tokens/s", "achieved_tflops_per_gpu_eq3", "tokens_per_s_per_chip", "measured.flops_vocab"},
      {"recompute module not a bool", "flash_attention: false}", "flash_attention: false, recompute_mla_up: 1}",
       "options.recompute_mla_up"},
  };
  for (const BadCase& b : kBad) {
    ValidationSuite suite;
    const Status st = LoadText(Replace(kGoodCase, b.from, b.to), &suite);
    ASSERT_FALSE(st.ok()) << b.name;
    EXPECT_NE(st.message().find("cases/toy.yaml:"), std::string::npos) << b.name << ": " << st.message();
    EXPECT_NE(st.message().find(b.expect_in_message), std::string::npos) << b.name << ": " << st.message();
  }
}

TEST(ValidationLoadTest, TokensPerChipMetricAndRecomputeModules) {
  std::string text = Replace(kGoodCase, "achieved_tflops_per_gpu_eq3", "tokens_per_s_per_chip");
  text = Replace(text, "  flops_vocab: 51200\n", "");
  text = Replace(text, "flash_attention: false}",
                 "flash_attention: false, recompute_norms: true, recompute_mla_up: true, recompute_moe_act: false}");
  ValidationSuite suite;
  const Status st = LoadText(text, &suite);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const TrainCase& c = suite.cases.at(0);
  EXPECT_EQ(c.metric, ValidationMetric::kTrainTokensPerSPerChip);
  EXPECT_EQ(c.group(), ValidationGroup::kTraining);
  EXPECT_STREQ(ValidationMetricName(c.metric), "tokens_per_s_per_chip");
  EXPECT_TRUE(c.options.recompute_norms);
  EXPECT_TRUE(c.options.recompute_mla_up);
  EXPECT_FALSE(c.options.recompute_moe_act);
}

TEST(ValidationLoadTest, UnknownKeySuggestsTheRightOne) {
  ValidationSuite suite;
  const Status st = LoadText(Replace(kGoodCase, "tp: 1,", "tpp: 1,"), &suite);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'tp'"), std::string::npos) << st.message();
  // plan: is on line 13 of the text.
  EXPECT_NE(st.message().find("toy.yaml:13:"), std::string::npos) << st.message();
}

TEST(ValidationLoadTest, EmptyAndNonMappingDocumentsFail) {
  ValidationSuite suite;
  EXPECT_FALSE(LoadText("", &suite).ok());
  EXPECT_FALSE(LoadText("- a\n- b\n", &suite).ok());
  EXPECT_FALSE(LoadText("schema_version: 1\nkind: validation_case\nid: X Y\n", &suite).ok());
}

TEST(ValidationLoadTest, DuplicateIdsInADirectoryFail) {
  const auto dir = std::filesystem::temp_directory_path() / "xpusim_validation_dup_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << kGoodCase;
  std::ofstream(dir / "b.yaml") << kGoodCase;
  Result<ValidationSuite> r = LoadValidationSuite(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("toy-case"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("a.yaml"), std::string::npos) << r.status().message();
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(LoadValidationSuite(dir).ok());  // missing directory
}

TEST(ValidationLoadTest, CalibrationSetReadsItsMeasurementFile) {
  const auto dir = std::filesystem::temp_directory_path() / "xpusim_validation_calib_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "m");
  std::ofstream(dir / "m" / "gemm.json")
      << R"([{"M": 4096, "N": 4096, "K": 4096, "dtype": "bf16", "s": 0.0002},
             {"M": 8, "N": 8, "K": 8, "dtype": "fp8_e4m3", "s": 0.00001},
             {"M": 1, "N": 1024, "K": 1024, "dtype": "bf16", "s": 0.00003}])";
  std::ofstream(dir / "set.yaml") << R"(schema_version: 1
kind: calibration_set
id: toy-gemm
source: {title: "bench", url: "file://x", locator: "gemm.json"}
chip: h100-sxm
metric: gemm_time_s
precision: bf16
measurements: [missing/gemm.json, m/gemm.json]
)";
  Result<ValidationSuite> r = LoadValidationSuite(dir);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->calibration.size(), 1u);
  const CalibrationSet& s = r->calibration[0];
  ASSERT_EQ(s.points.size(), 2u);  // the fp8 record is skipped
  EXPECT_EQ(s.points[0].gemm.m, 4096);
  EXPECT_DOUBLE_EQ(s.points[1].measured_s, 0.00003);
  EXPECT_EQ(s.points[1].label, "M=1 N=1024 K=1024");

  std::ofstream(dir / "set.yaml") << R"(schema_version: 1
kind: calibration_set
id: toy-gemm
source: {title: "bench", url: "file://x", locator: "gemm.json"}
chip: h100-sxm
metric: gemm_time_s
precision: bf16
measurements: [missing/gemm.json]
)";
  r = LoadValidationSuite(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("missing/gemm.json"), std::string::npos) << r.status().message();
  std::filesystem::remove_all(dir);
}

// The project's own cases: every file loads, and the published points are all there.
TEST(ValidationLoadTest, ShippedCasesLoad) {
  Result<ValidationSuite> r = LoadValidationSuite(std::filesystem::path(XPUSIM_SOURCE_DATA_DIR) / "validation");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> ids;
  int layer = 0;
  for (const TrainCase& c : r->cases) {
    ids.insert(c.id);
    if (c.group() == ValidationGroup::kLayer) ++layer;
    EXPECT_FALSE(c.source.url.empty()) << c.id;
    EXPECT_FALSE(c.source.quote.empty()) << c.id;
  }
  EXPECT_EQ(r->cases.size(), 17u);
  EXPECT_EQ(layer, 3);
  for (const char* id : {"megatron2021-t1-1p7b", "megatron2021-t1-1008b", "opt-175b-992gpu",
                         "bloom-176b-384gpu", "gpt-neox-20b-96gpu", "deepseek-v3-pretrain-2048-h800",
                         "korthikanti2022-t4-22b-layer-full-recompute"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
  EXPECT_GE(r->calibration.size(), 3u);
  for (const CalibrationSet& s : r->calibration) EXPECT_GE(s.points.size(), 5u) << s.id;
}

// A predictor with canned answers.
class FakePredictor : public ValidationPredictor {
 public:
  Result<Model> CaseModel(const TrainCase& c) const override {
    if (c.model_id == "unknown") return Status::NotFound("unknown model 'unknown'");
    Model m;
    m.layers = 24;
    m.hidden = 2304;
    m.vocab = 51200;
    m.activation = Activation::kGelu;
    return m;
  }
  Result<TrainResult> PredictTrain(const TrainCase& c) const override {
    TrainResult r;
    // 1.5466830067924994e16 FLOPs / (32 * 137e12) = 3.52802 s gives exactly
    // 137; 10% faster gives +11.1%.
    r.step_time_s = 1.5466830067924994e16 / (32 * 137e12) / 1.1;
    r.layer_forward_s = 0.008;
    r.layer_backward_s = 0.012;  // 20 ms
    return r;
  }
  Result<std::vector<double>> PredictCalibration(const CalibrationSet& s) const override {
    std::vector<double> out;
    for (const auto& p : s.points) out.push_back(p.measured_s * 1.2);  // +20% each
    return out;
  }
};

TEST(ValidationRunTest, ErrorsAndMapePerGroup) {
  ValidationSuite suite;
  ASSERT_TRUE(LoadText(kGoodCase, &suite).ok());
  TrainCase failing = suite.cases[0];
  failing.id = "failing";
  failing.model_id = "unknown";
  suite.cases.push_back(failing);
  TrainCase layer = suite.cases[0];
  layer.id = "layer";
  layer.metric = ValidationMetric::kLayerFwdBwdMs;
  layer.measured = 25;  // predicted 20 -> -20%
  suite.cases.push_back(layer);
  CalibrationSet set;
  set.id = "calib";
  set.metric = ValidationMetric::kGemmTimeS;
  set.points.resize(3);
  set.points[0].measured_s = 1e-3;
  set.points[1].measured_s = 2e-3;
  set.points[2].measured_s = 4e-3;
  suite.calibration.push_back(set);

  ValidationReport rep = RunValidation(suite, FakePredictor());
  ASSERT_EQ(rep.outcomes.size(), 4u);
  EXPECT_EQ(rep.outcomes[0].id, "toy-case");
  EXPECT_NEAR(rep.outcomes[0].predicted, 150.7, 1e-9);
  EXPECT_NEAR(rep.outcomes[0].error_pct, 10.0, 1e-9);
  EXPECT_EQ(rep.outcomes[1].id, "failing");
  EXPECT_FALSE(rep.outcomes[1].ok());
  EXPECT_TRUE(std::isnan(rep.outcomes[1].predicted));
  EXPECT_EQ(rep.outcomes[2].id, "layer");
  EXPECT_NEAR(rep.outcomes[2].error_pct, -20.0, 1e-9);
  EXPECT_EQ(rep.outcomes[3].points, 3);
  EXPECT_NEAR(rep.outcomes[3].median_abs_error_pct, 20.0, 1e-9);
  EXPECT_NEAR(rep.outcomes[3].max_abs_error_pct, 20.0, 1e-9);

  EXPECT_EQ(rep.groups["training"].cases, 1);
  EXPECT_EQ(rep.groups["training"].failed, 1);
  EXPECT_NEAR(rep.groups["training"].mape_pct, 10.0, 1e-9);
  EXPECT_NEAR(rep.groups["layer"].mape_pct, 20.0, 1e-9);
  EXPECT_EQ(rep.groups["calibration"].cases, 3);
  EXPECT_NEAR(rep.groups["calibration"].mape_pct, 20.0, 1e-9);

  nlohmann::json j = ValidationReportToJson(rep);
  ASSERT_EQ(j["cases"].size(), 3u);
  EXPECT_EQ(j["cases"][0]["metric"], "achieved_tflops_per_gpu_eq3");
  EXPECT_NEAR(j["cases"][0]["error_pct"].get<double>(), 10.0, 1e-9);
  EXPECT_TRUE(j["cases"][1]["predicted"].is_null());
  EXPECT_TRUE(j["cases"][1]["error"].is_string());
  EXPECT_NEAR(j["mape"]["layer"].get<double>(), 20.0, 1e-9);
  EXPECT_EQ(j["calibration"][0]["points"], 3);
}

TEST(ValidationRunTest, StatisticsHelpers) {
  EXPECT_DOUBLE_EQ(MedianAbs({-3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(MedianAbs({-4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(MeanAbs({-4, 2}), 3);
  EXPECT_TRUE(std::isnan(MeanAbs({})));
  EXPECT_DOUBLE_EQ(ErrorPct(110, 100), 10);
}

}  // namespace
}  // namespace xpusim
