// `xpusim match`: how many candidate chips match a reference cluster's
// time-to-train on a job, and the power, energy, cost and floor space of
// both, side by side (plan/match.h). --plot writes an SVG bar chart.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/train_flags.h"
#include "cli/validators.h"
#include "plan/match.h"
#include "plan/match_serve.h"
#include "plan/search.h"
#include "report/catalog_json.h"
#include "report/chart_svg.h"
#include "report/format.h"
#include "report/table.h"
#include "report/train_report.h"

namespace xpusim::cli {
namespace {

// The candidate probe with the highest throughput per chip (probes[0] is the
// reference), and how many chips would match at its rate. Counts do not scale
// evenly (dp must divide the global batch), so this can lie well below the
// answer: it says how much of the chip ratio is the batch, not the hardware.
struct BestRate {
  int64_t chips = 0;
  double per_chip = 0, matching_chips = 0;
};
template <typename M>
std::optional<BestRate> BestPerChipProbe(const M& m, double target) {
  std::optional<BestRate> best;
  for (size_t i = 1; i < m.probes.size(); ++i) {
    const MatchProbe& p = m.probes[i];
    if (!(p.tokens_per_s > 0) || p.chips < 1) continue;
    const double per_chip = p.tokens_per_s / static_cast<double>(p.chips);
    if (!best || per_chip > best->per_chip) best = BestRate{p.chips, per_chip, target / per_chip};
  }
  return best;
}

// The keys training and serving matches share: the answer, how counts were
// stepped, and the probes.
template <typename M>
void AddCountJson(const M& m, report::Json* j) {
  report::Json probes = report::Json::array();
  for (const MatchProbe& p : m.probes)
    probes.push_back({{"chips", p.chips}, {"tokens_per_s", p.tokens_per_s}, {"search_s", p.search_s}});
  (*j)["candidate_chips"] = m.candidate.chips;
  (*j)["chip_ratio"] = static_cast<double>(m.candidate.chips) / m.reference.chips;
  (*j)["flops_ratio_chips"] = m.flops_ratio_chips;
  (*j)["unit"] = m.unit;
  (*j)["step"] = MatchStepName(m.step);
  (*j)["whole_systems"] = m.whole_systems;
  (*j)["whole_system_chips"] = m.whole_system_chips;
  (*j)["interpolated_chips"] = m.interpolated_chips;
  if (const auto b = BestPerChipProbe(m, m.probes.empty() ? 0.0 : m.probes.front().tokens_per_s))
    (*j)["best_rate_probe"] = {{"chips", b->chips}, {"tokens_per_s_per_chip", b->per_chip},
                               {"matching_chips", b->matching_chips}};
  (*j)["probes"] = std::move(probes);
  (*j)["seconds"] = m.seconds;
}

using report::Json;

struct MatchFlags {
  std::string reference, candidate, model, precision = "bf16", plot, step = "node";
  std::optional<int64_t> seq, global_batch;
  double tokens = 15e12, pue = 0, usd_per_kwh = 0.08, amortization_years = 4, utilization = 0;
  bool force = false;
  int threads = 0;
  // --serve: match the reference's SLO-meeting output throughput.
  bool serve = false;
  int64_t input_len = 0, output_len = 0;
  double tpot_slo_ms = 0, ttft_slo_ms = 0;
  std::string weights = "bf16", kv = "bf16";
};

// A side-by-side row with the candidate / reference ratio; a side whose
// value is unknown (no TDP or no price in the catalog) shows "unknown", not
// 0, and no ratio.
void CompareRow(report::Table& t, const std::string& name, const std::string& unit, double x, bool x_known, double y,
                bool y_known, int dec) {
  auto cell = [&](double v, bool known) { return known ? report::Num(v, dec) : report::Text("unknown"); };
  const bool ratio = x_known && y_known && x != 0;
  t.AddRow({report::Text(name), report::Text(unit), cell(x, x_known), cell(y, y_known),
            report::Text(ratio ? fmt::format("{:.2f}x", y / x) : "-")});
}

Json SideJson(const MatchSide& s) {
  const RunTotals& t = s.totals;
  const bool power = t.power_known, cost = t.cost_known();
  auto known = [](double v, bool k) { return k ? Json(v) : Json(nullptr); };
  return {{"system", s.system.id},
          {"chip", s.chip.id},
          {"chips", s.chips},
          {"nodes", s.nodes},
          {"racks", s.racks},
          {"plan", report::PlanToString(s.best.plan)},
          {"tokens_per_s", s.best.tokens_per_s},
          {"mfu", s.best.mfu},
          {"step_time_s", s.best.step_time_s},
          {"peak_pflops", s.peak_pflops},
          {"sustained_compute_factor", s.sustained_factor},
          {"power_w_per_chip", known(s.chip_power_w, power)},
          {"it_power_mw", known(s.it_power_mw, power)},
          {"pue", s.pue},
          {"power_mw", known(s.wall_power_mw, power)},
          {"provisioned_it_mw", t.provisioned_it_mw},
          {"train_days", t.train_days},
          {"energy_mwh", known(t.energy_mwh, power)},
          {"cost_usd", known(t.cost_usd, cost)},
          {"cost_breakdown_usd",
           {{"hardware_capex_share", known(t.hardware_capex_share_usd, t.price_known)},
            {"network_capex_share", known(t.network_capex_share_usd, t.price_known)},
            {"facility_capex_share", known(t.facility_capex_share_usd, power)},
            {"electricity", known(t.electricity_usd, power)}}},
          {"cluster_capex_usd", known(t.cluster_capex_usd, t.price_known)},
          {"facility_capex_usd", known(t.facility_capex_usd, power)},
          {"usd_per_chip_hour", known(t.usd_per_chip_hour, cost)},
          {"usd_per_million_tokens", known(t.usd_per_million_tokens, cost)},
          {"price_confidence", ConfidenceName(t.price_confidence)}};
}

std::string Text(const MatchResult& m, const MatchOptions& o) {
  const MatchSide& a = m.reference;
  const MatchSide& b = m.candidate;
  std::string out = fmt::format(
      "Match: {} x {} ({}) vs {} ({}) on {}, seq {}, global batch {}, {} tokens\n"
      "{} {} chips reach the reference's {} tokens/s ({:.2f}x the chips; a peak-FLOPS ratio would say {}).\n",
      report::FormatInt(a.chips), a.chip.id, a.system.id, b.chip.id, b.system.id, o.model.id, o.workload.seq_len,
      report::FormatInt(o.workload.global_batch), report::FormatSig(o.tokens, 3), report::FormatInt(b.chips), b.chip.id,
      report::FormatSig(a.best.tokens_per_s, 4), static_cast<double>(b.chips) / a.chips,
      report::FormatInt(static_cast<long long>(std::ceil(m.flops_ratio_chips))));
  out += fmt::format("Whole systems to hold them: {} x {} ({} chips); at the answer's per-chip throughput {} chips "
                     "would match exactly (the count overshoots by {:.1f}%).\n\n",
                     report::FormatInt(m.whole_systems), b.system.id, report::FormatInt(m.whole_system_chips),
                     report::FormatInt(static_cast<long long>(std::ceil(m.interpolated_chips))),
                     100 * (b.chips / m.interpolated_chips - 1));
  // When another count runs at a clearly better rate per chip, the ratio
  // above is partly the global batch's divisibility: say so.
  if (const auto best = BestPerChipProbe(m, a.best.tokens_per_s);
      best && best->per_chip > 1.05 * b.best.tokens_per_s / static_cast<double>(b.chips)) {
    out.pop_back();  // the blank line goes after this note
    out += fmt::format(
        "note: {} {} chips run at {} tokens/s per chip (the answer: {}); at that rate {} chips would match. Counts "
        "between do not scale evenly with global batch {} (dp must divide it); another --global-batch may land "
        "nearer that.\n\n",
        report::FormatInt(best->chips), b.chip.id, report::FormatSig(best->per_chip, 4),
        report::FormatSig(b.best.tokens_per_s / static_cast<double>(b.chips), 4),
        report::FormatInt(static_cast<long long>(std::ceil(best->matching_chips))),
        report::FormatInt(o.workload.global_batch));
  }
  report::Table t("Side by side");
  t.AddColumn("").AddColumn("unit").AddColumn(a.system.id).AddColumn(b.system.id).AddColumn("ratio");
  auto row = [&](const std::string& name, const std::string& unit, double x, double y, int dec) {
    CompareRow(t, name, unit, x, true, y, true, dec);
  };
  const RunTotals &ta = a.totals, &tb = b.totals;
  const bool pa = ta.power_known, pb = tb.power_known, ca = ta.cost_known(), cb = tb.cost_known();
  const bool ha = ta.price_known, hb = tb.price_known;
  auto row_s = [&](const std::string& name, const std::string& unit, const std::string& x, const std::string& y) {
    t.AddRow({report::Text(name), report::Text(unit), report::Text(x), report::Text(y), report::Text("")});
  };
  row("chips", "", a.chips, b.chips, 0);
  row("nodes", "", a.nodes, b.nodes, 0);
  row("racks (floor space)", "", a.racks, b.racks, 0);
  row("peak compute", "PFLOPS", a.peak_pflops, b.peak_pflops, 0);
  row_s("best plan", "", report::PlanToString(a.best.plan), report::PlanToString(b.best.plan));
  row("throughput", "tokens/s", a.best.tokens_per_s, b.best.tokens_per_s, 0);
  row("MFU", "%", 100 * a.best.mfu, 100 * b.best.mfu, 1);
  row("sustained clock factor", "", a.sustained_factor, b.sustained_factor, 3);
  CompareRow(t, "power per chip (avg)", "W", a.chip_power_w, pa, b.chip_power_w, pb, 0);
  CompareRow(t, "IT power", "MW", a.it_power_mw, pa, b.it_power_mw, pb, 2);
  CompareRow(t, "facility power (x PUE)", "MW", a.wall_power_mw, pa, b.wall_power_mw, pb, 2);
  CompareRow(t, "provisioned IT (TDP)", "MW", ta.provisioned_it_mw, pa, tb.provisioned_it_mw, pb, 2);
  row("time to train", "days", ta.train_days, tb.train_days, 1);
  CompareRow(t, "energy", "MWh", ta.energy_mwh, pa, tb.energy_mwh, pb, 0);
  CompareRow(t, "cost of the run", "M USD", ta.cost_usd / 1e6, ca, tb.cost_usd / 1e6, cb, 1);
  CompareRow(t, "  hardware capex share", "M USD", ta.hardware_capex_share_usd / 1e6, ha,
             tb.hardware_capex_share_usd / 1e6, hb, 1);
  CompareRow(t, "  network capex share", "M USD", ta.network_capex_share_usd / 1e6, ha,
             tb.network_capex_share_usd / 1e6, hb, 1);
  CompareRow(t, "  facility capex share", "M USD", ta.facility_capex_share_usd / 1e6, pa,
             tb.facility_capex_share_usd / 1e6, pb, 1);
  CompareRow(t, "  electricity", "M USD", ta.electricity_usd / 1e6, pa, tb.electricity_usd / 1e6, pb, 1);
  CompareRow(t, "cluster capex (hw + network)", "M USD", ta.cluster_capex_usd / 1e6, ha, tb.cluster_capex_usd / 1e6, hb,
             0);
  CompareRow(t, "facility capex", "M USD", ta.facility_capex_usd / 1e6, pa, tb.facility_capex_usd / 1e6, pb, 0);
  CompareRow(t, "cost per chip-hour", "USD", ta.usd_per_chip_hour, ca, tb.usd_per_chip_hour, cb, 2);
  CompareRow(t, "cost per million tokens", "USD", ta.usd_per_million_tokens, ca, tb.usd_per_million_tokens, cb, 3);
  row_s("price confidence", "", ha ? ConfidenceName(ta.price_confidence) : "no price",
        hb ? ConfidenceName(tb.price_confidence) : "no price");
  if (!(pa && pb && ha && hb))
    t.AddNote("unknown: no TDP (power, energy, facility) or no price (hardware, cost) in the catalog for that side");
  t.AddNote(fmt::format("candidate counts are multiples of its {}; {} searches in {:.2f} s; power MW = (chips x W/chip + "
                        "nodes x node overhead) x PUE; energy = MW x days x 24",
                        m.unit_reason, m.probes.size(), m.seconds));
  out += t.Render();
  std::string probes = "Probes (chips: tokens/s):";
  for (const MatchProbe& p : m.probes)
    probes += fmt::format(" {}: {}", p.chips, p.tokens_per_s > 0 ? report::FormatSig(p.tokens_per_s, 4) : "no fit");
  return out + probes + "\n";
}

// Bars for two sides: one panel per quantity, each with its own scale and unit.
Result<std::string> WriteBars(const std::string& path, bool force, report::Chart c) {
  return report::WriteChart(path, report::RenderGroupedBars(c), force);
}

// Compact bar label: 16,384 -> "16.4k", 512 -> "512".
std::string Short(double v) {
  const double a = std::fabs(v);
  if (a >= 1e6) return report::FormatSig(v / 1e6, 3) + "M";
  if (a >= 1e4) return report::FormatSig(v / 1e3, 3) + "k";
  return report::FormatSig(v, 3);
}

Result<std::string> WritePlot(const MatchResult& m, const MatchOptions& o, const MatchFlags& f) {
  report::Chart c;
  c.title = fmt::format("{} chips of {} match {} x {} on {} (time to train)", report::FormatInt(m.candidate.chips),
                        m.candidate.system.id, report::FormatInt(m.reference.chips), m.reference.chip.id, o.model.id);
  c.subtitle = fmt::format("{} tokens: {:.1f} days (reference) vs {:.1f} days (candidate); power at the facility (x PUE); "
                           "cost of the run = capex shares + electricity",
                           report::FormatSig(o.tokens, 3), m.reference.totals.train_days, m.candidate.totals.train_days);
  c.categories = {"chips", "racks", "MW (facility)", "MWh per run", "M USD per run"};
  c.x_label = "xpusim match: each panel has its own scale; bars = the two clusters (legend)";
  c.width = 1100;
  for (const MatchSide* s : {&m.reference, &m.candidate}) {
    report::Series se;
    se.name = fmt::format("{} x {}", report::FormatInt(s->chips), s->system.id);
    // Unknown (no TDP, no price): an empty bar labelled so, not a real 0.
    const bool p = s->totals.power_known, c_known = s->totals.cost_known();
    se.y = {static_cast<double>(s->chips), s->racks, p ? s->wall_power_mw : 0, p ? s->totals.energy_mwh : 0,
            c_known ? s->totals.cost_usd / 1e6 : 0};
    se.labels = {Short(s->chips), Short(s->racks), p ? Short(s->wall_power_mw) : "unknown",
                 p ? Short(s->totals.energy_mwh) : "unknown", c_known ? Short(s->totals.cost_usd / 1e6) : "unknown"};
    c.series.push_back(std::move(se));
  }
  return WriteBars(f.plot, f.force, std::move(c));
}

Json ServeSideJson(const ServeMatchSide& s) {
  const ServeResult& r = s.best;
  return {{"system", s.system.id},
          {"chip", s.chip.id},
          {"chips", s.chips},
          {"nodes", s.nodes},
          {"racks", s.racks},
          {"layout", {{"tp", r.layout.tp}, {"pp", r.layout.pp}, {"dp", r.layout.dp}, {"ep", r.layout.ep}}},
          {"batch", r.batch},
          {"tokens_per_s", r.tokens_per_s},
          {"tokens_per_s_per_chip", r.tokens_per_s_per_chip},
          {"ttft_s", r.ttft_s},
          {"tpot_s", r.tpot_s},
          // Unknown (no TDP, no price) is null, not 0.
          {"power_w_per_chip", r.power_known ? Json(r.power_w_per_chip) : Json(nullptr)},
          {"power_mw", r.power_known ? Json(s.power_mw) : Json(nullptr)},
          {"mwh_per_day", r.power_known ? Json(s.mwh_per_day) : Json(nullptr)},
          {"mwh_per_million_tokens", r.power_known ? Json(s.mwh_per_mtok) : Json(nullptr)},
          {"energy_per_token_j", r.power_known ? Json(r.energy_per_token_j) : Json(nullptr)},
          {"usd_per_million_tokens", r.cost_known ? Json(s.usd_per_mtok) : Json(nullptr)},
          {"capex_usd", s.capex_usd > 0 ? Json(s.capex_usd) : Json(nullptr)}};
}

std::string LayoutText(const ServeLayout& l) { return fmt::format("tp{} pp{} dp{} ep{}", l.tp, l.pp, l.dp, l.ep); }

std::string ServeText(const ServeMatchResult& m, const ServeMatchOptions& o) {
  const ServeMatchSide& a = m.reference;
  const ServeMatchSide& b = m.candidate;
  std::string out = fmt::format(
      "Match (serving): {} x {} ({}) vs {} ({}) on {}, {} in / {} out tokens, TPOT <= {} ms{}\n"
      "{} {} chips reach the reference's {} SLO-meeting output tokens/s ({:.2f}x the chips; a peak-FLOPS ratio "
      "would say {}).\n"
      "Whole systems to hold them: {} x {} ({} chips); at the answer's per-chip throughput {} chips would match "
      "exactly (the count overshoots by {:.1f}%).\n\n",
      report::FormatInt(a.chips), a.chip.id, a.system.id, b.chip.id, b.system.id, o.model.id, o.workload.input_len,
      o.workload.output_len, o.slo.tpot_s > 0 ? report::FormatSig(o.slo.tpot_s * 1e3, 4) : "none",
      o.slo.ttft_s > 0 ? fmt::format(", TTFT <= {} ms", report::FormatSig(o.slo.ttft_s * 1e3, 4)) : "",
      report::FormatInt(b.chips), b.chip.id, report::FormatSig(a.best.tokens_per_s, 4),
      static_cast<double>(b.chips) / a.chips, report::FormatInt(static_cast<long long>(std::ceil(m.flops_ratio_chips))),
      report::FormatInt(m.whole_systems), b.system.id, report::FormatInt(m.whole_system_chips),
      report::FormatInt(static_cast<long long>(std::ceil(m.interpolated_chips))),
      100 * (b.chips / m.interpolated_chips - 1));
  report::Table t("Side by side (serving)");
  t.AddColumn("").AddColumn("unit").AddColumn(a.system.id).AddColumn(b.system.id).AddColumn("ratio");
  auto row = [&](const std::string& name, const std::string& unit, double x, double y, int dec) {
    CompareRow(t, name, unit, x, true, y, true, dec);
  };
  row("chips", "", a.chips, b.chips, 0);
  row("nodes", "", a.nodes, b.nodes, 0);
  row("racks (floor space)", "", a.racks, b.racks, 0);
  t.AddRow({report::Text("best layout"), report::Text(""), report::Text(LayoutText(a.best.layout)),
            report::Text(LayoutText(b.best.layout)), report::Text("")});
  row("batch (sequences in flight)", "", a.best.batch, b.best.batch, 0);
  row("output throughput", "tokens/s", a.best.tokens_per_s, b.best.tokens_per_s, 0);
  row("per chip", "tokens/s", a.best.tokens_per_s_per_chip, b.best.tokens_per_s_per_chip, 1);
  row("TTFT", "ms", a.best.ttft_s * 1e3, b.best.ttft_s * 1e3, 1);
  row("TPOT", "ms", a.best.tpot_s * 1e3, b.best.tpot_s * 1e3, 2);
  // A side without a TDP (power) or a price (cost) shows "unknown", not 0.
  auto known_row = [&](const std::string& name, const std::string& unit, double x, bool x_known, double y,
                       bool y_known, int dec) { CompareRow(t, name, unit, x, x_known, y, y_known, dec); };
  const bool pa = a.best.power_known, pb = b.best.power_known;
  known_row("power per chip (avg)", "W", a.best.power_w_per_chip, pa, b.best.power_w_per_chip, pb, 0);
  known_row("facility power (x PUE)", "MW", a.power_mw, pa, b.power_mw, pb, 2);
  known_row("energy per day", "MWh", a.mwh_per_day, pa, b.mwh_per_day, pb, 1);
  known_row("energy per million tokens", "kWh", a.mwh_per_mtok * 1e3, pa, b.mwh_per_mtok * 1e3, pb, 2);
  known_row("cost per million tokens", "USD", a.usd_per_mtok, a.best.cost_known, b.usd_per_mtok, b.best.cost_known, 3);
  known_row("capex (hardware)", "M USD", a.capex_usd / 1e6, a.capex_usd > 0, b.capex_usd / 1e6, b.capex_usd > 0, 1);
  t.AddNote(fmt::format("candidate counts are multiples of its {}; {} serving searches in {:.2f} s; MWh per day = MW x "
                        "24; MWh per Mtok = MW / (tokens/s) x 1e6 / 3600; cost = `serve`'s (hardware and network "
                        "amortised, facility, electricity); unknown: no TDP or price in the catalog",
                        m.unit_reason, m.probes.size(), m.seconds));
  out += t.Render();
  std::string probes = "Probes (chips: SLO-meeting tokens/s):";
  for (const MatchProbe& p : m.probes)
    probes += fmt::format(" {}: {}", p.chips, p.tokens_per_s > 0 ? report::FormatSig(p.tokens_per_s, 4) : "none");
  return out + probes + "\n";
}

Result<std::string> WriteServePlot(const ServeMatchResult& m, const ServeMatchOptions& o, const MatchFlags& f) {
  report::Chart c;
  c.title = fmt::format("{} chips of {} serve as many tokens/s as {} x {} ({})", report::FormatInt(m.candidate.chips),
                        m.candidate.system.id, report::FormatInt(m.reference.chips), m.reference.chip.id, o.model.id);
  c.subtitle = fmt::format("same SLO-meeting output throughput ({} tokens/s, {} in / {} out, TPOT <= {} ms); power at "
                           "the facility (x PUE); cost = capex / amortisation + electricity",
                           report::FormatSig(m.reference.best.tokens_per_s, 3), o.workload.input_len,
                           o.workload.output_len, report::FormatSig(o.slo.tpot_s * 1e3, 3));
  c.categories = {"chips", "racks", "MW (facility)", "MWh per day", "USD per M tokens"};
  c.x_label = "xpusim match --serve: each panel has its own scale; bars = the two deployments (legend)";
  c.width = 1100;
  for (const ServeMatchSide* s : {&m.reference, &m.candidate}) {
    report::Series se;
    se.name = fmt::format("{} x {}", report::FormatInt(s->chips), s->system.id);
    se.y = {static_cast<double>(s->chips), s->racks, s->power_mw, s->mwh_per_day, s->usd_per_mtok};
    se.labels = {Short(s->chips), Short(s->racks), Short(s->power_mw), Short(s->mwh_per_day), Short(s->usd_per_mtok)};
    c.series.push_back(std::move(se));
  }
  return WriteBars(f.plot, f.force, std::move(c));
}

Result<std::string> RunServeMatch(const Catalog& catalog, const MatchFlags& f, const SystemCount& ref, OutputFormat format) {
  ServeMatchOptions o;
  XPU_ASSIGN_OR_RETURN(o.model, catalog.ResolveModel(f.model));
  XPU_ASSIGN_OR_RETURN(o.reference, catalog.ResolveSystem(ref.system));
  XPU_ASSIGN_OR_RETURN(o.candidate, catalog.ResolveSystem(f.candidate));
  o.reference_chips = ref.chips;
  if (f.input_len < 1 || f.output_len < 1)
    return Status::Invalid("--serve needs --input-len and --output-len (tokens per request, >= 1)");
  if (!std::isfinite(f.tpot_slo_ms) || f.tpot_slo_ms <= 0)
    return Status::Invalid("--serve needs --tpot-slo-ms > 0 (the time-per-output-token limit both sides must meet)");
  if (!std::isfinite(f.ttft_slo_ms) || f.ttft_slo_ms < 0) return Status::Invalid("--ttft-slo-ms must be >= 0");
  o.workload.input_len = f.input_len;
  o.workload.output_len = f.output_len;
  o.slo.tpot_s = f.tpot_slo_ms / 1e3;
  o.slo.ttft_s = f.ttft_slo_ms / 1e3;
  XPU_ASSIGN_OR_RETURN(o.base.weights, ParseWeightPrecision(f.weights));
  XPU_ASSIGN_OR_RETURN(o.base.kv, ParseKvPrecision(f.kv));
  o.options.pue = f.pue;
  o.options.search_prefill_chunk = true;  // each side tuned to the TTFT SLO, as `serve --search` and `plan` do
  o.options.usd_per_kwh = f.usd_per_kwh;
  o.options.amortization_years = f.amortization_years;
  o.options.utilization = f.utilization;  // 0 (not given): the data file's
  XPU_ASSIGN_OR_RETURN(o.step, ParseMatchStep(f.step));
  XPU_ASSIGN_OR_RETURN(ServeMatchResult m, MatchServing(catalog, o));
  std::string plot_note;
  if (!f.plot.empty()) {
    XPU_ASSIGN_OR_RETURN(plot_note, WriteServePlot(m, o, f));
  }
  if (format == OutputFormat::kJson) {
    Json j = {{"model", o.model.id},
              {"target", "serving_throughput"},
              {"input_len", o.workload.input_len},
              {"output_len", o.workload.output_len},
              {"tpot_slo_ms", f.tpot_slo_ms},
              {"ttft_slo_ms", f.ttft_slo_ms},
              {"weights", PrecisionName(o.base.weights)},  // "bf16" also for --weights bfloat16
              {"kv", PrecisionName(o.base.kv)},
              {"reference", ServeSideJson(m.reference)},
              {"candidate", ServeSideJson(m.candidate)}};
    AddCountJson(m, &j);
    if (!f.plot.empty()) j["plot"] = f.plot;
    return j.dump(2) + "\n";
  }
  return ServeText(m, o) + plot_note;
}

}  // namespace

CommandRunner SetupMatchCommand(CLI::App& app) {
  auto f = std::make_shared<MatchFlags>();
  app.add_option("--reference", f->reference, "Reference cluster SYSTEM:CHIPS, e.g. dgx-h100:16384")->required();
  app.add_option("--candidate", f->candidate, "Candidate system id or YAML (its chip count is the answer)")->required();
  app.add_option("--model", f->model, "Model id, HF config.json or model YAML")->required();
  app.add_option("--tokens", f->tokens, "Training tokens for days, MWh and cost, (0, 1e18] (default 15e12)");
  app.add_option("--seq", f->seq, "Sequence length (default min(model max, 8192))");
  app.add_option("--global-batch", f->global_batch, "Sequences per step (default: ~4M tokens, or 1,024 tokens per reference chip when more)");
  app.add_option("--precision", f->precision, "bf16|fp16|fp8");
  app.add_option("--pue", f->pue, "Facility PUE for both sides (default: each system's)")->check(Pue());
  app.add_option("--usd-per-kwh", f->usd_per_kwh, "Electricity price (default 0.08)");
  app.add_option("--amortization-years", f->amortization_years, "Hardware amortisation period (default 4)");
  app.add_option("--utilization", f->utilization,
                 "Share of cluster hours doing useful work (with --serve: serving paid traffic), (0,1] (default 1)")
      ->check(Fraction());
  app.add_option("--step", f->step,
                 "Candidate count granularity: node (whole servers, also inside a supernode; default) or system "
                 "(whole scale-up domains)");
  app.add_option("--threads", f->threads, "Training search threads (default: all cores)");
  app.add_option("--plot", f->plot, "Write an SVG bar chart (chips, racks, MW, MWh, cost); PNG too if rsvg-convert exists");
  app.add_flag("--force", f->force, "Overwrite the --plot file if it exists");
  app.add_flag("--serve", f->serve, "Match the reference's SLO-meeting serving throughput instead of time-to-train");
  app.add_option("--input-len", f->input_len, "With --serve: prompt tokens per request");
  app.add_option("--output-len", f->output_len, "With --serve: generated tokens per request");
  app.add_option("--tpot-slo-ms", f->tpot_slo_ms, "With --serve: time-per-output-token limit (ms)");
  app.add_option("--ttft-slo-ms", f->ttft_slo_ms, "With --serve: time-to-first-token limit (ms, default none)");
  app.add_option("--weights", f->weights, "With --serve: weight format bf16|fp8|int8|int4|fp4 (default bf16)");
  app.add_option("--kv", f->kv, "With --serve: KV-cache format bf16|fp8|int8 (default bf16)");
  CLI::App* a = &app;
  return [f, a](Context& ctx) -> Result<std::string> {
    XPU_RETURN_IF_ERROR(ctx.CheckFormat("match", {OutputFormat::kTable, OutputFormat::kJson}));
    // A flag of the other target would be silently ignored: refuse it (given
    // at all, even with its default value).
    if (f->serve) {
      for (const char* flag : {"--tokens", "--seq", "--global-batch", "--precision", "--threads"})
        if (a->count(flag) > 0)
          return Status::Invalid(fmt::format("{} applies to the training match; the serving match (--serve) does not "
                                             "use it: drop {} (or --serve)",
                                             flag, flag));
    } else {
      for (const char* flag : {"--input-len", "--output-len", "--tpot-slo-ms", "--ttft-slo-ms", "--weights", "--kv"})
        if (a->count(flag) > 0)
          return Status::Invalid(
              fmt::format("{} describes a serving target: add --serve (or drop {})", flag, flag));
    }
    XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
    XPU_ASSIGN_OR_RETURN(SystemCount ref, ParseSystemCount(f->reference));
    if (f->serve) return RunServeMatch(*catalog, *f, ref, ctx.format());
    MatchOptions o;
    XPU_ASSIGN_OR_RETURN(o.model, catalog->ResolveModel(f->model));
    XPU_ASSIGN_OR_RETURN(o.reference, catalog->ResolveSystem(ref.system));
    XPU_ASSIGN_OR_RETURN(o.candidate, catalog->ResolveSystem(f->candidate));
    o.reference_chips = ref.chips;
    XPU_ASSIGN_OR_RETURN(o.workload.precision,
                         ParsePrecisionAmong("--precision", f->precision,
                                             {Precision::kBf16, Precision::kFp16, Precision::kFp8}));
    o.workload.seq_len = f->seq ? *f->seq : std::min<int64_t>(o.model.max_seq > 0 ? o.model.max_seq : 4096, 8192);
    if (o.workload.seq_len < 1) return Status::Invalid("--seq must be >= 1");
    // Default batch: ~4M tokens, or 1,024 tokens per reference chip when that
    // is more (Llama 3 405B: 16M-token batches on 16,384 H100, arXiv:2407.21783
    // Table 4). A fixed 4M tokens starves a 16k-chip reference's data
    // parallelism and flatters systems with large scale-up domains.
    const int64_t default_tokens = std::max<int64_t>(int64_t{4} << 20, 1024 * o.reference_chips);
    o.workload.global_batch = f->global_batch ? *f->global_batch : std::max<int64_t>(1, default_tokens / o.workload.seq_len);
    if (o.workload.global_batch < 1) return Status::Invalid("--global-batch must be >= 1");
    if (!std::isfinite(f->tokens) || f->tokens <= 0 || f->tokens > 1e18)
      return Status::Invalid(fmt::format("--tokens must be a number in (0, 1e18] (got {})", f->tokens));
    o.tokens = f->tokens;
    o.options.pue = f->pue;
    o.options.usd_per_kwh = f->usd_per_kwh;
    o.options.amortization_years = f->amortization_years;
    o.options.utilization = f->utilization;
    if (f->threads < 0) return Status::Invalid("--threads must be >= 0");
    o.search.threads = f->threads;
    XPU_ASSIGN_OR_RETURN(o.step, ParseMatchStep(f->step));
    XPU_ASSIGN_OR_RETURN(MatchResult m, MatchTraining(*catalog, o));
    std::string plot_note;
    if (!f->plot.empty()) {
      XPU_ASSIGN_OR_RETURN(plot_note, WritePlot(m, o, *f));
    }
    if (ctx.format() == OutputFormat::kJson) {
      Json j = {{"model", o.model.id},
                {"seq", o.workload.seq_len},
                {"global_batch", o.workload.global_batch},
                {"tokens", o.tokens},
                {"target", "time_to_train"},
                {"reference", SideJson(m.reference)},
                {"candidate", SideJson(m.candidate)}};
      AddCountJson(m, &j);
      if (!f->plot.empty()) j["plot"] = f->plot;
      return j.dump(2) + "\n";
    }
    return Text(m, o) + plot_note;
  };
}

}  // namespace xpusim::cli

namespace xpusim::cli {

// `train --search --plot FILE.svg`: time vs energy of the plans the search
// keeps (up to kPlotPlans best by time, re-run with a large top-k so the
// front is not cut to --top), coloured by cost tercile, with the Pareto front.
Result<std::string> WriteTrainSearchPlot(const TrainEvaluator& ev, SearchOptions o, const TrainFlags& f) {
  constexpr int kPlotPlans = 2000;
  o.top_k = kPlotPlans;
  o.objective = SearchObjective::kTime;
  o.progress = nullptr;
  XPU_ASSIGN_OR_RETURN(SearchResult s, SearchPlans(ev, o));
  if (s.top.empty()) return std::string();
  std::vector<double> cost;
  for (const RankedPlan& p : s.top) cost.push_back(p.cost_per_token_usd * 1e6);
  std::vector<double> sorted = cost;
  std::sort(sorted.begin(), sorted.end());
  const double t1 = sorted[sorted.size() / 3], t2 = sorted[2 * sorted.size() / 3];
  report::Chart c;
  c.title = fmt::format("{} on {} x {}: {} plans that fit", ev.model().id, report::FormatInt(ev.chips()), ev.chip().id,
                        s.top.size());
  c.subtitle = "time vs energy per token; colour: cost per million tokens (capex shares + electricity); dashed: Pareto front";
  c.x_label = "step time (s)";
  c.y_label = "energy per token (J, at the wall)";
  c.pareto = true;
  c.width = 960;
  c.series = {{fmt::format("cheapest third (<= {:.3g} USD/Mtok)", t1), {}, {}, {}},
              {fmt::format("middle third (<= {:.3g})", t2), {}, {}, {}},
              {"most expensive third", {}, {}, {}}};
  for (size_t i = 0; i < s.top.size(); ++i) {
    const TrainResult& r = s.top[i].result;
    report::Series& se = c.series[cost[i] <= t1 ? 0 : cost[i] <= t2 ? 1 : 2];
    se.x.push_back(r.step_time_s);
    se.y.push_back(r.energy_per_token_j);
    se.labels.push_back(i == 0 ? "best: " + report::PlanToString(r.plan) : "");
  }
  return report::WriteChart(f.plot, report::RenderScatter(c), f.force);
}

}  // namespace xpusim::cli
