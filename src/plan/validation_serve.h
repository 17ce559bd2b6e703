// Serving validation cases (kind: serving_case): the strict loader. The
// predictor is PredictServeCase (plan/validation.h). Format: doc/serving.md.
#ifndef XPUSIM_PLAN_VALIDATION_SERVE_H_
#define XPUSIM_PLAN_VALIDATION_SERVE_H_

#include <string>
#include <utility>
#include <vector>

#include "catalog/yaml_fields.h"
#include "plan/validation.h"

namespace xpusim {

Status ParseServeCase(const FieldReader& root, const std::string& id, ServeCase* c);

// Shared by the training and serving case parsers (validation_case.cc).
Status ReadSource(const FieldReader& root, CaseSource* out);
std::vector<std::pair<std::string, Precision>> PrecisionNames();

}  // namespace xpusim

#endif  // XPUSIM_PLAN_VALIDATION_SERVE_H_
