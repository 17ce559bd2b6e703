// The catalog: every chip, system and model under a data directory, loaded
// and validated once, then read-only (safe to share between threads).
//
// Lookups are case-insensitive, accept documented aliases ("H100", "910C"),
// and return NotFound with a did-you-mean suggestion for unknown ids.
#ifndef XPUSIM_CATALOG_H_
#define XPUSIM_CATALOG_H_

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xpusim/export_rules.h"
#include "xpusim/hardware.h"
#include "xpusim/model.h"
#include "xpusim/status.h"

namespace xpusim {

class Catalog {
 public:
  // Loads data_dir/{chips,systems,models,rules}/*.yaml. Fails on the first
  // invalid file with a message naming file, line and field.
  static Result<Catalog> Load(const std::filesystem::path& data_dir);

  // The data directory to use when none is given: $XPUSIM_DATA_DIR, then
  // the source tree's data/ (compiled in), then <exe>/../share/xpusim/data.
  static std::filesystem::path DefaultDataDir();

  const std::vector<Chip>& chips() const { return chips_; }
  const std::vector<System>& systems() const { return systems_; }
  const std::vector<Model>& models() const { return models_; }
  const ExportRules& rules() const { return rules_; }

  Result<const Chip*> FindChip(std::string_view id_or_alias) const;
  Result<const System*> FindSystem(std::string_view id_or_alias) const;
  Result<const Model*> FindModel(std::string_view id_or_alias) const;

  // --chip / --system / --model arguments: an id or alias, or a path to a
  // YAML file (and for models, a Hugging Face config.json).
  Result<Chip> ResolveChip(std::string_view arg) const;
  Result<System> ResolveSystem(std::string_view arg) const;
  Result<Model> ResolveModel(std::string_view arg) const;

  // The chip a system is built from. REQUIRES: system was validated by this catalog.
  const Chip& ChipOf(const System& system) const;

  // The directory this catalog was loaded from (calibration data lives
  // under data_dir()/calibration).
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::filesystem::path data_dir_;
  std::vector<Chip> chips_;
  std::vector<System> systems_;
  std::vector<Model> models_;
  ExportRules rules_;
};

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_H_
