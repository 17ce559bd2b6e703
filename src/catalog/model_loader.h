// Model data files (data/models/*.yaml, kind: model) -> validated Model.
// Format: doc/model_format.md. Field-level checks report the YAML line; the
// architecture is then checked as a whole by CheckModel (model_check.h),
// which the Hugging Face importer shares.
#ifndef XPUSIM_CATALOG_MODEL_LOADER_H_
#define XPUSIM_CATALOG_MODEL_LOADER_H_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "xpusim/model.h"
#include "xpusim/status.h"

namespace xpusim {

Result<Model> ParseModel(const YAML::Node& root, const std::string& file);
Result<Model> LoadModelFile(const std::filesystem::path& path);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_MODEL_LOADER_H_
