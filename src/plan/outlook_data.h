// The outlook data file (data/outlook/outlook.yaml, format in doc/outlook.md):
// per ecosystem, the systems that can be bought from which year, roadmap
// chips, and shipments (units per year per chip) with sources, plus the
// lifetime of installed chips and the growth used after the last data year.
//
// Loading checks every id against the catalog (did-you-mean on typos), that a
// supply line's chip is its system's chip, and that every chip used has a
// dense BF16 peak and a power (its TDP, or an entry of chip_power_w); errors
// name the file, line and field.
#ifndef XPUSIM_PLAN_OUTLOOK_DATA_H_
#define XPUSIM_PLAN_OUTLOOK_DATA_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "xpusim/catalog.h"
#include "xpusim/sourced.h"
#include "xpusim/status.h"

namespace xpusim {

// A system (or, in `roadmap`, a chip without a system) available from `year`.
struct OutlookAvailable {
  std::string system_id;  // empty for roadmap chips
  std::string chip_id;
  int year = 0;
  std::string source;
  Confidence confidence = Confidence::kEstimate;
};

struct OutlookSupply {
  int year = 0;
  std::string chip_id;
  std::string system_id;  // empty: no node overhead, default PUE
  SourcedValue units;     // packages shipped that year
  bool extrapolated = false;
};

struct OutlookEcosystem {
  std::string id, name;
  // Chip `ecosystem` values made at home (default: {id}); other chips are imports.
  std::vector<std::string> home;
  std::vector<OutlookAvailable> systems;
  std::vector<OutlookAvailable> roadmap;
  std::vector<OutlookSupply> supply;
  SourcedValue growth_per_year;  // shipments growth after the last supply year
};

struct OutlookData {
  std::string file;
  std::vector<Source> sources;
  SourcedValue lifetime_years;
  SourcedValue default_pue;
  std::vector<OutlookEcosystem> ecosystems;
  std::map<std::string, SourcedValue> chip_power_w;  // chips without a TDP

  const OutlookEcosystem* Find(std::string_view id) const;
};

Result<OutlookData> LoadOutlookFile(const std::filesystem::path& path, const Catalog& catalog);
// data_dir/outlook/outlook.yaml
std::filesystem::path DefaultOutlookFile(const Catalog& catalog);

}  // namespace xpusim

#endif  // XPUSIM_PLAN_OUTLOOK_DATA_H_
