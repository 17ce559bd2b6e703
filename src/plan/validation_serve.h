// Serving validation cases (kind: serving_case): the strict loader. The
// predictor is PredictServeCase (plan/validation.h). Format: doc/serving.md.
#ifndef XPUSIM_PLAN_VALIDATION_SERVE_H_
#define XPUSIM_PLAN_VALIDATION_SERVE_H_

#include <string>

#include "catalog/yaml_fields.h"
#include "plan/validation.h"

namespace xpusim {

Status ParseServeCase(const FieldReader& root, const std::string& id, ServeCase* c);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_VALIDATION_SERVE_H_
