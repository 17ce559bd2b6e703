// `xpusim catalog compare ID ID...`: chips (or systems) side by side, one
// column per entry, one row per spec. --json gives every cell with its source.
#include <functional>
#include <string>
#include <vector>

#include "cli/catalog_cmd.h"
#include "report/csv.h"
#include "report/format.h"
#include "report/table.h"

namespace xpusim::cli {

using report::Json;

namespace {

// A compare table: "spec", "unit", then one right-aligned column per entry.
report::Table CompareTable(const std::string& title, const std::vector<std::string>& ids) {
  report::Table t(title);
  t.AddColumn("spec").AddColumn("unit");
  for (const auto& id : ids) t.AddColumn(id, "", report::Align::kRight, id);
  return t;
}

template <typename T>
void AddRow(report::Table& t, const std::string& label, const char* unit, const std::vector<const T*>& items,
            const std::function<report::Cell(const T&)>& cell) {
  std::vector<report::Cell> row = {report::Text(label), report::Text(unit)};
  for (const T* item : items) row.push_back(cell(*item));
  t.AddRow(std::move(row));
}

Json ChipCompareJson(const Catalog& catalog, const Chip& c) {
  Json j{{"id", c.id}, {"name", c.name}, {"vendor", c.vendor}};
  j["tflops"] = report::TflopsToJson(c);
  for (const report::ChipField& f : report::ChipSpecFields()) j[f.key] = report::SourcedToJson(c.*f.member);
  j["tpp"] = report::TppToJson(c);
  j["performance_density"] = report::PerformanceDensityToJson(c);
  j["export_screen"] = report::ExportScreenToJson(ScreenChip(c, catalog.rules()));
  j["sources"] = report::SourcesToJson(c.sources);
  return j;
}

Result<std::string> CompareChips(Context& ctx, const Catalog& catalog, const std::vector<const Chip*>& chips) {
  std::vector<std::string> ids;
  for (const Chip* c : chips) ids.push_back(c->id);
  report::Table t = CompareTable("Compare chips", ids);
  using C = const Chip&;
  AddRow<Chip>(t, "vendor", "", chips, [](C c) { return report::Text(c.vendor); });
  AddRow<Chip>(t, "year", "", chips, [](C c) {
    return c.year > 0 ? report::Cell{std::to_string(c.year), std::to_string(c.year), true} : report::Text("-");
  });
  for (Precision p : kAllPrecisions) {
    bool any = false;
    for (const Chip* c : chips) any = any || c->tflops(p).known();
    if (!any) continue;
    AddRow<Chip>(t, std::string(PrecisionName(p)), ThroughputUnit(p), chips,
                 [p](C c) { return report::Num(c.tflops(p).value, 1); });
  }
  AddRow<Chip>(t, "memory", "GB", chips, [](C c) { return report::Num(c.memory_gb.value, 0); });
  AddRow<Chip>(t, "memory bandwidth", "TB/s", chips, [](C c) { return report::Num(c.memory_bandwidth_tb_s.value, 2); });
  AddRow<Chip>(t, "TDP", "W", chips, [](C c) { return report::Num(c.tdp_w.value, 0); });
  AddRow<Chip>(t, "scale-up bandwidth", "GB/s", chips, [](C c) { return report::Num(c.scaleup_bandwidth_gb_s.value, 0); });
  AddRow<Chip>(t, "scale-out bandwidth", "Gbit/s", chips,
               [](C c) { return report::Num(c.scaleout_bandwidth_gbit_s.value, 0); });
  AddRow<Chip>(t, "TPP", "", chips, [](C c) { return report::Num(ComputeTpp(c), 0); });
  AddRow<Chip>(t, "performance density", "TPP/mm^2", chips,
               [](C c) { return report::Sig(ComputePerformanceDensity(c), 3); });
  AddRow<Chip>(t, "export screen", "", chips,
               [&catalog](C c) { return report::Text(ScreenChip(c, catalog.rules()).classification); });
  AddRow<Chip>(t, "price", "USD", chips, [](C c) { return report::Num(c.price_usd.value, 0); });
  t.AddNote(std::string("export screen: ") + report::kExportScreenLabel +
            "; sources: xpusim catalog compare ... --json");

  if (ctx.format() == OutputFormat::kJson) {
    Json arr = Json::array();
    for (const Chip* c : chips) arr.push_back(ChipCompareJson(catalog, *c));
    return Json{{"chips", arr}}.dump(2) + "\n";
  }
  if (ctx.format() == OutputFormat::kCsv) return report::TableToCsv(t);
  return t.Render();
}

Result<std::string> CompareSystems(Context& ctx, const Catalog& catalog, const std::vector<const System*>& systems) {
  std::vector<std::string> ids;
  for (const System* s : systems) ids.push_back(s->id);
  report::Table t = CompareTable("Compare systems", ids);
  using S = const System&;
  AddRow<System>(t, "chip", "", systems, [](S s) { return report::Text(s.chip_id); });
  AddRow<System>(t, "chips per node", "", systems, [](S s) { return report::Int(s.chips_per_node); });
  AddRow<System>(t, "scale-up domain", "chips", systems, [](S s) { return report::Int(s.scaleup_domain_chips); });
  for (const report::SystemField& f : report::SystemSpecFields()) {
    AddRow<System>(t, f.label, f.unit, systems, [&f](S s) { return report::Num((s.*f.member).value, 3); });
  }
  if (ctx.format() == OutputFormat::kJson) {
    Json arr = Json::array();
    for (const System* s : systems) {
      Json j = report::SystemToJson(*s);
      j["chip_detail"] = ChipCompareJson(catalog, catalog.ChipOf(*s));
      arr.push_back(std::move(j));
    }
    return Json{{"systems", arr}}.dump(2) + "\n";
  }
  if (ctx.format() == OutputFormat::kCsv) return report::TableToCsv(t);
  return t.Render();
}

}  // namespace

Result<std::string> CatalogCompare(Context& ctx, const std::vector<std::string>& ids) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("catalog compare", {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kCsv}));
  XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
  std::vector<const Chip*> chips;
  std::vector<const System*> systems;
  for (const std::string& id : ids) {
    auto e = FindEntry(*catalog, id, /*models=*/false);
    if (!e.ok()) return e.status();
    if (e->chip) chips.push_back(e->chip);
    if (e->system) systems.push_back(e->system);
  }
  if (!chips.empty() && !systems.empty()) {
    return Status::Invalid("cannot compare chip '" + chips.front()->id + "' with system '" + systems.front()->id +
                           "'; compare chips with chips or systems with systems");
  }
  if (!systems.empty()) return CompareSystems(ctx, *catalog, systems);
  return CompareChips(ctx, *catalog, chips);
}

}  // namespace xpusim::cli
