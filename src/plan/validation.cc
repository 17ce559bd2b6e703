// The validation harness: predictions vs measurements, error and MAPE.
#include "plan/validation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "plan/validation_metrics.h"

namespace xpusim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON has no NaN: unknown numbers are null.
nlohmann::json Num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

CaseOutcome RunTrainCase(const TrainCase& c, const ValidationPredictor& predictor) {
  CaseOutcome o;
  o.id = c.id;
  o.file = c.file;
  o.group = c.group();
  o.metric = c.metric;
  o.unit = c.unit;
  o.measured = c.measured;
  o.predicted = o.error_pct = kNaN;
  Result<Model> model = predictor.CaseModel(c);
  if (!model.ok()) {
    o.error = model.status().message();
    return o;
  }
  Result<TrainResult> r = predictor.PredictTrain(c);
  if (!r.ok()) {
    o.error = r.status().message();
    return o;
  }
  Result<double> v = MetricFromTrainResult(c, *model, *r);
  if (!v.ok()) {
    o.error = v.status().message();
    return o;
  }
  o.predicted = *v;
  o.error_pct = ErrorPct(o.predicted, o.measured);
  return o;
}

CaseOutcome RunCalibrationSet(const CalibrationSet& s, const ValidationPredictor& predictor) {
  CaseOutcome o;
  o.id = s.id;
  o.file = s.file;
  o.group = ValidationGroup::kCalibration;
  o.metric = s.metric;
  o.unit = "s";
  o.measured = o.predicted = o.error_pct = kNaN;
  o.median_abs_error_pct = o.max_abs_error_pct = kNaN;
  o.points = static_cast<int>(s.points.size());
  Result<std::vector<double>> pred = predictor.PredictCalibration(s);
  if (!pred.ok()) {
    o.error = pred.status().message();
    return o;
  }
  if (pred->size() != s.points.size()) {
    o.error = "predictor returned " + std::to_string(pred->size()) + " times for " +
              std::to_string(s.points.size()) + " points";
    return o;
  }
  double max_abs = 0;
  for (size_t i = 0; i < s.points.size(); ++i) {
    const double e = ErrorPct((*pred)[i], s.points[i].measured_s);
    o.point_error_pct.push_back(e);
    o.point_labels.push_back(s.points[i].label);
    max_abs = std::max(max_abs, std::abs(e));
  }
  o.median_abs_error_pct = MedianAbs(o.point_error_pct);
  o.max_abs_error_pct = max_abs;
  // The set's signed error: mean over points (sign shows a systematic bias).
  double sum = 0;
  for (double e : o.point_error_pct) sum += e;
  o.error_pct = sum / static_cast<double>(o.point_error_pct.size());
  return o;
}

CaseOutcome RunServeCase(const ServeCase& c, const ValidationPredictor& predictor) {
  CaseOutcome o;
  o.id = c.id;
  o.file = c.file;
  o.group = ValidationGroup::kServing;
  o.metric = c.metric;
  o.unit = c.unit;
  o.measured = c.measured;
  o.predicted = o.error_pct = kNaN;
  Result<double> v = predictor.PredictServe(c);
  if (!v.ok()) {
    o.error = v.status().message();
    return o;
  }
  o.predicted = *v;
  o.error_pct = ErrorPct(o.predicted, o.measured);
  return o;
}

}  // namespace

const char* ValidationMetricName(ValidationMetric m) {
  switch (m) {
    case ValidationMetric::kTflopsEq3: return "achieved_tflops_per_gpu_eq3";
    case ValidationMetric::kTflopsBloom: return "achieved_tflops_per_gpu_bloom";
    case ValidationMetric::kTflopsNeox: return "achieved_tflops_per_gpu_neox";
    case ValidationMetric::kTrainTokensPerSPerChip: return "tokens_per_s_per_chip";
    case ValidationMetric::kLayerFwdBwdMs: return "layer_forward_plus_backward_ms";
    case ValidationMetric::kGemmTimeS: return "gemm_time_s";
    case ValidationMetric::kAttentionFwdS: return "attention_forward_s";
    case ValidationMetric::kAttentionFwdBwdS: return "attention_forward_backward_s";
    case ValidationMetric::kServeOutputTps: return "output_tokens_per_s";
    case ValidationMetric::kServeOutputTpsPerChip: return "output_tokens_per_s_per_chip";
    case ValidationMetric::kServeOutputTpsPerNode: return "output_tokens_per_s_per_node";
    case ValidationMetric::kServeInputTpsPerChip: return "input_tokens_per_s_per_chip";
    case ValidationMetric::kServeInputTpsPerNode: return "input_tokens_per_s_per_node";
  }
  return "?";
}

const char* ValidationGroupName(ValidationGroup g) {
  switch (g) {
    case ValidationGroup::kTraining: return "training";
    case ValidationGroup::kLayer: return "layer";
    case ValidationGroup::kCalibration: return "calibration";
    case ValidationGroup::kServing: return "serving";
  }
  return "?";
}

ValidationGroup TrainCase::group() const {
  return metric == ValidationMetric::kLayerFwdBwdMs ? ValidationGroup::kLayer
                                                    : ValidationGroup::kTraining;
}

double ErrorPct(double predicted, double measured) {
  return 100.0 * (predicted - measured) / measured;
}

double MeanAbs(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0;
  for (double x : v) s += std::abs(x);
  return s / static_cast<double>(v.size());
}

double MedianAbs(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  std::vector<double> a;
  a.reserve(v.size());
  for (double x : v) a.push_back(std::abs(x));
  std::sort(a.begin(), a.end());
  const size_t n = a.size();
  return n % 2 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

ValidationReport RunValidation(const ValidationSuite& suite, const ValidationPredictor& predictor) {
  ValidationReport report;
  // Training cases first, then layer cases, then calibration sets.
  for (ValidationGroup g : {ValidationGroup::kTraining, ValidationGroup::kLayer}) {
    for (const TrainCase& c : suite.cases) {
      if (c.group() == g) report.outcomes.push_back(RunTrainCase(c, predictor));
    }
  }
  for (const ServeCase& c : suite.serve_cases) report.outcomes.push_back(RunServeCase(c, predictor));
  for (const CalibrationSet& s : suite.calibration) {
    report.outcomes.push_back(RunCalibrationSet(s, predictor));
  }

  std::map<std::string, std::vector<double>> errors;
  for (const CaseOutcome& o : report.outcomes) {
    const std::string g = ValidationGroupName(o.group);
    GroupStats& st = report.groups[g];
    std::vector<double>& e = errors[g];
    if (!o.ok()) {
      ++st.failed;
    } else if (o.group == ValidationGroup::kCalibration) {
      e.insert(e.end(), o.point_error_pct.begin(), o.point_error_pct.end());
    } else {
      e.push_back(o.error_pct);
    }
  }
  for (auto& [g, st] : report.groups) {
    const std::vector<double>& e = errors[g];
    st.cases = static_cast<int>(e.size());
    st.mape_pct = MeanAbs(e);
    st.max_abs_error_pct = kNaN;
    for (double x : e) {
      st.max_abs_error_pct = std::isnan(st.max_abs_error_pct) ? std::abs(x)
                                                              : std::max(st.max_abs_error_pct, std::abs(x));
    }
  }
  return report;
}

nlohmann::json ValidationReportToJson(const ValidationReport& report) {
  nlohmann::json cases = nlohmann::json::array();
  nlohmann::json calibration = nlohmann::json::array();
  for (const CaseOutcome& o : report.outcomes) {
    nlohmann::json j = {{"id", o.id},
                        {"group", ValidationGroupName(o.group)},
                        {"metric", ValidationMetricName(o.metric)},
                        {"unit", o.unit},
                        {"file", o.file}};
    if (o.group == ValidationGroup::kCalibration) {
      j["points"] = o.points;
      j["mean_error_pct"] = Num(o.error_pct);
      j["mape_pct"] = Num(MeanAbs(o.point_error_pct));
      j["median_abs_error_pct"] = Num(o.median_abs_error_pct);
      j["max_abs_error_pct"] = Num(o.max_abs_error_pct);
      nlohmann::json pts = nlohmann::json::array();
      for (size_t i = 0; i < o.point_error_pct.size(); ++i) {
        pts.push_back({{"shape", o.point_labels[i]}, {"error_pct", Num(o.point_error_pct[i])}});
      }
      j["point_errors"] = std::move(pts);
    } else {
      j["measured"] = Num(o.measured);
      j["predicted"] = Num(o.predicted);
      j["error_pct"] = Num(o.error_pct);
    }
    j["error"] = o.ok() ? nlohmann::json(nullptr) : nlohmann::json(o.error);
    (o.group == ValidationGroup::kCalibration ? calibration : cases).push_back(std::move(j));
  }
  nlohmann::json mape = nlohmann::json::object();
  nlohmann::json groups = nlohmann::json::object();
  for (const auto& [g, st] : report.groups) {
    mape[g] = Num(st.mape_pct);
    groups[g] = {{"cases", st.cases},
                 {"failed", st.failed},
                 {"mape_pct", Num(st.mape_pct)},
                 {"max_abs_error_pct", Num(st.max_abs_error_pct)}};
  }
  return {{"cases", std::move(cases)},
          {"calibration", std::move(calibration)},
          {"mape", std::move(mape)},
          {"groups", std::move(groups)}};
}

}  // namespace xpusim
