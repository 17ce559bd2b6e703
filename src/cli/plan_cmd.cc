// `xpusim plan --scenario FILE`: the fleet that minimises cost or time for a
// training job under power, budget, supply and export limits
// (plan/fleet_plan.h, doc/planning.md). An infeasible scenario is an answer,
// not an error: the command prints which constraint makes it so and exits
// 0; with --json, "status" is "infeasible".
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "plan/fleet_plan.h"
#include "plan/fleet_scenario.h"
#include "report/catalog_json.h"
#include "report/format.h"
#include "report/table.h"
#include "report/train_report.h"

namespace xpusim::cli {
namespace {

using report::Json;

struct PlanFlags {
  std::string scenario;
};

Json NumOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json ToJson(const FleetPlanResult& r, const FleetScenario& sc) {
  Json fleet = Json::array();
  for (const FleetRow& row : r.fleet) {
    const FleetCandidate& c = r.candidates[row.candidate];
    const FleetRung& g = c.rungs[row.rung];
    fleet.push_back({{"system", c.system.id},
                     {"chip", c.chip.id},
                     {"chips", g.chips},
                     {"nodes", g.nodes},
                     {"racks", g.racks > 0 ? Json(g.racks) : Json(nullptr)},
                     {"plan", report::PlanToString(g.best.plan)},
                     {"tokens_per_s", g.best.tokens_per_s},
                     {"token_share", row.tokens / sc.tokens},
                     {"busy_days", row.busy_days},
                     {"site_mw", g.site_mw},
                     {"avg_power_mw", g.avg_mw},
                     {"capex_usd", g.capex_usd},
                     {"energy_mwh", row.energy_mwh},
                     {"electricity_usd", row.electricity_usd},
                     {"sequences_per_step", g.global_batch}});
  }
  Json cons = Json::array();
  for (const FleetConstraint& c : r.constraints)
    cons.push_back({{"name", c.name},
                    {"unit", c.unit},
                    {"limit", c.limit},
                    {"used", c.used},
                    {"slack", c.slack},
                    {"binding", c.binding},
                    {"objective_if_relaxed", NumOrNull(c.objective_if_relaxed)},
                    {"detail", c.detail}});
  Json cands = Json::array();
  for (const FleetCandidate& c : r.candidates) {
    Json rungs = Json::array();
    for (const FleetRung& g : c.rungs) rungs.push_back({{"chips", g.chips}, {"tokens_per_s", g.best.tokens_per_s}});
    cands.push_back({{"system", c.system.id},
                     {"chip", c.chip.id},
                     {"ecosystem", c.chip.ecosystem},
                     {"available", c.access.allowed},
                     {"access", c.access.why},
                     {"supply_chips", c.supply_chips > 0 ? Json(c.supply_chips) : Json(nullptr)},
                     {"supply", c.supply_note},
                     {"excluded", c.excluded},
                     {"rungs", rungs}});
  }
  const FleetTotals& t = r.totals;
  Json j = {{"status", r.feasible ? "optimal" : "infeasible"},
            {"scenario", sc.name.empty() ? sc.file : sc.name},
            {"objective_name", r.objective_name},
            {"objective", r.feasible ? Json(r.objective) : Json(nullptr)},
            {"model", sc.model},
            {"tokens", sc.tokens},
            {"seq", r.seq},
            {"global_batch", r.global_batch},
            {"target_days", r.duration_s > 0 ? Json(r.duration_s / 86400) : Json(nullptr)},
            {"fleet", fleet},
            {"totals",
             {{"chips", t.chips},
              {"site_mw", t.site_mw},
              {"avg_power_mw", t.avg_mw},
              {"capex_usd", t.capex_usd},
              {"train_days", t.train_days},
              {"tokens_per_s", t.tokens_per_s},
              {"energy_mwh", t.energy_mwh},
              {"electricity_usd", t.electricity_usd},
              {"total_cost_usd", t.total_cost_usd},
              {"sync_s_per_step", t.sync_s_per_step}}},
            {"binding_constraints", cons},
            {"candidates", cands},
            {"searches", r.searches},
            {"milp_solves", r.milp_solves},
            {"milp_seconds", r.milp_seconds},
            {"seconds", r.seconds}};
  if (!r.feasible) {
    Json fixes = Json::array();
    for (const auto& f : r.fixes) fixes.push_back(f);
    j["infeasible_because"] = fixes;
    j["message"] = r.why_infeasible;
  }
  return j;
}

std::string Text(const FleetPlanResult& r, const FleetScenario& sc) {
  std::string out = fmt::format(
      "Plan: {}\n{} on {} tokens (seq {}, global batch {}); objective: minimise {}; buyer '{}' in {}{}{}{}{}\n\n",
      sc.name.empty() ? sc.file : sc.name, sc.model, report::FormatSig(sc.tokens, 3), r.seq,
      report::FormatInt(r.global_batch), sc.objective, sc.region, sc.year, sc.domestic_only ? " (domestic only)" : "",
      r.duration_s > 0 ? fmt::format("; target {:.1f} days", r.duration_s / 86400) : "",
      sc.power_mw > 0 ? fmt::format("; site cap {} MW", report::FormatNumber(sc.power_mw, 1)) : "",
      sc.budget_usd > 0 ? fmt::format("; budget {} M USD", report::FormatNumber(sc.budget_usd / 1e6, 0)) : "");
  if (!r.feasible) {
    out += "INFEASIBLE: " + r.why_infeasible + "\n";
  } else {
    report::Table t("Fleet");
    t.AddColumn("system").AddColumn("chips").AddColumn("nodes").AddColumn("racks").AddColumn("plan");
    t.AddColumn("tokens/s").AddColumn("seq/step").AddColumn("share", "%").AddColumn("MW", "site").AddColumn("capex", "M USD");
    t.AddColumn("busy", "days").AddColumn("energy", "MWh").AddColumn("electricity", "M USD");
    for (const FleetRow& row : r.fleet) {
      const FleetCandidate& c = r.candidates[row.candidate];
      const FleetRung& g = c.rungs[row.rung];
      t.AddRow({report::Text(c.system.id), report::Int(g.chips), report::Num(g.nodes, 0),
                g.racks > 0 ? report::Num(g.racks, 0) : report::Text("?"), report::Text(report::PlanToString(g.best.plan)),
                report::Sig(g.best.tokens_per_s, 4), report::Int(g.global_batch), report::Num(100 * row.tokens / sc.tokens, 1), report::Num(g.site_mw, 2),
                report::Num(g.capex_usd / 1e6, 1), report::Num(row.busy_days, 1), report::Num(row.energy_mwh, 0),
                report::Num(row.electricity_usd / 1e6, 2)});
    }
    const FleetTotals& x = r.totals;
    t.AddRow({report::Text("total"), report::Int(x.chips), report::Text(""), report::Text(""), report::Text(""),
              report::Sig(x.tokens_per_s, 4), report::Int(r.global_batch), report::Num(100, 0), report::Num(x.site_mw, 2),
              report::Num(x.capex_usd / 1e6, 1), report::Num(x.train_days, 1), report::Num(x.energy_mwh, 0),
              report::Num(x.electricity_usd / 1e6, 2)});
    t.AddNote(fmt::format("time to train {:.1f} days; total cost {} M USD = capex {} + electricity {}; average power {} MW{}",
                          x.train_days, report::FormatNumber(x.total_cost_usd / 1e6, 1),
                          report::FormatNumber(x.capex_usd / 1e6, 1), report::FormatNumber(x.electricity_usd / 1e6, 2),
                          report::FormatNumber(x.avg_mw, 2),
                          r.fleet.size() > 1 ? fmt::format("; mixed job: {:.3f} s cross-type gradient exchange per step",
                                                           x.sync_s_per_step)
                                             : ""));
    out += t.Render();
  }
  if (!r.constraints.empty()) {
    report::Table c("Constraints");
    c.AddColumn("constraint").AddColumn("limit").AddColumn("used").AddColumn("slack").AddColumn("binding");
    c.AddColumn("objective if relaxed").AddColumn("what");
    for (const FleetConstraint& k : r.constraints) {
      auto fmtv = [&](double v) {
        return k.unit == "USD" ? fmt::format("{} M USD", report::FormatNumber(v / 1e6, 1))
                               : fmt::format("{} {}", report::FormatSig(v, 4), k.unit);
      };
      const std::string relaxed =
          !std::isfinite(k.objective_if_relaxed) ? "still infeasible"
          : r.objective_name == "cost_usd"        ? fmt::format("{} M USD", report::FormatNumber(k.objective_if_relaxed / 1e6, 1))
                                                  : fmt::format("{:.1f} days", k.objective_if_relaxed);
      c.AddRow({report::Text(k.name), report::Text(k.name == "export" ? "-" : fmtv(k.limit)),
                report::Text(k.name == "export" ? "-" : fmtv(k.used)), report::Text(k.name == "export" ? "-" : fmtv(k.slack)),
                report::Text(k.binding ? "yes" : "no"), report::Text(relaxed), report::Text(k.detail)});
    }
    c.AddNote("binding: relaxing this constraint alone gives a better objective (re-solved with GLPK)");
    out += "\n" + c.Render();
  }
  report::Table cand("Candidates");
  cand.AddColumn("system").AddColumn("chip").AddColumn("available").AddColumn("supply").AddColumn("rungs (chips)");
  for (const FleetCandidate& c : r.candidates) {
    std::string rungs = c.excluded;
    if (rungs.empty() && !c.rungs.empty())
      rungs = fmt::format("{} from {} to {}", c.rungs.size(), report::FormatInt(c.rungs.front().chips),
                          report::FormatInt(c.rungs.back().chips));
    cand.AddRow({report::Text(c.system.id), report::Text(c.chip.id),
                 report::Text(c.access.allowed ? (c.access.why.empty() ? "yes" : "yes: " + c.access.why) : "no: " + c.access.why),
                 report::Text(c.supply_note), report::Text(rungs)});
  }
  cand.AddNote(fmt::format("{} plan searches, {} MILP solves (GLPK, {:.2f} s), {:.2f} s in all", r.searches, r.milp_solves,
                           r.milp_seconds, r.seconds));
  out += "\n" + cand.Render();
  return out;
}

}  // namespace

CommandRunner SetupPlanCommand(CLI::App& app) {
  auto f = std::make_shared<PlanFlags>();
  app.add_option("--scenario", f->scenario, "Scenario YAML (format: doc/planning.md; examples/plan-*.yaml)")->required();
  return [f](Context& ctx) -> Result<std::string> {
    XPU_RETURN_IF_ERROR(ctx.CheckFormat("plan", {OutputFormat::kTable, OutputFormat::kJson}));
    XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
    XPU_ASSIGN_OR_RETURN(FleetScenario sc, LoadFleetScenario(f->scenario));
    XPU_ASSIGN_OR_RETURN(FleetPlanResult r, PlanFleet(*catalog, sc));
    if (ctx.format() == OutputFormat::kJson) return ToJson(r, sc).dump(2) + "\n";
    return Text(r, sc);
  };
}

}  // namespace xpusim::cli
