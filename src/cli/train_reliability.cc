#include "cli/train_reliability.h"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "report/format.h"
#include "train/optimizer_state.h"
#include "report/table.h"

namespace xpusim::cli {

namespace rel = xpusim::reliability;

Status CheckReliabilityFlags(const TrainFlags& f) {
  if (!f.reliability) {
    if (f.trials != 0) return Status::Invalid("--trials goes with --reliability");
    if (f.seed) return Status::Invalid("--seed goes with --reliability --trials N");
    if (f.storage_gb_s != 0) return Status::Invalid("--storage-gb-s goes with --reliability");
    return Status::Ok();
  }
  if (f.search)
    return Status::Invalid("--reliability analyses one plan; drop --search (or run the chosen plan with --reliability)");
  if (!(f.tokens > 0))
    return Status::Invalid("--reliability needs --tokens (the run length, e.g. --tokens 15e12)");
  if (f.trials < 0 || f.trials > 1'000'000)
    return Status::Invalid(fmt::format("--trials must be between 1 and 1000000 (got {})", f.trials));
  if (f.seed && f.trials == 0) return Status::Invalid("--seed goes with --trials N (the Monte Carlo)");
  if (f.seed && *f.seed < 0) return Status::Invalid(fmt::format("--seed must be >= 0 (got {})", *f.seed));
  if (!std::isfinite(f.storage_gb_s) || f.storage_gb_s < 0 || f.storage_gb_s > 1e9)
    return Status::Invalid(fmt::format(
        "--storage-gb-s must be a finite aggregate bandwidth in GB/s, > 0 and <= 1e9 (got {})", f.storage_gb_s));
  return Status::Ok();
}

Result<rel::RunReliability> AnalyzeTrainReliability(const Context& ctx, const TrainEvaluator& ev,
                                                    const RunTotals& totals, const TrainFlags& f) {
  const std::filesystem::path dir =
      ctx.options().data_dir.empty() ? Catalog::DefaultDataDir() : std::filesystem::path(ctx.options().data_dir);
  XPU_ASSIGN_OR_RETURN(rel::FailureRates rates, rel::LoadFailureRates(dir / "reliability" / "failure_rates.yaml"));
  rel::RunInputs in;
  in.params = static_cast<double>(TotalParams(ev.model()));
  // A checkpoint holds the weights and the optimizer state (not the
  // gradients). With the default formats that is the data file's 14 bytes;
  // other state formats (--exp-avg-dtype ...) save what the run keeps.
  const StateBytesPerParam state = StateBytes(ev.options()), standard = StateBytes(TrainOptions{});
  if (state.weights + state.optimizer != standard.weights + standard.optimizer)
    in.checkpoint_bytes_per_param = state.weights + state.optimizer;
  in.chips = ev.chips();
  in.chips_per_node = ev.system().chips_per_node;
  in.chip_id = ev.chip().id;
  in.node_storage_gb_s = ev.system().storage_bandwidth_gb_s.value;
  in.storage_gb_s_override = f.storage_gb_s;
  in.train_s = totals.train_days * 86400;
  in.trials = f.trials;
  in.seed = static_cast<uint64_t>(f.seed.value_or(1));
  return rel::AnalyzeRun(rates, in);
}

namespace {

// Expected / failure-free wall time: what energy and the capex share scale by.
double Stretch(const rel::RunReliability& r) { return r.train_days > 0 ? r.effective_train_days / r.train_days : 1.0; }

}  // namespace

void AddReliabilityJson(const rel::RunReliability& r, const RunTotals& totals, report::Json* j) {
  report::Json& o = *j;
  o["goodput"] = r.closed.goodput;
  o["interruptions_expected"] = r.closed.interruptions;
  o["checkpoint_interval_s"] = r.closed.interval_s;
  o["effective_train_days"] = r.effective_train_days;
  const double k = Stretch(r);
  o["effective_energy_mwh"] = totals.power_known ? report::Json(totals.energy_mwh * k) : report::Json(nullptr);
  o["effective_cost_usd"] = totals.cost_known() ? report::Json(totals.cost_usd * k) : report::Json(nullptr);
  o["mtbf_h"] = r.rate.mtbf_h;
  o["checkpoint_write_s"] = r.checkpoint_write_s;
  o["restart_s"] = r.restart_s;
  report::Json d;
  d["interruptions_per_day"] = r.interruptions_per_day;
  d["checkpoint_gb"] = r.checkpoint_gb;
  d["storage_gb_s"] = r.storage_gb_s;
  d["storage_basis"] = r.storage_basis;
  d["young_interval_s"] = r.closed.young_interval_s;
  d["checkpoints"] = r.closed.checkpoints;
  d["failure_free_train_days"] = r.train_days;
  d["rates_basis"] = r.rates_measured_on_chip ? "measured on this chip (Llama 3 405B run)"
                                              : "estimate: per-chip rates of the reference chip";
  report::Json units;
  units["chips"] = r.units.chips;
  units["nics"] = r.units.nics;
  units["nodes"] = r.units.nodes;
  units["switches"] = r.units.switches;
  d["fleet_units"] = units;
  report::Json groups = report::Json::object();
  for (const auto& [g, v] : r.rate.per_group_per_hour) groups[g] = v * 24;
  d["interruptions_per_day_by_group"] = groups;
  if (r.monte_carlo) {
    const rel::MonteCarlo& mc = *r.monte_carlo;
    report::Json m;
    m["trials"] = mc.trials;
    m["seed"] = mc.seed;
    m["mean_effective_days"] = mc.mean_wall_s / 86400;
    m["stddev_effective_days"] = mc.stddev_wall_s / 86400;
    m["p10_effective_days"] = mc.p10_wall_s / 86400;
    m["p50_effective_days"] = mc.p50_wall_s / 86400;
    m["p90_effective_days"] = mc.p90_wall_s / 86400;
    m["mean_interruptions"] = mc.mean_interruptions;
    m["p10_interruptions"] = mc.p10_interruptions;
    m["p50_interruptions"] = mc.p50_interruptions;
    m["p90_interruptions"] = mc.p90_interruptions;
    d["monte_carlo"] = m;
  }
  o["reliability"] = d;
}

std::string ReliabilityText(const rel::RunReliability& r, const RunTotals& totals, const TrainEvaluator& ev) {
  using report::FormatNumber;
  using report::FormatSig;
  report::Table t("Reliability (failures, checkpoints, goodput)");
  t.AddColumn("metric").AddColumn("value", "", report::Align::kRight).AddColumn("unit");
  auto row = [&](const std::string& k, const std::string& v, const std::string& u) {
    t.AddRow({report::Text(k), report::Cell{v, v, true}, report::Text(u)});
  };
  row("fleet MTBF", FormatSig(r.rate.mtbf_h, 3), "h");
  row("interruptions per day", FormatSig(r.interruptions_per_day, 3), "");
  row("interruptions expected", FormatNumber(r.closed.interruptions, 0), "");
  row("checkpoint size", FormatNumber(r.checkpoint_gb, 0), "GB");
  row("checkpoint write", FormatSig(r.checkpoint_write_s, 3), "s");
  row("restart (relaunch + restore)", FormatSig(r.restart_s, 3), "s");
  row("checkpoint interval (Daly)", FormatSig(r.closed.interval_s, 3), "s");
  row("goodput", FormatNumber(100 * r.closed.goodput, 1), "%");
  row("time to train, no failures", FormatNumber(r.train_days, 1), "days");
  row("time to train, expected", FormatNumber(r.effective_train_days, 1), "days");
  // The cluster is powered and owned over the expected wall time.
  const double k = Stretch(r);
  row("energy, expected", totals.power_known ? FormatNumber(totals.energy_mwh * k, 0) : "unknown", "MWh");
  row("cost, expected", totals.cost_known() ? FormatNumber(totals.cost_usd * k / 1e6, 2) : "unknown", "M USD");
  if (r.monte_carlo) {
    const auto& mc = *r.monte_carlo;
    row(fmt::format("Monte Carlo mean ({} trials)", mc.trials), FormatNumber(mc.mean_wall_s / 86400, 2), "days");
    row("Monte Carlo p10 / p50 / p90",
        fmt::format("{} / {} / {}", FormatNumber(mc.p10_wall_s / 86400, 2), FormatNumber(mc.p50_wall_s / 86400, 2),
                    FormatNumber(mc.p90_wall_s / 86400, 2)),
        "days");
  }
  t.AddNote("storage: " + r.storage_basis);
  t.AddNote("expected energy and cost: the failure-free run's x expected / failure-free days (the cluster is owned and "
            "powered while it restarts and redoes work; restarts draw less than the average, so an upper bound)");
  if (!r.rates_measured_on_chip)
    t.AddNote("failure rates: estimate (per-chip rates measured on the H100 in Llama 3 405B training, applied to " +
              ev.chip().id + ")");
  return "\n" + t.Render();
}

}  // namespace xpusim::cli
