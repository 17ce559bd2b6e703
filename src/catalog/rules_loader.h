// Export-rule data files (data/rules/*.yaml, kind: export_rules) ->
// validated ExportRules. Chip ids named by events are checked by the Catalog.
#ifndef XPUSIM_CATALOG_RULES_LOADER_H_
#define XPUSIM_CATALOG_RULES_LOADER_H_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "xpusim/export_rules.h"
#include "xpusim/status.h"

namespace xpusim {

Result<ExportRules> ParseRules(const YAML::Node& root, const std::string& file);
Result<ExportRules> LoadRulesFile(const std::filesystem::path& path);

// True for an ISO date YYYY-MM-DD with a plausible month and day.
bool IsIsoDate(const std::string& s);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_RULES_LOADER_H_
