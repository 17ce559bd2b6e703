// Chip data files (data/chips/*.yaml, kind: chip) -> validated Chip.
// The format is documented by data/chips/h100-sxm.yaml; every rule enforced
// here is listed in chip_loader.cc next to the field it applies to.
#ifndef XPUSIM_CATALOG_CHIP_LOADER_H_
#define XPUSIM_CATALOG_CHIP_LOADER_H_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "xpusim/hardware.h"
#include "xpusim/status.h"

namespace xpusim {

// Validates a parsed document; `file` names it in messages and in Chip::file.
Result<Chip> ParseChip(const YAML::Node& root, const std::string& file);
Result<Chip> LoadChipFile(const std::filesystem::path& path);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_CHIP_LOADER_H_
