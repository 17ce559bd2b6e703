#include "sweep/plot.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "catalog/yaml_fields.h"
#include "report/chart_svg.h"

namespace xpusim::sweep {

std::string AxisLabel(const std::string& c) {
  static const std::map<std::string, std::string> kLabels = {
      {"step_time_s", "step time (s)"},
      {"tokens_per_s", "throughput (tokens/s)"},
      {"mfu", "MFU (fraction of peak)"},
      {"fits", "fits in memory (1 = yes)"},
      {"memory_per_chip_gb", "memory per chip (GB)"},
      {"memory_capacity_gb", "memory capacity per chip (GB)"},
      {"model_tflops_per_chip", "model TFLOP/s per chip"},
      {"power_w_per_chip", "power per chip (W)"},
      {"cluster_power_kw", "cluster power at the wall (kW)"},
      {"energy_per_token_j", "energy per token (J)"},
      {"train_days", "training time (days)"},
      {"energy_mwh", "training energy (MWh)"},
      {"cost_usd", "training cost (USD)"},
      {"plans_evaluated", "plans evaluated (count)"},
      {"search_s", "search time (s)"},
      {"eval_s", "evaluation time (s)"},
  };
  auto it = kLabels.find(c);
  return it != kLabels.end() ? it->second : c;
}

Result<std::string> RenderSweepPlot(const Store& store, const std::string& y_column, const std::string& title) {
  XPU_ASSIGN_OR_RETURN(std::vector<StoredRow> rows, store.ReadRows({y_column}));
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const StoredRow& r) { return !r.values[0].has_value(); }),
             rows.end());
  if (rows.empty())
    return Status::Precondition(fmt::format("no successful point has a value of '{}' to plot", y_column));
  // A line's name shows only the inputs that vary across the sweep.
  std::set<std::string> models, systems;
  std::set<int64_t> seqs, batches;
  std::set<std::string> precisions;
  std::set<double> tokens;
  for (const StoredRow& r : rows) {
    models.insert(r.model), systems.insert(r.system), seqs.insert(r.seq), batches.insert(r.global_batch);
    precisions.insert(r.precision), tokens.insert(r.tokens);
  }
  auto name_of = [&](const StoredRow& r) {
    std::vector<std::string> parts;
    if (models.size() > 1 || systems.size() == 1) parts.push_back(r.model);
    if (systems.size() > 1 || models.size() == 1) parts.push_back(r.system);
    if (seqs.size() > 1) parts.push_back(fmt::format("seq {}", r.seq));
    if (batches.size() > 1) parts.push_back(fmt::format("batch {}", r.global_batch));
    if (precisions.size() > 1) parts.push_back(r.precision);
    if (tokens.size() > 1) parts.push_back(fmt::format("{} tokens", FormatNumber(r.tokens)));
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : " / ") + p;
    return s;
  };
  std::vector<std::string> order;  // first appearance, i.e. grid order
  std::map<std::string, std::vector<std::pair<double, double>>> lines;
  for (const StoredRow& r : rows) {
    const std::string n = name_of(r);
    if (!lines.count(n)) order.push_back(n);
    lines[n].emplace_back(static_cast<double>(r.chips), *r.values[0]);
  }
  report::Chart c;
  c.title = title;
  c.x_label = "chips (count)";
  c.y_label = AxisLabel(y_column);
  c.subtitle = fmt::format("{} of {} successful points", AxisLabel(y_column), rows.size());
  if (order.size() > kMaxPlotSeries) {
    c.subtitle += fmt::format("; first {} of {} lines shown", kMaxPlotSeries, order.size());
    order.resize(kMaxPlotSeries);
  }
  for (const std::string& n : order) {
    auto& pts = lines[n];
    std::sort(pts.begin(), pts.end());
    report::Series s;
    s.name = n;
    for (const auto& [x, y] : pts) s.x.push_back(x), s.y.push_back(y);
    c.series.push_back(std::move(s));
  }
  return report::RenderLineChart(c);
}

}  // namespace xpusim::sweep
