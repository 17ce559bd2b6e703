// Catalog::Load: every file under data_dir/{chips,systems,models,rules},
// each parsed and validated on its own (the *_loader files), then the checks
// that need several files: unique ids and aliases, systems naming known
// chips, rule events naming known chips.
#include "xpusim/catalog.h"

#include <algorithm>
#include <map>
#include <system_error>
#include <type_traits>

#include "catalog/chip_loader.h"
#include "catalog/model_loader.h"
#include "catalog/rules_loader.h"
#include "catalog/system_loader.h"
#include "catalog/yaml_fields.h"
#include "core/suggest.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;

// *.yaml / *.yml files of a folder, sorted by name so loading (and the
// first error reported) does not depend on the file system's order.
Result<std::vector<fs::path>> YamlFiles(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("data folder '" + dir.string() +
                            "' does not exist; point --data-dir or XPUSIM_DATA_DIR at a folder "
                            "holding chips/, systems/, models/ and rules/");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  if (ec) return Status::NotFound("cannot list '" + dir.string() + "': " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

int KeyLine(const YAML::Node& root, const char* key) {
  const YAML::Node v = root[key];
  return v.IsDefined() ? LineOf(v) : 0;
}

// Lowercase ids and aliases of one kind -> the file that claimed them.
class NameTable {
 public:
  explicit NameTable(std::string kind) : kind_(std::move(kind)) {}
  Status Claim(const std::string& name, bool is_alias, const std::string& file, int line) {
    auto [it, inserted] = owners_.emplace(name, file);
    if (inserted) return Status::Ok();
    return Status::Invalid(Where(file, line) + (is_alias ? "alias '" : "id '") + name +
                           "' is already used by " + kind_ + " file " + it->second +
                           "; ids and aliases must be unique");
  }
  template <typename T>
  Status ClaimAll(const T& item, const YAML::Node& root) {
    XPU_RETURN_IF_ERROR(Claim(item.id, false, item.file, KeyLine(root, "id")));
    for (const auto& a : item.aliases) {
      XPU_RETURN_IF_ERROR(Claim(a, true, item.file, KeyLine(root, "aliases")));
    }
    return Status::Ok();
  }

 private:
  std::string kind_;
  std::map<std::string, std::string> owners_;
};

// Parses every file of `folder` with `parse(root, file)` -> Result<T>.
template <typename T, typename Parse>
Status LoadFolder(const fs::path& dir, Parse parse, NameTable* names, std::vector<T>* out,
                  std::vector<YAML::Node>* roots) {
  XPU_ASSIGN_OR_RETURN(std::vector<fs::path> files, YamlFiles(dir));
  for (const auto& f : files) {
    XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(f));
    XPU_ASSIGN_OR_RETURN(T item, CatchYaml(f.string(), [&] { return parse(root, f.string()); }));
    if constexpr (!std::is_same_v<T, ExportRules>) {
      if (names) XPU_RETURN_IF_ERROR(names->ClaimAll(item, root));
    }
    out->push_back(std::move(item));
    if (roots) roots->push_back(root);
  }
  return Status::Ok();
}

const Chip* FindChipIn(const std::vector<Chip>& chips, const std::string& name) {
  const std::string low = ToLower(name);
  for (const auto& c : chips) {
    if (c.id == low) return &c;
    for (const auto& a : c.aliases)
      if (a == low) return &c;
  }
  return nullptr;
}

std::vector<std::string> ChipIds(const std::vector<Chip>& chips) {
  std::vector<std::string> ids;
  for (const auto& c : chips) ids.push_back(c.id);
  return ids;
}

}  // namespace

Result<Catalog> Catalog::Load(const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    return Status::NotFound("data directory '" + data_dir.string() +
                            "' does not exist; pass --data-dir or set XPUSIM_DATA_DIR");
  }
  Catalog cat;
  cat.data_dir_ = data_dir;
  NameTable chip_names("chip"), system_names("system"), model_names("model");
  XPU_RETURN_IF_ERROR(LoadFolder<Chip>(data_dir / "chips", ParseChip, &chip_names, &cat.chips_,
                                       nullptr));

  std::vector<YAML::Node> system_roots;
  XPU_RETURN_IF_ERROR(LoadFolder<System>(
      data_dir / "systems",
      ParseSystem,
      &system_names, &cat.systems_, &system_roots));
  for (size_t i = 0; i < cat.systems_.size(); ++i) {
    XPU_RETURN_IF_ERROR(CatchYaml(cat.systems_[i].file, [&] {
      return LinkSystem(cat.chips_, system_roots[i], &cat.systems_[i]);
    }));
  }

  XPU_RETURN_IF_ERROR(LoadFolder<Model>(data_dir / "models", ParseModel, &model_names,
                                        &cat.models_, nullptr));

  std::vector<ExportRules> rule_files;
  XPU_RETURN_IF_ERROR(
      LoadFolder<ExportRules>(data_dir / "rules", ParseRules, nullptr, &rule_files, nullptr));
  std::map<std::string, std::string> rule_owner;
  for (auto& rf : rule_files) {
    if (cat.rules_.disclaimer.empty()) cat.rules_.disclaimer = rf.disclaimer;
    for (auto& rule : rf.rules) {
      auto [it, inserted] = rule_owner.emplace(rule.id, rule.file);
      if (!inserted) {
        return Status::Invalid(rule.file + ": rule id '" + rule.id + "' is already used in " +
                               it->second);
      }
      for (const auto& ev : rule.events) {
        for (const auto& chip : ev.chips) {
          if (!FindChipIn(cat.chips_, chip)) {
            return Status::Invalid(rule.file + ": rule '" + rule.id + "', event " + ev.date +
                                   ": unknown chip '" + chip + "'" +
                                   DidYouMean(chip, ChipIds(cat.chips_)));
          }
        }
      }
      cat.rules_.rules.push_back(std::move(rule));
    }
  }
  return cat;
}

}  // namespace xpusim
