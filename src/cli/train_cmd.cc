// `xpusim train`: predict one training step (or, with --search, find the
// best plan) for a model on a system. Flags and JSON keys: shared/DESIGN.md.
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/train_flags.h"
#include "cli/train_plot.h"
#include "cli/train_reliability.h"
#include "report/train_report.h"
#include "xpusim/train.h"

namespace xpusim::cli {

CommandRunner SetupTrainCommand(CLI::App& app) {
  auto f = std::make_shared<TrainFlags>();
  AddTrainFlags(app, *f);
  return [f](Context& ctx) -> Result<std::string> {
    XPU_RETURN_IF_ERROR(ctx.CheckFormat("train", {OutputFormat::kTable, OutputFormat::kJson}));
    XPU_RETURN_IF_ERROR(CheckReliabilityFlags(*f));
    XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
    XPU_ASSIGN_OR_RETURN(TrainJob job, ResolveTrainJob(*catalog, *f));
    XPU_ASSIGN_OR_RETURN(TrainEvaluator ev, TrainEvaluator::Create(*catalog, job.model, job.system, job.chips,
                                                                    job.workload, job.options));
    if (f->search) return RunTrainSearch(ctx, ev, *f);
    XPU_ASSIGN_OR_RETURN(ParallelPlan plan, PlanFromFlags(*f, job));
    XPU_ASSIGN_OR_RETURN(TrainResult r, ev.Evaluate(plan));
    std::optional<RunTotals> totals;
    if (f->tokens > 0) totals = ev.Totals(r, f->tokens);
    std::optional<reliability::RunReliability> rel;
    if (f->reliability) {
      XPU_ASSIGN_OR_RETURN(rel, AnalyzeTrainReliability(ctx, ev, *totals, *f));
    }
    std::string plot_note;
    if (!f->plot.empty()) {
      XPU_ASSIGN_OR_RETURN(plot_note, WriteTrainPlot(ev, r, f->plot, f->force));
    }
    if (ctx.format() == OutputFormat::kJson) {
      report::Json j = report::TrainResultToJson(ev, r, totals);
      if (rel) AddReliabilityJson(*rel, *totals, &j);
      if (!f->plot.empty()) j["plot"] = f->plot;
      return j.dump(2) + "\n";
    }
    std::string out = report::TrainResultToText(ev, r, totals);
    if (rel) out += ReliabilityText(*rel, *totals, ev);
    if (!r.fits) {
      out += fmt::format("\nnote: the plan needs {:.1f} GB per chip but {} has {:.1f} GB; try --recompute full, "
                         "a higher --zero, more --pp/--tp, or --search\n",
                         r.memory_per_chip_gb, ev.chip().id, r.memory_capacity_gb);
    }
    return out + plot_note;
  };
}

}  // namespace xpusim::cli
