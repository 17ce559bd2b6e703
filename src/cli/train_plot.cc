#include "cli/train_plot.h"

#include <fmt/format.h>

#include "report/train_report.h"

namespace xpusim::cli {

report::Chart TrainBreakdownChart(const TrainEvaluator& ev, const TrainResult& r) {
  const TimeBreakdownS& t = r.time;
  const MemoryBreakdownGb& m = r.memory;
  report::Chart c;
  c.title = fmt::format("{} on {} x {}: step {:.3g} s, MFU {:.1f}%", ev.model().name, ev.chips(), ev.chip().id,
                        r.step_time_s, 100 * r.mfu);
  c.subtitle = report::PlanToString(r.plan);
  c.x_label = fmt::format("memory per chip {:.1f} of {:.0f} GB{}: weights {:.1f}, gradients {:.1f}, optimizer {:.1f}, "
                           "activations {:.1f}, other {:.1f}",
                           r.memory_per_chip_gb, r.memory_capacity_gb, r.fits ? "" : " (does not fit)", m.weights,
                           m.gradients, m.optimizer, m.activations, m.other);
  c.y_label = "seconds per step (exposed)";
  const std::pair<const char*, double> parts[] = {
      {"compute", t.compute}, {"TP comm", t.tp_comm}, {"CP comm", t.cp_comm},     {"PP bubble", t.pp_bubble},
      {"PP comm", t.pp_comm}, {"DP comm", t.dp_comm}, {"EP comm", t.ep_comm},     {"optimizer", t.optimizer},
      {"other", t.other}};
  report::Series s{"time per step (s)", {}, {}, {}};
  for (const auto& [name, v] : parts) {
    if (v <= 0) continue;
    c.categories.push_back(name);
    s.y.push_back(v);
    s.labels.push_back(fmt::format("{:.3g}", v));
  }
  c.series.push_back(std::move(s));
  return c;
}

Result<std::string> WriteTrainPlot(const TrainEvaluator& ev, const TrainResult& r, const std::string& path,
                                   bool force) {
  return report::WriteChart(path, report::RenderBarChart(TrainBreakdownChart(ev, r)), force);
}

}  // namespace xpusim::cli
