#include <string>

#include "cli/command.h"

namespace xpusim::cli {

const char* OutputFormatFlag(OutputFormat f) {
  switch (f) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kJson: return "--json";
    case OutputFormat::kCsv: return "--csv";
  }
  return "?";
}

Result<const Catalog*> Context::catalog() {
  if (preloaded_ != nullptr) {
    if (!options_.data_dir.empty()) return Status::Invalid("--data-dir cannot be used here: the catalog is already loaded");
    return preloaded_;
  }
  if (!catalog_) {
    const std::filesystem::path dir =
        options_.data_dir.empty() ? Catalog::DefaultDataDir() : std::filesystem::path(options_.data_dir);
    auto loaded = Catalog::Load(dir);
    if (!loaded.ok()) return loaded.status();
    catalog_.emplace(std::move(loaded).value());
  }
  return &*catalog_;
}

Status Context::CheckFormat(std::string_view command, std::initializer_list<OutputFormat> allowed) const {
  const OutputFormat f = format();
  std::string choices;
  for (OutputFormat a : allowed) {
    if (a == f) return Status::Ok();
    if (a == OutputFormat::kTable) continue;
    choices += choices.empty() ? "" : " or ";
    choices += OutputFormatFlag(a);
  }
  std::string msg = std::string(OutputFormatFlag(f)) + " is not supported by '" + std::string(command) + "'";
  if (!choices.empty()) msg += "; use " + choices + " or neither";
  return Status::Invalid(msg);
}

}  // namespace xpusim::cli
