// The real ValidationPredictor: catalog + TrainEvaluator + ChipCostModel.
// Kept apart from validation.cc so tests of the harness link without the models.

#include "plan/validation.h"

namespace xpusim {
namespace {

class CatalogPredictor final : public ValidationPredictor {
 public:
  CatalogPredictor(const Catalog& catalog, std::filesystem::path calibration_dir)
      : catalog_(catalog), calibration_dir_(std::move(calibration_dir)) {}

  Result<Model> CaseModel(const TrainCase& c) const override {
    XPU_ASSIGN_OR_RETURN(const Model* m, catalog_.FindModel(c.model_id));
    return *m;
  }

  Result<TrainResult> PredictTrain(const TrainCase& c) const override {
    XPU_ASSIGN_OR_RETURN(const Model* m, catalog_.FindModel(c.model_id));
    XPU_ASSIGN_OR_RETURN(const System* s, catalog_.FindSystem(c.system_id));
    // TrainWorkload models bf16 and fp8 GEMMs. An fp16 mixed-precision run
    // (Megatron 2021, OPT, GPT-NeoX) is evaluated as bf16: same element size
    // and the same tensor-core rate on the chips these cases use (A100).
    TrainWorkload w = c.workload;
    if (w.precision == Precision::kFp16) w.precision = Precision::kBf16;
    XPU_ASSIGN_OR_RETURN(TrainEvaluator ev, TrainEvaluator::Create(catalog_, *m, *s, c.chips, w, c.options));
    return ev.Evaluate(c.plan);
  }

  Result<double> PredictServe(const ServeCase& c) const override { return PredictServeCase(catalog_, c); }

  Result<std::vector<double>> PredictCalibration(const CalibrationSet& set) const override {
    XPU_ASSIGN_OR_RETURN(const Chip* chip, catalog_.FindChip(set.chip_id));
    XPU_ASSIGN_OR_RETURN(ChipCostModel cost, ChipCostModel::Create(*chip, calibration_dir_));
    std::vector<double> out;
    out.reserve(set.points.size());
    for (const CalibrationPoint& p : set.points) {
      switch (set.metric) {
        case ValidationMetric::kGemmTimeS:
          out.push_back(cost.GemmTimeS(p.gemm, set.precision));
          break;
        case ValidationMetric::kAttentionFwdS:
          out.push_back(cost.AttentionForwardTimeS(p.attn, set.precision));
          break;
        case ValidationMetric::kAttentionFwdBwdS:
          out.push_back(cost.AttentionForwardTimeS(p.attn, set.precision) +
                        cost.AttentionBackwardTimeS(p.attn, set.precision));
          break;
        default:
          return Status::Internal("calibration set '" + set.id + "' has a training metric");
      }
    }
    return out;
  }

 private:
  const Catalog& catalog_;
  std::filesystem::path calibration_dir_;
};

Status CheckId(const std::string& file, const char* field, const std::string& id,
               const Status& lookup) {
  if (lookup.ok()) return Status::Ok();
  return Status(lookup.code(), file + ": field '" + field + "': " + lookup.message() +
                                   " (the case names '" + id + "'; use a catalog id)");
}

}  // namespace

std::unique_ptr<ValidationPredictor> MakeCatalogPredictor(
    const Catalog& catalog, const std::filesystem::path& calibration_dir) {
  return std::make_unique<CatalogPredictor>(catalog, calibration_dir);
}

Status CheckSuiteAgainstCatalog(const ValidationSuite& suite, const Catalog& catalog) {
  for (const TrainCase& c : suite.cases) {
    XPU_RETURN_IF_ERROR(CheckId(c.file, "model", c.model_id, catalog.FindModel(c.model_id).status()));
    XPU_RETURN_IF_ERROR(CheckId(c.file, "system", c.system_id, catalog.FindSystem(c.system_id).status()));
  }
  for (const CalibrationSet& s : suite.calibration) {
    XPU_RETURN_IF_ERROR(CheckId(s.file, "chip", s.chip_id, catalog.FindChip(s.chip_id).status()));
  }
  for (const ServeCase& c : suite.serve_cases) {
    XPU_RETURN_IF_ERROR(CheckId(c.file, "model", c.model_id, catalog.FindModel(c.model_id).status()));
    XPU_RETURN_IF_ERROR(CheckId(c.file, "system", c.system_id, catalog.FindSystem(c.system_id).status()));
  }
  return Status::Ok();
}

}  // namespace xpusim
