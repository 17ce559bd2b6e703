#include "sweep/sweep_cmd.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/chart_svg.h"
#include "report/format.h"
#include "sweep/grid.h"
#include "sweep/plot.h"
#include "sweep/runner.h"
#include "sweep/store.h"

namespace xpusim::cli {
namespace {

using sweep::Grid;
using sweep::Store;

struct SweepFlags {
  std::string grid, out, export_csv, plot, plot_y = "tokens_per_s";
  bool force = false, restart = false, quiet = false;
  std::optional<int> threads;
  int64_t max_points = -1;
};

// Search threads per point: --threads, else the grid's, else 1 per rank
// under MPI (the ranks already use the cores) and all cores otherwise.
int Threads(const SweepFlags& f, const Grid& g, const sweep::Mpi& mpi) {
  if (f.threads) return *f.threads;
  if (g.threads >= 0) return g.threads;
  return mpi.size() > 1 ? 1 : -1;
}

Result<std::string> Summarise(Context& ctx, const SweepFlags& f, const Store& store,
                              const std::optional<sweep::RunSummary>& run, int threads) {
  XPU_ASSIGN_OR_RETURN(int64_t rows, store.CountRows());
  XPU_ASSIGN_OR_RETURN(int64_t ok, store.CountRows("ok"));
  XPU_ASSIGN_OR_RETURN(int64_t no_fit, store.CountRows("no_fit"));
  XPU_ASSIGN_OR_RETURN(int64_t errors, store.CountRows("error"));
  std::string written;
  nlohmann::json files = nlohmann::json::object();
  if (!f.export_csv.empty() || ctx.format() == OutputFormat::kCsv) {
    XPU_ASSIGN_OR_RETURN(std::string csv, store.ExportCsv());
    if (ctx.format() == OutputFormat::kCsv) return csv;
    XPU_RETURN_IF_ERROR(report::WriteFileAtomic(f.export_csv, csv, f.force));
    written += fmt::format("wrote {} ({} rows)\n", f.export_csv, report::FormatInt(rows));
    files["csv"] = f.export_csv;
  }
  if (!f.plot.empty()) {
    XPU_ASSIGN_OR_RETURN(std::string svg, sweep::RenderSweepPlot(store, f.plot_y, "xpusim sweep: " + f.out));
    XPU_ASSIGN_OR_RETURN(std::string note, report::WriteChart(f.plot, svg, f.force));
    written += note;
    files["plot"] = f.plot;
  }
  const double rate = run && run->seconds > 0 ? static_cast<double>(run->computed) / run->seconds : 0;
  if (ctx.format() == OutputFormat::kJson) {
    nlohmann::json j = {{"out", f.out},         {"grid_hash", store.grid_hash()},
                        {"points_total", store.points_total()},
                        {"rows", rows},         {"ok", ok},
                        {"no_fit", no_fit},     {"error", errors},
                        {"complete", rows == store.points_total()},
                        {"files", files}};
    if (run) {
      j["run"] = {{"already_done", run->already_done}, {"computed", run->computed}, {"seconds", run->seconds},
                  {"points_per_s", rate}, {"ranks", run->ranks}, {"threads_per_point", threads}};
    }
    return j.dump(2) + "\n";
  }
  std::string s = fmt::format("Sweep {} (grid {}): {} of {} points done\n", f.out, store.grid_hash(),
                              report::FormatInt(rows), report::FormatInt(store.points_total()));
  if (run) {
    s += fmt::format("  this run: {} points in {} s ({} points/s, {} rank{}); {} were already done\n",
                     report::FormatInt(run->computed), report::FormatSig(run->seconds, 3),
                     report::FormatSig(rate, 3), run->ranks, run->ranks == 1 ? "" : "s",
                     report::FormatInt(run->already_done));
  }
  s += fmt::format("  ok {}, no plan fits {}, errors {}\n", report::FormatInt(ok), report::FormatInt(no_fit),
                   report::FormatInt(errors));
  if (errors > 0) s += "  (the error column of the points table says why; e.g. sqlite3 " + f.out +
                       " \"SELECT idx, error FROM points WHERE status = 'error' LIMIT 5\")\n";
  return s + written;
}

Result<std::string> Run(Context& ctx, const SweepFlags& f) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("sweep", {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kCsv}));
  if (f.out.empty()) return Status::Invalid("sweep needs --out FILE.sqlite (the results database)");
  if (f.threads && *f.threads < 0) return Status::Invalid(fmt::format("--threads must be >= 0 (got {})", *f.threads));
  if (f.max_points < -1) return Status::Invalid(fmt::format("--max-points must be >= 0 (got {})", f.max_points));
  const std::vector<std::string> numeric = Store::NumericColumns();
  if (std::find(numeric.begin(), numeric.end(), f.plot_y) == numeric.end()) {
    std::string list;
    for (const auto& c : numeric) list += (list.empty() ? "" : ", ") + c;
    return Status::Invalid(fmt::format("--plot-y '{}' is not a numeric column; choose one of: {}", f.plot_y, list));
  }
  // Refuse before hours of work rather than after.
  for (const std::string* file : {&f.export_csv, &f.plot}) {
    std::error_code ec;
    if (!file->empty() && !f.force && std::filesystem::exists(*file, ec))
      return Status::Invalid(fmt::format("'{}' exists; pass --force to overwrite it or choose another file", *file));
  }
  if (f.grid.empty()) {  // report, export or plot an existing database
    if (f.restart) return Status::Invalid("--restart needs the grid file");
    XPU_ASSIGN_OR_RETURN(Store store, Store::OpenExisting(f.out));
    return Summarise(ctx, f, store, std::nullopt, 0);
  }
  sweep::Mpi mpi;  // MPI_Init only under mpirun
  Status setup = Status::Ok();
  const Catalog* catalog = nullptr;
  std::optional<Grid> grid;
  std::optional<Store> store;
  auto loaded = ctx.catalog();
  if (!loaded.ok()) setup = loaded.status();
  if (setup.ok()) {
    catalog = *loaded;
    auto g = sweep::LoadGrid(f.grid, catalog);
    if (g.ok()) grid.emplace(std::move(*g)); else setup = g.status();
  }
  sweep::RunOptions o;
  o.progress = !f.quiet;
  o.max_points = f.max_points;
  if (grid) o.threads = Threads(f, *grid, mpi);
  if (mpi.rank() > 0) {
    XPU_RETURN_IF_ERROR(sweep::RunWorker(mpi, catalog, grid ? &*grid : nullptr, setup, o));
    return std::string();  // rank 0 reports
  }
  if (setup.ok()) {
    auto s = Store::Open(f.out, *grid, f.force, f.restart);
    if (s.ok()) store.emplace(std::move(*s)); else setup = s.status();
  }
  XPU_ASSIGN_OR_RETURN(sweep::RunSummary run,
                       sweep::RunCoordinator(mpi, catalog, grid ? &*grid : nullptr, store ? &*store : nullptr, setup, o));
  return Summarise(ctx, f, *store, run, o.threads);
}

}  // namespace

CommandRunner SetupSweepCommand(CLI::App& app) {
  auto f = std::make_shared<SweepFlags>();
  app.add_option("grid", f->grid, "Grid file (YAML, doc/sweep.md); leave out to report on, export or plot --out");
  app.add_option("--out", f->out, "Results database (SQLite); an unfinished one of the same grid is resumed")
      ->required();
  app.add_flag("--force", f->force,
               "Replace --out when it holds another grid (or is not a sweep database); overwrite --export-csv/--plot");
  app.add_flag("--restart", f->restart, "Discard the rows already in --out and start the grid over");
  app.add_option("--threads", f->threads, "Search threads per point (default: all cores; 1 per rank under MPI)");
  app.add_option("--export-csv", f->export_csv, "Write every row (without the JSON) to this CSV file");
  app.add_option("--plot", f->plot, "Write an SVG chart of --plot-y against the chip count");
  app.add_option("--plot-y", f->plot_y, "Column to plot (default tokens_per_s; e.g. cost_usd, mfu, train_days)");
  app.add_flag("--quiet", f->quiet, "No progress on stderr");
  app.add_option("--max-points", f->max_points, "Stop after this many new points (the rest waits for a later run)");
  return [f](Context& ctx) { return Run(ctx, *f); };
}

}  // namespace xpusim::cli
