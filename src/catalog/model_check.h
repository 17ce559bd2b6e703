// Architecture checks shared by every way a Model is made (YAML, config.json).
#ifndef XPUSIM_CATALOG_MODEL_CHECK_H_
#define XPUSIM_CATALOG_MODEL_CHECK_H_

#include "xpusim/model.h"
#include "xpusim/status.h"

namespace xpusim {

// Positive sizes, heads divisible by kv_heads, top_k <= experts, MLA dims
// set together, sizes below absurd bounds. Messages name the field.
Status CheckModel(const Model& m);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_MODEL_CHECK_H_
