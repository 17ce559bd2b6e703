// `xpusim outlook`: per-year installed compute (EFLOPS), power (GW) and the
// "years behind" gap between two ecosystems, from the roadmaps and shipment
// estimates in data/outlook (plan/outlook.h; definitions in doc/outlook.md).
// --plot writes an SVG with three bar panels by year (EFLOPS, GW, years behind).
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/validators.h"
#include "plan/outlook.h"
#include "report/catalog_json.h"
#include "report/chart_svg.h"
#include "report/format.h"
#include "report/table.h"

namespace xpusim::cli {
namespace {

using report::Json;

struct OutlookFlags {
  std::string ecosystems, compare, model = "llama3-70b", data, plot, precision = "bf16";
  int from = 2024, to = 2030, threads = 0;
  int64_t chips = 8192;
  std::optional<int64_t> seq, global_batch;
  double tokens = 15e12, pue = 0;
  bool no_workload = false, force = false;
};

std::string GapText(const YearsBehind& g) {
  switch (g.kind) {
    case YearsBehind::Kind::kExact: return g.years < 0 ? fmt::format("ahead {}", -g.years) : std::to_string(g.years);
    case YearsBehind::Kind::kAtLeast: return fmt::format(">= {}", g.years);
    case YearsBehind::Kind::kAheadOfRange: return "ahead";
    case YearsBehind::Kind::kNoData: return "-";
  }
  return "?";
}

Json GapJson(const YearsBehind& g) {
  Json j = {{"kind", YearsBehindKindName(g.kind)}};
  j["years"] = g.kind == YearsBehind::Kind::kExact || g.kind == YearsBehind::Kind::kAtLeast ? Json(g.years) : Json();
  return j;
}

Json SeriesJson(const OutlookSeries& s) {
  Json years = Json::array();
  for (const OutlookYear& y : s.years) {
    Json j = {{"year", y.year},
              {"extrapolated", y.extrapolated},
              {"new_units", y.new_units},
              {"installed_units", y.installed_units},
              {"new_bf16_eflops", y.new_bf16_eflops},
              {"installed_bf16_eflops", y.installed_bf16_eflops},
              {"installed_fp8_eflops", y.installed_fp8_eflops},
              {"it_power_gw", y.it_power_gw},
              {"power_gw", y.power_gw},
              {"best_chip", y.best_chip},
              {"best_chip_bf16_tflops", y.best_chip_bf16_tflops},
              {"best_chip_fp8_tflops", y.best_chip_fp8_tflops}};
    const OutlookWorkload& w = y.workload;
    j["best_system"] = w.system.empty() ? Json() : Json(w.system);
    j["tokens_per_s"] = w.system.empty() ? Json() : Json(w.tokens_per_s);
    j["train_days"] = w.system.empty() ? Json() : Json(w.train_days);
    j["mfu"] = w.system.empty() ? Json() : Json(w.mfu);
    j["plan"] = w.system.empty() ? Json() : Json(w.plan);
    years.push_back(std::move(j));
  }
  Json supply = Json::array();
  for (const OutlookSupply& l : s.supply)
    supply.push_back({{"year", l.year},
                      {"chip", l.chip_id},
                      {"system", l.system_id.empty() ? Json() : Json(l.system_id)},
                      {"units", l.units.value},
                      {"source", l.units.source},
                      {"confidence", ConfidenceName(l.units.confidence)},
                      {"extrapolated", l.extrapolated}});
  Json imports = Json::array();
  for (const OutlookImport& im : s.imports)
    imports.push_back({{"year", im.year},
                       {"chip", im.chip_id},
                       {"units", im.units},
                       {"tpp", im.tpp},
                       {"rule", im.rule_id},
                       {"classification", im.classification}});
  return {{"id", s.id}, {"name", s.name}, {"years", years}, {"supply", supply}, {"imports", imports}};
}

std::string Text(const OutlookResult& r, const OutlookOptions& o, const std::string& file) {
  const OutlookSeries &a = r.a, &b = r.b;
  std::string out = fmt::format("Outlook {}..{}: {} vs {} (data: {}; installed = shipments of the last {} years)\n\n",
                                o.first_year, o.last_year, a.id, b.id, file, r.lifetime_years);
  report::Table t("Installed base (dense peak; power at full load x PUE)");
  t.AddColumn("year");
  for (const OutlookSeries* s : {&a, &b})
    t.AddColumn(s->id + " chips", "M").AddColumn(s->id + " BF16", "EFLOPS").AddColumn(s->id + " FP8", "EFLOPS")
        .AddColumn(s->id + " power", "GW");
  for (size_t i = 0; i < a.years.size(); ++i) {
    std::vector<report::Cell> row = {report::Text(fmt::format("{}{}", a.years[i].year,
                                                              a.years[i].extrapolated || b.years[i].extrapolated ? "*" : ""))};
    for (const OutlookSeries* s : {&a, &b}) {
      const OutlookYear& y = s->years[i];
      row.push_back(report::Num(y.installed_units / 1e6, 2));
      row.push_back(report::Num(y.installed_bf16_eflops, 0));
      row.push_back(report::Num(y.installed_fp8_eflops, 0));
      row.push_back(report::Num(y.power_gw, 2));
    }
    t.AddRow(row);
  }
  t.AddNote("* shipments of that year extrapolated with growth_per_year (data/outlook); all volumes are estimates");
  out += t.Render() + "\n";
  report::Table g(fmt::format("Frontier and years behind ({} behind {})", b.id, a.id));
  g.AddColumn("year").AddColumn(a.id + " best chip").AddColumn("BF16", "TFLOPS").AddColumn(b.id + " best chip")
      .AddColumn("BF16", "TFLOPS").AddColumn("per-chip gap", "years");
  if (o.model)
    g.AddColumn(a.id + " best system").AddColumn("days").AddColumn(b.id + " best system").AddColumn("days")
        .AddColumn("workload gap", "years");
  for (size_t i = 0; i < a.years.size(); ++i) {
    const OutlookYear &x = a.years[i], &y = b.years[i];
    std::vector<report::Cell> row = {report::Text(std::to_string(x.year)),
                                     report::Text(x.best_chip.empty() ? "-" : x.best_chip),
                                     report::Num(x.best_chip_bf16_tflops, 0),
                                     report::Text(y.best_chip.empty() ? "-" : y.best_chip),
                                     report::Num(y.best_chip_bf16_tflops, 0),
                                     report::Text(GapText(r.gaps[i].per_chip))};
    if (o.model) {
      for (const OutlookYear* z : {&x, &y}) {
        row.push_back(report::Text(z->workload.system.empty() ? "-" : z->workload.system));
        row.push_back(z->workload.system.empty() ? report::Text("-") : report::Num(z->workload.train_days, 1));
      }
      row.push_back(report::Text(GapText(r.gaps[i].workload)));
    }
    g.AddRow(row);
  }
  g.AddNote(fmt::format("years behind in year Y = Y - the first year (from {}) in which {}'s best already matched {}'s "
                        "best of Y; '>= n': {} was ahead from the start of the timeline",
                        r.timeline_start, a.id, b.id, a.id));
  if (o.model)
    g.AddNote(fmt::format("workload: {} on {} tokens with {} chips of each available system, best plan found by the "
                          "search; the best system of a year is the fastest",
                          o.model->id, report::FormatSig(o.tokens, 3), report::FormatInt(o.chips)));
  for (const OutlookSeries* s : {&a, &b})
    for (const OutlookImport& im : s->imports)
      g.AddNote(fmt::format("{} imports {} {} in {} (TPP {}): {} under {} (mechanical screen, data/rules; the data "
                            "file's source says under which licence)",
                            s->id, report::FormatSig(im.units, 3), im.chip_id, im.year, report::FormatSig(im.tpp, 5),
                            im.classification, im.rule_id.empty() ? "-" : im.rule_id));
  for (const std::string& n : r.notes) g.AddNote(n);
  out += g.Render();
  return out;
}

// Three charts stacked in one SVG document.
std::string Stack(const std::vector<std::string>& svgs, int width, int height) {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height * static_cast<int>(svgs.size()));
  for (size_t i = 0; i < svgs.size(); ++i) {
    std::string s = svgs[i];
    const size_t at = s.find("<svg");
    if (at != std::string::npos) s.insert(at + 4, fmt::format(" x=\"0\" y=\"{}\"", i * height));
    out += s.substr(at == std::string::npos ? 0 : at) + "\n";
  }
  return out + "</svg>\n";
}

// Bars per year (categories are the years, so the axis shows them as written).
Result<std::string> WritePlot(const OutlookResult& r, const OutlookOptions& o, const OutlookFlags& f) {
  const int w = 900, h = 420;
  std::vector<std::string> years;
  for (const OutlookYear& y : r.a.years) years.push_back(std::to_string(y.year) + (y.extrapolated ? "*" : ""));
  auto base = [&](const std::string& title, const std::string& ylabel) {
    report::Chart c;
    c.title = title;
    c.x_label = "year (* = shipments extrapolated with growth_per_year)";
    c.y_label = ylabel;
    c.categories = years;
    c.width = w;
    c.height = h;
    return c;
  };
  report::Chart eflops = base(fmt::format("Installed accelerator compute, {} vs {} (dense BF16 peak)", r.a.id, r.b.id),
                              "installed compute (BF16 EFLOPS)");
  eflops.subtitle = fmt::format("installed = shipments of the last {} years; volumes are estimates (data/outlook)",
                                r.lifetime_years);
  report::Chart power = base("Power of the installed base at full load", "facility power (GW, x PUE)");
  power.subtitle = "chips at TDP + node overhead per chip, times the system's PUE";
  for (const OutlookSeries* s : {&r.a, &r.b}) {
    report::Series e{s->id, {}, {}, {}}, p{s->id, {}, {}, {}};
    for (const OutlookYear& y : s->years) {
      e.y.push_back(y.installed_bf16_eflops);
      e.labels.push_back(report::FormatSig(y.installed_bf16_eflops, 3));
      p.y.push_back(y.power_gw);
      p.labels.push_back(report::FormatSig(y.power_gw, 3));
    }
    eflops.series.push_back(std::move(e));
    power.series.push_back(std::move(p));
  }
  report::Chart gap = base(fmt::format("Years {} is behind {}", r.b.id, r.a.id), "years behind (years)");
  gap.subtitle = "Y minus the first year in which the leader's best matched the follower's best of Y; >=: lower bound";
  report::Series chip{"per chip (BF16 peak)", {}, {}, {}};
  report::Series work{o.model ? fmt::format("{} on {} chips", o.model->id, o.chips) : "", {}, {}, {}};
  for (const OutlookGap& g : r.gaps) {
    for (auto [s, y] : {std::pair{&chip, g.per_chip}, std::pair{&work, g.workload}}) {
      const bool known = y.kind == YearsBehind::Kind::kExact || y.kind == YearsBehind::Kind::kAtLeast;
      s->y.push_back(known ? y.years : 0);
      s->labels.push_back(known ? (y.kind == YearsBehind::Kind::kAtLeast ? ">=" : "") + std::to_string(y.years)
                                : y.kind == YearsBehind::Kind::kAheadOfRange ? "ahead" : "n/a");
    }
  }
  gap.series.push_back(std::move(chip));
  if (o.model) gap.series.push_back(std::move(work));
  const std::string svg = Stack({report::RenderBarChart(eflops), report::RenderBarChart(power),
                                 report::RenderBarChart(gap)},
                                w, h);
  return report::WriteChart(f.plot, svg, f.force);
}

Result<std::pair<std::string, std::string>> ParsePair(const OutlookFlags& f) {
  if (!f.ecosystems.empty() && !f.compare.empty()) return Status::Invalid("give --ecosystems A,B or --compare A:B, not both");
  const std::string s = !f.compare.empty() ? f.compare : !f.ecosystems.empty() ? f.ecosystems : "us,china";
  const char sep = !f.compare.empty() ? ':' : ',';
  const size_t at = s.find(sep);
  if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.find(sep, at + 1) != std::string::npos)
    return Status::Invalid(fmt::format("'{}' must name two ecosystems, e.g. {}", s, sep == ':' ? "us:china" : "us,china"));
  std::pair<std::string, std::string> p{s.substr(0, at), s.substr(at + 1)};
  if (p.first == p.second) return Status::Invalid(fmt::format("the two ecosystems are the same ('{}')", p.first));
  return p;
}

}  // namespace

CommandRunner SetupOutlookCommand(CLI::App& app) {
  auto f = std::make_shared<OutlookFlags>();
  app.add_option("--ecosystems", f->ecosystems, "Leader,follower ecosystems from the outlook data (default us,china)");
  app.add_option("--compare", f->compare, "Same as --ecosystems, written LEADER:FOLLOWER");
  app.add_option("--from", f->from, "First year (default 2024)");
  app.add_option("--to", f->to, "Last year (default 2030)");
  app.add_option("--model", f->model, "Workload model for the per-system gap (default llama3-70b)");
  app.add_flag("--no-workload", f->no_workload, "Skip the training workload (per-chip gap only)");
  app.add_option("--chips", f->chips, "Chips of each system for the workload (default 8192)");
  app.add_option("--tokens", f->tokens, "Training tokens of the workload (default 15e12)");
  app.add_option("--seq", f->seq, "Sequence length (default min(model max, 8192))");
  app.add_option("--global-batch", f->global_batch, "Sequences per step (default ~4M tokens)");
  app.add_option("--precision", f->precision, "bf16|fp8 for the workload (default bf16)");
  app.add_option("--pue", f->pue, "Facility PUE for all power figures (default: each system's)")
      ->check(Pue());
  app.add_option("--data", f->data, "Outlook data file (default <data dir>/outlook/outlook.yaml)");
  app.add_option("--threads", f->threads, "Search threads (default: all cores)");
  app.add_option("--plot", f->plot, "Write an SVG (EFLOPS, GW and years behind by year); PNG too if rsvg-convert exists");
  app.add_flag("--force", f->force, "Overwrite the --plot file if it exists");
  return [f](Context& ctx) -> Result<std::string> {
    XPU_RETURN_IF_ERROR(ctx.CheckFormat("outlook", {OutputFormat::kTable, OutputFormat::kJson}));
    XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
    XPU_ASSIGN_OR_RETURN(auto pair, ParsePair(*f));
    if (f->from < 2000 || f->to > 2100 || f->from > f->to)
      return Status::Invalid(fmt::format("--from {} --to {}: need 2000 <= from <= to <= 2100", f->from, f->to));
    if (f->pue != 0 && (!std::isfinite(f->pue) || f->pue < 1 || f->pue > 3))
      return Status::Invalid("--pue must be between 1 and 3");
    if (f->threads < 0) return Status::Invalid("--threads must be >= 0");
    const std::filesystem::path file = f->data.empty() ? DefaultOutlookFile(*catalog) : std::filesystem::path(f->data);
    if (!std::filesystem::exists(file))
      return Status::NotFound(fmt::format("outlook data file '{}' does not exist (--data FILE)", file.string()));
    XPU_ASSIGN_OR_RETURN(OutlookData data, LoadOutlookFile(file, *catalog));
    OutlookOptions o;
    o.first_year = f->from;
    o.last_year = f->to;
    o.train.pue = f->pue;
    o.search.threads = f->threads;
    if (!f->no_workload) {
      XPU_ASSIGN_OR_RETURN(Model m, catalog->ResolveModel(f->model));
      o.model = m;
      if (f->chips < 1 || f->chips > 10'000'000) return Status::Invalid("--chips must be between 1 and 10,000,000");
      o.chips = f->chips;
      if (!std::isfinite(f->tokens) || f->tokens <= 0 || f->tokens > 1e18)
        return Status::Invalid("--tokens must be a number between 0 and 1e18");
      o.tokens = f->tokens;
      XPU_ASSIGN_OR_RETURN(o.workload.precision,
                           ParsePrecisionAmong("--precision", f->precision, {Precision::kBf16, Precision::kFp8}));
      o.workload.seq_len = f->seq ? *f->seq : std::min<int64_t>(m.max_seq > 0 ? m.max_seq : 4096, 8192);
      if (o.workload.seq_len < 1) return Status::Invalid("--seq must be >= 1");
      o.workload.global_batch = f->global_batch ? *f->global_batch : std::max<int64_t>(1, (4 << 20) / o.workload.seq_len);
      if (o.workload.global_batch < 1) return Status::Invalid("--global-batch must be >= 1");
    }
    XPU_ASSIGN_OR_RETURN(OutlookResult r, ProjectOutlook(*catalog, data, pair.first, pair.second, o));
    std::string plot_note;
    if (!f->plot.empty()) {
      XPU_ASSIGN_OR_RETURN(plot_note, WritePlot(r, o, *f));
    }
    if (ctx.format() == OutputFormat::kJson) {
      Json gaps = Json::array();
      for (const OutlookGap& g : r.gaps) {
        Json j = {{"year", g.year}, {"per_chip", GapJson(g.per_chip)}};
        j["workload"] = o.model ? GapJson(g.workload) : Json();
        gaps.push_back(std::move(j));
      }
      Json workload;
      if (o.model)
        workload = {{"model", o.model->id},
                    {"chips", o.chips},
                    {"tokens", o.tokens},
                    {"seq", o.workload.seq_len},
                    {"global_batch", o.workload.global_batch},
                    {"precision", std::string(PrecisionName(o.workload.precision))}};
      Json j = {{"leader", r.a.id},
                {"follower", r.b.id},
                {"first_year", o.first_year},
                {"last_year", o.last_year},
                {"timeline_start", r.timeline_start},
                {"lifetime_years", r.lifetime_years},
                {"data_file", file.string()},
                {"workload", workload},
                {"series", Json::array({SeriesJson(r.a), SeriesJson(r.b)})},
                {"years_behind", gaps},
                {"notes", r.notes},
                {"seconds", r.seconds}};
      if (!f->plot.empty()) j["plot"] = f->plot;
      return j.dump(2) + "\n";
    }
    return Text(r, o, file.string()) + plot_note;
  };
}

}  // namespace xpusim::cli
