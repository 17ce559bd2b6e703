// Catalog lookups: Find* (id or alias, any case, did-you-mean), Resolve*
// (an id or a file path), ChipOf and DefaultDataDir.
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "catalog/chip_loader.h"
#include "catalog/hf_config.h"
#include "catalog/model_loader.h"
#include "catalog/system_loader.h"
#include "core/suggest.h"
#include "xpusim/catalog.h"

namespace xpusim {
namespace {

namespace fs = std::filesystem;

template <typename T>
Result<const T*> FindIn(const std::vector<T>& items, std::string_view name, const char* kind,
                        const char* folder) {
  const std::string low = ToLower(name);
  for (const auto& it : items) {
    if (it.id == low) return &it;
  }
  for (const auto& it : items) {
    for (const auto& a : it.aliases)
      if (a == low) return &it;
  }
  // Suggest among ids and aliases, but always name the id.
  std::vector<std::string> names;
  for (const auto& it : items) {
    names.push_back(it.id);
    names.insert(names.end(), it.aliases.begin(), it.aliases.end());
  }
  const std::string near = ClosestMatch(low, names);
  std::string hint;
  for (const auto& it : items) {
    if (near.empty()) break;
    bool owns = it.id == near;
    for (const auto& a : it.aliases) owns = owns || a == near;
    if (owns) {
      hint = "; did you mean '" + it.id + "'?";
      break;
    }
  }
  if (hint.empty()) hint = std::string("; see `xpusim catalog list ") + folder + "`";
  return Status::NotFound("unknown " + std::string(kind) + " '" + std::string(name) + "'" + hint);
}

// An argument names a file when it has a data-file extension or a slash.
bool LooksLikePath(std::string_view arg) {
  const std::string low = ToLower(arg);
  auto ends = [&](std::string_view suffix) {
    return low.size() >= suffix.size() && low.compare(low.size() - suffix.size(), suffix.size(),
                                                      suffix) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json") || low.find('/') != std::string::npos;
}

Status CheckFileExists(std::string_view arg, const char* kind) {
  std::error_code ec;
  const fs::path path(arg);
  if (fs::is_directory(path, ec)) {
    return Status::Invalid(std::string(kind) + " file '" + std::string(arg) +
                           "' is a directory; give a catalog id or a path to a file");
  }
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(std::string(kind) + " file '" + std::string(arg) +
                            "' does not exist (give a catalog id or a path to a YAML file)");
  }
  return Status::Ok();
}

}  // namespace

Result<const Chip*> Catalog::FindChip(std::string_view id_or_alias) const {
  return FindIn(chips_, id_or_alias, "chip", "chips");
}
Result<const System*> Catalog::FindSystem(std::string_view id_or_alias) const {
  return FindIn(systems_, id_or_alias, "system", "systems");
}
Result<const Model*> Catalog::FindModel(std::string_view id_or_alias) const {
  return FindIn(models_, id_or_alias, "model", "models");
}

Result<Chip> Catalog::ResolveChip(std::string_view arg) const {
  if (LooksLikePath(arg)) {
    XPU_RETURN_IF_ERROR(CheckFileExists(arg, "chip"));
    return LoadChipFile(fs::path(arg));
  }
  XPU_ASSIGN_OR_RETURN(const Chip* c, FindChip(arg));
  return *c;
}

Result<System> Catalog::ResolveSystem(std::string_view arg) const {
  if (LooksLikePath(arg)) {
    XPU_RETURN_IF_ERROR(CheckFileExists(arg, "system"));
    return LoadSystemFile(fs::path(arg), chips_);
  }
  XPU_ASSIGN_OR_RETURN(const System* s, FindSystem(arg));
  return *s;
}

Result<Model> Catalog::ResolveModel(std::string_view arg) const {
  if (LooksLikePath(arg)) {
    XPU_RETURN_IF_ERROR(CheckFileExists(arg, "model"));
    const std::string low = ToLower(arg);
    if (low.size() >= 5 && low.compare(low.size() - 5, 5, ".json") == 0) {
      return LoadHfConfig(fs::path(arg));
    }
    return LoadModelFile(fs::path(arg));
  }
  XPU_ASSIGN_OR_RETURN(const Model* m, FindModel(arg));
  return *m;
}

const Chip& Catalog::ChipOf(const System& system) const {
  for (const auto& c : chips_)
    if (c.id == system.chip_id) return c;
  // REQUIRES violated: the system was not linked against this catalog.
  std::fprintf(stderr, "xpusim internal error: system '%s' names chip '%s' not in the catalog\n",
               system.id.c_str(), system.chip_id.c_str());
  std::abort();
}

fs::path Catalog::DefaultDataDir() {
  if (const char* env = std::getenv("XPUSIM_DATA_DIR"); env && *env) return fs::path(env);
  std::error_code ec;
#ifdef XPUSIM_SOURCE_DATA_DIR
  if (fs::is_directory(XPUSIM_SOURCE_DATA_DIR, ec)) return fs::path(XPUSIM_SOURCE_DATA_DIR);
#endif
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) return (exe.parent_path() / ".." / "share" / "xpusim" / "data").lexically_normal();
  return fs::path("share/xpusim/data");
}

}  // namespace xpusim
