// `xpusim catalog`: setup of list/show/compare, the shared lookup, and list.
#include "cli/catalog_cmd.h"

#include <memory>
#include <utility>

#include "core/suggest.h"
#include "report/csv.h"
#include "report/format.h"
#include "report/table.h"

namespace xpusim::cli {

using report::Json;

namespace {

struct CatalogOptions {
  std::string list_kind;
  std::string show_id;
  std::vector<std::string> compare_ids;
};

Result<std::string> Render(const Context& ctx, const report::Table& table, const Json& json) {
  switch (ctx.format()) {
    case OutputFormat::kJson: return json.dump(2) + "\n";
    case OutputFormat::kCsv: return report::TableToCsv(table);
    case OutputFormat::kTable: break;
  }
  return table.Render();
}

// Years print without a thousands separator; 0 means unknown.
report::Cell YearCell(int year) {
  if (year <= 0) return report::Cell{report::kUnknownText, "", true};
  return report::Cell{std::to_string(year), std::to_string(year), true};
}

Result<std::string> ListChips(Context& ctx, const Catalog& catalog) {
  report::Table t("Chips (" + std::to_string(catalog.chips().size()) + ")");
  t.AddColumn("id").AddColumn("vendor").AddColumn("availability").AddColumn("year", "", report::Align::kRight);
  t.AddColumn("bf16", "TFLOPS").AddColumn("fp8", "TFLOPS").AddColumn("memory", "GB");
  t.AddColumn("bandwidth", "TB/s").AddColumn("TDP", "W").AddColumn("TPP").AddColumn("screen class");
  Json arr = Json::array();
  for (const Chip& c : catalog.chips()) {
    const ExportScreen screen = ScreenChip(c, catalog.rules());
    t.AddRow({report::Text(c.id), report::Text(c.vendor), report::Text(AvailabilityName(c.availability)),
              YearCell(c.year),
              report::Num(c.tflops(Precision::kBf16).value, 1), report::Num(c.tflops(Precision::kFp8).value, 1),
              report::Num(c.memory_gb.value, 0), report::Num(c.memory_bandwidth_tb_s.value, 2),
              report::Num(c.tdp_w.value, 0), report::Num(ComputeTpp(c), 0), report::Text(screen.classification)});
    arr.push_back(ChipWithScreenJson(catalog, c));
  }
  t.AddNote(std::string("screen class: ") + report::kExportScreenLabel);
  return Render(ctx, t, Json{{"chips", arr}});
}

Result<std::string> ListSystems(Context& ctx, const Catalog& catalog) {
  report::Table t("Systems (" + std::to_string(catalog.systems().size()) + ")");
  t.AddColumn("id").AddColumn("chip").AddColumn("chips/node", "", report::Align::kAuto, "chips_per_node");
  t.AddColumn("scale-up domain", "chips").AddColumn("scale-up", "GB/s").AddColumn("scale-out", "Gbit/s");
  Json arr = Json::array();
  for (const System& s : catalog.systems()) {
    t.AddRow({report::Text(s.id), report::Text(s.chip_id), report::Int(s.chips_per_node),
              report::Int(s.scaleup_domain_chips), report::Num(s.scaleup_bandwidth_gb_s.value, 0),
              report::Num(s.scaleout_bandwidth_gbit_s.value, 0)});
    arr.push_back(report::SystemToJson(s));
  }
  return Render(ctx, t, Json{{"systems", arr}});
}

Result<std::string> ListModels(Context& ctx, const Catalog& catalog) {
  report::Table t("Models (" + std::to_string(catalog.models().size()) + ")");
  t.AddColumn("id").AddColumn("family").AddColumn("layers").AddColumn("hidden");
  t.AddColumn("heads").AddColumn("kv heads").AddColumn("params", "B").AddColumn("active", "B");
  t.AddColumn("experts").AddColumn("top-k");
  Json arr = Json::array();
  for (const Model& m : catalog.models()) {
    const bool moe = m.is_moe();
    t.AddRow({report::Text(m.id), report::Text(m.family), report::Int(m.layers), report::Int(m.hidden),
              report::Int(m.heads), report::Int(m.kv_heads), report::Num(TotalParams(m) / 1e9, 2),
              report::Num(ActiveParams(m) / 1e9, 2), moe ? report::Int(m.moe.num_experts) : report::Text(""),
              moe ? report::Int(m.moe.top_k) : report::Text("")});
    arr.push_back(report::ModelToJson(m));
  }
  return Render(ctx, t, Json{{"models", arr}});
}

}  // namespace

const char* ThroughputUnit(Precision p) {
  return p == Precision::kInt8 || p == Precision::kInt4 ? "TOPS" : "TFLOPS";
}

Json ChipWithScreenJson(const Catalog& catalog, const Chip& chip) {
  Json j = report::ChipToJson(chip);
  j["tpp"] = report::TppToJson(chip);
  j["performance_density"] = report::PerformanceDensityToJson(chip);
  j["export_screen"] = report::ExportScreenToJson(ScreenChip(chip, catalog.rules()));
  return j;
}

Result<CatalogEntry> FindEntry(const Catalog& catalog, std::string_view id, bool models) {
  auto chip = catalog.FindChip(id);
  if (chip.ok()) return CatalogEntry{*chip, nullptr, nullptr};
  if (chip.status().code() != ErrorCode::kNotFound) return chip.status();
  auto system = catalog.FindSystem(id);
  if (system.ok()) return CatalogEntry{nullptr, *system, nullptr};
  if (system.status().code() != ErrorCode::kNotFound) return system.status();
  Status model_status = Status::NotFound("");
  if (models) {
    auto model = catalog.FindModel(id);
    if (model.ok()) return CatalogEntry{nullptr, nullptr, *model};
    model_status = model.status();
    if (model_status.code() != ErrorCode::kNotFound) return model_status;
  }
  // Every kind said NotFound: report the message of the kind whose id or
  // alias is nearest, so its did-you-mean is the useful one.
  std::vector<std::string> names;
  std::vector<int> kinds;
  auto add = [&](const auto& items, int kind) {
    for (const auto& item : items) {
      names.push_back(item.id);
      kinds.push_back(kind);
      for (const auto& a : item.aliases) {
        names.push_back(a);
        kinds.push_back(kind);
      }
    }
  };
  add(catalog.chips(), 0);
  add(catalog.systems(), 1);
  if (models) add(catalog.models(), 2);
  int best_kind = 0;
  const std::string best = ClosestMatch(id, names);
  if (!best.empty()) {
    int best_distance = 1 << 30;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] != best) continue;
      const int d = EditDistance(id, names[i]);
      if (d < best_distance) {
        best_distance = d;
        best_kind = kinds[i];
      }
    }
  }
  const Status& st = best_kind == 0 ? chip.status() : best_kind == 1 ? system.status() : model_status;
  if (!best.empty()) return st;
  return Status::NotFound(chip.status().message() + (models ? " (nor a system or model id)" : " (nor a system id)"));
}

Result<std::string> CatalogList(Context& ctx, std::string kind) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("catalog list", {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kCsv}));
  static const std::vector<std::string> kKinds = {"chips", "systems", "models"};
  kind = ToLower(kind.empty() ? "chips" : kind);
  if (kind == "chip" || kind == "system" || kind == "model") kind += "s";
  if (kind != "chips" && kind != "systems" && kind != "models") {
    return Status::Invalid("unknown catalog kind '" + kind + "' (chips, systems or models)" + DidYouMean(kind, kKinds));
  }
  XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
  if (kind == "systems") return ListSystems(ctx, *catalog);
  if (kind == "models") return ListModels(ctx, *catalog);
  return ListChips(ctx, *catalog);
}

CommandRunner SetupCatalogCommand(CLI::App& app) {
  auto opts = std::make_shared<CatalogOptions>();
  app.require_subcommand(1);
  CLI::App* list = app.add_subcommand("list", "List chips (default), systems or models [--json|--csv]");
  list->add_option("KIND", opts->list_kind, "chips, systems or models");
  CLI::App* show = app.add_subcommand("show", "Every field of one chip, system or model with its source [--json]");
  show->add_option("ID", opts->show_id, "Catalog id or alias")->required();
  CLI::App* compare = app.add_subcommand("compare", "Chips (or systems) side by side [--json|--csv]");
  compare->add_option("IDs", opts->compare_ids, "Catalog ids or aliases")->required();
  for (CLI::App* sub : {list, show, compare}) sub->fallthrough();

  return [opts, list, show](Context& ctx) -> Result<std::string> {
    if (list->parsed()) return CatalogList(ctx, opts->list_kind);
    if (show->parsed()) return CatalogShow(ctx, opts->show_id);
    return CatalogCompare(ctx, opts->compare_ids);
  };
}

}  // namespace xpusim::cli
