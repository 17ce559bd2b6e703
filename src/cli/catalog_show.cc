// `xpusim catalog show ID`: every field of one chip, system or model with
// its source and confidence, the source list, and for chips the export screen.
#include <algorithm>
#include <string>

#include "cli/catalog_cmd.h"
#include "report/format.h"
#include "report/table.h"

namespace xpusim::cli {

using report::Json;

namespace {

// Table of sourced fields: field, value, unit, source, confidence.
report::Table SpecTable() {
  report::Table t;
  t.AddColumn("field").AddColumn("value", "", report::Align::kRight).AddColumn("unit");
  t.AddColumn("source").AddColumn("confidence");
  return t;
}

void AddSourced(report::Table& t, const std::string& label, const char* unit, const SourcedValue& v) {
  if (!v.known()) {
    t.AddRow({report::Text(label), report::Text(report::kUnknownText), report::Text(unit), report::Text(""),
              report::Text("")});
    return;
  }
  t.AddRow({report::Text(label), report::Num(v.value, 3), report::Text(unit), report::Text(v.source),
            report::Text(ConfidenceName(v.confidence))});
}

void AddPlain(report::Table& t, const std::string& label, const std::string& value, const char* unit = "") {
  t.AddRow({report::Text(label), report::Text(value), report::Text(unit), report::Text(""), report::Text("")});
}

std::string SourcesText(const std::vector<Source>& sources) {
  // A list rather than a table: titles and URLs are long.
  if (sources.empty()) return "Sources: none\n";
  size_t width = 0;
  for (const Source& s : sources) width = std::max(width, report::DisplayWidth(s.tag));
  std::string out = "Sources\n";
  for (const Source& s : sources) {
    out += "  " + s.tag + std::string(width - report::DisplayWidth(s.tag) + 2, ' ') + s.title + "\n";
    if (!s.url.empty()) out += "  " + std::string(width + 2, ' ') + s.url + "\n";
  }
  return out;
}

std::string Header(const std::string& name, const std::string& id, const std::string& kind) {
  return name + " (" + kind + " " + id + ")\n";
}

std::string Line(const char* key, const std::string& value) {
  return value.empty() ? "" : std::string(key) + ": " + value + "\n";
}

std::string JoinAliases(const std::vector<std::string>& aliases) {
  std::string out;
  for (const auto& a : aliases) out += (out.empty() ? "" : ", ") + a;
  return out;
}

std::string ShowChip(const Catalog& catalog, const Chip& c) {
  std::string out = Header(c.name, c.id, "chip");
  out += Line("vendor", c.vendor) + Line("ecosystem", c.ecosystem) +
         Line("availability", AvailabilityName(c.availability)) +
         Line("year", c.year > 0 ? std::to_string(c.year) : "") + Line("process", c.process_node) +
         Line("memory type", c.memory_type) + Line("aliases", JoinAliases(c.aliases)) + Line("file", c.file);
  out += "\n";
  report::Table t = SpecTable();
  for (Precision p : kAllPrecisions) {
    if (c.tflops(p).known()) AddSourced(t, std::string(PrecisionName(p)) + " dense", ThroughputUnit(p), c.tflops(p));
  }
  for (const report::ChipField& f : report::ChipSpecFields()) AddSourced(t, f.label, f.unit, c.*f.member);
  AddPlain(t, "scale-up domain max", std::to_string(c.scaleup_domain_max), "chips");
  out += t.Render() + "\n";

  const ExportScreen screen = ScreenChip(c, catalog.rules());
  out += std::string("Export screen (") + report::kExportScreenLabel + ")\n";
  out += "  TPP                  " + report::FormatNumber(screen.tpp, 0) + "  (computed: max(dense TOPS x bits))\n";
  out += "  performance density  " + report::FormatSig(screen.performance_density, 4) +
         "  (computed: TPP / die area in mm^2)\n";
  out += "  rule                 " + (screen.rule_id.empty() ? std::string(report::kUnknownText) : screen.rule_id) + "\n";
  out += "  classification       " + screen.classification + "\n";
  if (!screen.explanation.empty()) out += "  why                  " + screen.explanation + "\n";
  const std::string& disclaimer = catalog.rules().disclaimer;
  if (!disclaimer.empty() && screen.explanation.find(disclaimer) == std::string::npos) {
    out += "  " + disclaimer + "\n";
  }
  out += "\n" + SourcesText(c.sources);
  if (!c.notes.empty()) out += "\nNotes: " + c.notes + "\n";
  return out;
}

std::string ShowSystem(const Catalog& catalog, const System& s) {
  std::string out = Header(s.name, s.id, "system");
  const Chip& chip = catalog.ChipOf(s);
  out += Line("vendor", s.vendor) + Line("chip", chip.id + " (" + chip.name + ")") +
         Line("availability", AvailabilityName(s.availability)) + Line("scale-up fabric", s.scaleup_fabric) +
         Line("scale-out fabric", s.scaleout_fabric) + Line("aliases", JoinAliases(s.aliases)) + Line("file", s.file);
  out += "\n";
  report::Table t = SpecTable();
  AddPlain(t, "chips per node", std::to_string(s.chips_per_node), "chips");
  AddPlain(t, "scale-up domain", std::to_string(s.scaleup_domain_chips), "chips");
  for (const report::SystemField& f : report::SystemSpecFields()) AddSourced(t, f.label, f.unit, s.*f.member);
  out += t.Render() + "\n" + SourcesText(s.sources);
  if (!s.notes.empty()) out += "\nNotes: " + s.notes + "\n";
  return out;
}

std::string ShowModel(const Model& m) {
  std::string out = Header(m.name, m.id, "model");
  out += Line("family", m.family) + Line("file", m.file) + "\n";
  report::Table t = SpecTable();
  AddPlain(t, "layers", std::to_string(m.layers));
  AddPlain(t, "hidden", std::to_string(m.hidden));
  AddPlain(t, "ffn hidden", std::to_string(m.ffn_hidden));
  AddPlain(t, "heads / kv heads", std::to_string(m.heads) + " / " + std::to_string(m.kv_heads));
  AddPlain(t, "head dim", std::to_string(m.head_dim));
  AddPlain(t, "vocab", std::to_string(m.vocab));
  AddPlain(t, "max seq", std::to_string(m.max_seq), "tokens");
  if (m.is_moe()) {
    AddPlain(t, "experts / top-k", std::to_string(m.moe.num_experts) + " / " + std::to_string(m.moe.top_k));
    AddPlain(t, "shared experts", std::to_string(m.moe.shared_experts));
    AddPlain(t, "expert ffn hidden", std::to_string(m.moe.expert_ffn_hidden));
    AddPlain(t, "first dense layers", std::to_string(m.moe.first_dense_layers));
  }
  if (m.mla.enabled()) AddPlain(t, "MLA kv lora rank", std::to_string(m.mla.kv_lora_rank));
  AddPlain(t, "params (computed)", report::FormatNumber(TotalParams(m) / 1e9, 2), "B");
  AddPlain(t, "active params (computed)", report::FormatNumber(ActiveParams(m) / 1e9, 2), "B");
  AddSourced(t, "params (published)", "B", m.published_params_b);
  if (m.is_moe()) AddSourced(t, "active params (published)", "B", m.published_active_params_b);
  out += t.Render() + "\n" + SourcesText(m.sources);
  return out;
}

}  // namespace

Result<std::string> CatalogShow(Context& ctx, const std::string& id) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("catalog show", {OutputFormat::kTable, OutputFormat::kJson}));
  XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
  XPU_ASSIGN_OR_RETURN(CatalogEntry e, FindEntry(*catalog, id, /*models=*/true));
  if (ctx.format() == OutputFormat::kJson) {
    Json j{{"kind", e.kind()}};
    if (e.chip) j.update(ChipWithScreenJson(*catalog, *e.chip));
    if (e.system) j.update(report::SystemToJson(*e.system));
    if (e.model) j.update(report::ModelToJson(*e.model));
    return j.dump(2) + "\n";
  }
  if (e.chip) return ShowChip(*catalog, *e.chip);
  if (e.system) return ShowSystem(*catalog, *e.system);
  return ShowModel(*e.model);
}

}  // namespace xpusim::cli
