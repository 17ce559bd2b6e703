// System data files (data/systems/*.yaml, kind: system) -> validated System.
// Checks that need other files (the chip exists, scale-up domain vs the
// chip's limit) are done by the Catalog, which sees every file.
#ifndef XPUSIM_CATALOG_SYSTEM_LOADER_H_
#define XPUSIM_CATALOG_SYSTEM_LOADER_H_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "xpusim/hardware.h"
#include "xpusim/status.h"

namespace xpusim {

// Single-file validation. The result is not usable until LinkSystem passed.
Result<System> ParseSystem(const YAML::Node& root, const std::string& file);

// Cross-file checks against the loaded chips: `chip` names a known chip (id
// or alias, stored as the id), the scale-up domain fits the chip's limit,
// and a system without `availability` takes its chip's. `root` is the
// system's parsed document (for line numbers).
Status LinkSystem(const std::vector<Chip>& chips, const YAML::Node& root, System* s);

// Parses, validates and links a system file.
Result<System> LoadSystemFile(const std::filesystem::path& path, const std::vector<Chip>& chips);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_SYSTEM_LOADER_H_
