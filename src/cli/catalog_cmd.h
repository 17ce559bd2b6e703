// `xpusim catalog list|show|compare`: private pieces shared by
// catalog_cmd.cc (setup, list), catalog_show.cc and catalog_compare.cc.
#ifndef XPUSIM_CLI_CATALOG_CMD_H_
#define XPUSIM_CLI_CATALOG_CMD_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "report/catalog_json.h"
#include "xpusim/catalog.h"

namespace xpusim::cli {

// One catalog entry of any kind (exactly one pointer is set).
struct CatalogEntry {
  const Chip* chip = nullptr;
  const System* system = nullptr;
  const Model* model = nullptr;
  const char* kind() const { return chip ? "chip" : system ? "system" : "model"; }
  const std::string& id() const { return chip ? chip->id : system ? system->id : model->id; }
};

// Looks `id` up among chips, then systems, then (when `models`) models.
// Unknown ids give the NotFound message of the kind with the nearest id or
// alias, so a misspelt system suggests a system.
Result<CatalogEntry> FindEntry(const Catalog& catalog, std::string_view id, bool models);

// A chip's JSON with its computed export-control figures appended
// ("tpp", "performance_density", "export_screen").
report::Json ChipWithScreenJson(const Catalog& catalog, const Chip& chip);

// "TFLOPS", or "TOPS" for integer formats.
const char* ThroughputUnit(Precision p);

Result<std::string> CatalogList(Context& ctx, std::string kind);
Result<std::string> CatalogShow(Context& ctx, const std::string& id);
Result<std::string> CatalogCompare(Context& ctx, const std::vector<std::string>& ids);

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_CATALOG_CMD_H_
