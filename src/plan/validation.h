// Validation (DESIGN C11): re-predict measured runs and report the error.
//
// A validation directory (data/validation/) holds two kinds of YAML files,
// described in doc/validation.md:
//   kind: validation_case   one measured training run or layer benchmark
//                           (training and layer groups)
//   kind: calibration_set   a table of single-chip kernel measurements (GEMM,
//                           flash attention) re-predicted by ChipCostModel
//                           (calibration group)
//
//   XPU_ASSIGN_OR_RETURN(ValidationSuite suite, LoadValidationSuite(dir));
//   auto predictor = MakeCatalogPredictor(catalog, calibration_dir);
//   ValidationReport report = RunValidation(suite, *predictor);
//
// Loading is strict: an unknown key, a missing field, a wrong type or an
// inconsistent plan is an error naming the file, line and field. Predicting
// never fails as a whole: a case the model cannot evaluate is reported with
// its error message and left out of the MAPE.
//
// The Predictor interface is the seam between the validation harness and
// the models; tests use a fake one.
#ifndef XPUSIM_PLAN_VALIDATION_H_
#define XPUSIM_PLAN_VALIDATION_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cost/chip_cost.h"
#include "xpusim/catalog.h"
#include "xpusim/model.h"
#include "xpusim/precision.h"
#include "xpusim/serve.h"
#include "xpusim/status.h"
#include "xpusim/train.h"

namespace xpusim {

// What a measurement was and how the reporting code counted it. The
// formulas are in validation_metrics.h and doc/validation.md.
enum class ValidationMetric {
  kTflopsEq3,           // achieved_tflops_per_gpu_eq3 (Megatron 2021 Eq. 3)
  kTflopsBloom,         // achieved_tflops_per_gpu_bloom (Megatron-DeepSpeed log)
  kTflopsNeox,          // achieved_tflops_per_gpu_neox (GPT-NeoX megatron/logging.py)
  kTrainTokensPerSPerChip,  // tokens_per_s_per_chip (training tokens per second per chip)
  kLayerFwdBwdMs,       // layer_forward_plus_backward_ms (Korthikanti 2022 Table 4)
  kGemmTimeS,           // gemm_time_s (one GEMM on one chip)
  kAttentionFwdS,       // attention_forward_s (one flash-attention forward)
  kAttentionFwdBwdS,    // attention_forward_backward_s
  // Serving (kind: serving_case; validation_serve.cc):
  kServeOutputTps,         // output_tokens_per_s (whole deployment)
  kServeOutputTpsPerChip,  // output_tokens_per_s_per_chip
  kServeOutputTpsPerNode,  // output_tokens_per_s_per_node (x the system's chips per node)
  kServeInputTpsPerChip,   // input_tokens_per_s_per_chip (prompt tokens while prefilling)
  kServeInputTpsPerNode,   // input_tokens_per_s_per_node
};
const char* ValidationMetricName(ValidationMetric m);

// The MAPE groups: whole training runs, single-layer benchmarks, kernels.
enum class ValidationGroup { kTraining, kLayer, kCalibration, kServing };
const char* ValidationGroupName(ValidationGroup g);

struct CaseSource {
  std::string title, url, locator, quote;
};

// One measured training run (or one-layer benchmark), as the file states it.
struct TrainCase {
  std::string id;
  std::string file;
  CaseSource source;
  std::string framework;  // software stack that produced the number (free text)
  std::string model_id;
  std::string system_id;
  int64_t chips = 0;
  ParallelPlan plan;
  TrainWorkload workload;
  TrainOptions options;
  ValidationMetric metric = ValidationMetric::kTflopsEq3;
  double measured = 0;
  std::string unit;
  std::string definition;
  // Vocabulary size the reporting code put into its FLOP formula (Megatron's
  // padded vocabulary); unset: the catalog model's vocab.
  std::optional<int64_t> flops_vocab;
  std::vector<std::string> assumptions;

  ValidationGroup group() const;
};

// One kernel measurement of a calibration set.
struct CalibrationPoint {
  std::string label;    // "M=4096 N=4096 K=4096" / "B=1 S=2048 H=32 D=128"
  GemmShape gemm;       // for kGemmTimeS
  AttentionShape attn;  // for the attention metrics
  double measured_s = 0;
};

struct CalibrationSet {
  std::string id;
  std::string file;
  CaseSource source;
  std::string chip_id;
  Precision precision = Precision::kBf16;
  ValidationMetric metric = ValidationMetric::kGemmTimeS;
  std::filesystem::path measurements;  // the JSON file actually read
  std::vector<CalibrationPoint> points;
  std::vector<std::string> assumptions;
};

// One measured serving run (kind: serving_case), as the file states it.
struct ServeCase {
  std::string id;
  std::string file;
  CaseSource source;
  std::string framework;
  std::string model_id;
  std::string system_id;
  int64_t chips = 0;
  ServeDeployment deployment;
  ServeWorkload workload;        // batch 0: the largest that fits (and meets tpot_slo_ms)
  int64_t max_batch = 0;         // runtime cap on the batch (0: none)
  double tpot_slo_ms = 0;        // with batch 0: largest batch meeting it
  ServeOptions options;
  ValidationMetric metric = ValidationMetric::kServeOutputTps;
  double measured = 0;
  std::string unit;
  std::string definition;
  std::vector<std::string> assumptions;
};

struct ValidationSuite {
  std::vector<TrainCase> cases;           // sorted by id
  std::vector<CalibrationSet> calibration;  // sorted by id
  std::vector<ServeCase> serve_cases;     // sorted by id
};

// Loads every *.yaml under `dir` (recursively, in path order). Fails on the
// first bad file, and on duplicate ids.
Result<ValidationSuite> LoadValidationSuite(const std::filesystem::path& dir);
// One file (either kind), appended to *suite.
Status LoadValidationFile(const std::filesystem::path& file, ValidationSuite* suite);
// Parses YAML text; `origin` names it in messages. For tests and fuzzing.
Status LoadValidationText(const std::string& text, const std::string& origin,
                          ValidationSuite* suite);

// How the harness obtains predictions.
class ValidationPredictor {
 public:
  virtual ~ValidationPredictor() = default;
  // The architecture the case names (for the FLOP formulas).
  virtual Result<Model> CaseModel(const TrainCase& c) const = 0;
  virtual Result<TrainResult> PredictTrain(const TrainCase& c) const = 0;
  // Predicted seconds for each point of the set, in order.
  virtual Result<std::vector<double>> PredictCalibration(const CalibrationSet& s) const = 0;
  // The case's metric as predicted by the serving model.
  virtual Result<double> PredictServe(const ServeCase& c) const {
    return Status::Precondition("this predictor has no serving model (case '" + c.id + "')");
  }
};

// The serving prediction of a case's metric (validation_serve.cc).
Result<double> PredictServeCase(const Catalog& catalog, const ServeCase& c);

// The real predictor: catalog lookups, TrainEvaluator, ChipCostModel built
// with calibration data from `calibration_dir` (data/calibration).
// REQUIRES: catalog outlives the predictor.
std::unique_ptr<ValidationPredictor> MakeCatalogPredictor(
    const Catalog& catalog, const std::filesystem::path& calibration_dir);

// Checks that every model/system/chip id a suite names is in the catalog;
// the message names the case file and field, with a did-you-mean.
Status CheckSuiteAgainstCatalog(const ValidationSuite& suite, const Catalog& catalog);

struct CaseOutcome {
  std::string id;
  std::string file;
  ValidationGroup group = ValidationGroup::kTraining;
  ValidationMetric metric = ValidationMetric::kTflopsEq3;
  std::string unit;
  double measured = 0;
  double predicted = 0;  // NaN when `error` is set
  double error_pct = 0;  // 100 * (predicted - measured) / measured; NaN on error
  std::string error;     // why no prediction (empty when predicted)
  // Calibration sets only (one outcome per set): per-point statistics.
  int points = 0;
  double median_abs_error_pct = 0;
  double max_abs_error_pct = 0;
  std::vector<double> point_error_pct;
  std::vector<std::string> point_labels;
  bool ok() const { return error.empty(); }
};

struct GroupStats {
  int cases = 0;         // outcomes with a prediction (calibration: points)
  int failed = 0;        // outcomes without one
  double mape_pct = 0;   // mean |error_pct| (NaN when cases == 0)
  double max_abs_error_pct = 0;
};

struct ValidationReport {
  std::vector<CaseOutcome> outcomes;  // cases, then calibration sets
  std::map<std::string, GroupStats> groups;  // by ValidationGroupName
};

ValidationReport RunValidation(const ValidationSuite& suite, const ValidationPredictor& predictor);

// {cases: [...], calibration: [...], mape: {training: x, ...}, groups: {...}}
nlohmann::json ValidationReportToJson(const ValidationReport& report);

// Statistics helpers (exposed for tests).
double MeanAbs(const std::vector<double>& v);    // NaN for empty
double MedianAbs(const std::vector<double>& v);  // NaN for empty
double ErrorPct(double predicted, double measured);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_VALIDATION_H_
