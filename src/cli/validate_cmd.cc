// `xpusim validate [--cases DIR]`: re-predict the measured runs under
// data/validation/ (or DIR) and print per-case error and MAPE per group
// (DESIGN C11; file format in doc/validation.md).
//
// Exit status: 0 whenever the cases load, however large the errors (it is a
// report); 1 when a case file is malformed or names an unknown catalog id.
// A case the model cannot evaluate is listed with its reason and left out of
// the MAPE.
#include <cmath>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "plan/validation.h"
#include "report/csv.h"
#include "report/format.h"
#include "report/table.h"

namespace xpusim::cli {
namespace {

struct ValidateFlags {
  std::string cases_dir;  // empty: <data dir>/validation
};

std::filesystem::path DataDir(const Context& ctx) {
  return ctx.options().data_dir.empty() ? Catalog::DefaultDataDir()
                                        : std::filesystem::path(ctx.options().data_dir);
}

report::Cell Pct(double v) { return report::Num(v, 1); }

std::string GroupLine(const std::string& name, const GroupStats& st) {
  const char* unit = name == "calibration" ? "points" : "cases";
  std::string line = fmt::format("MAPE {}: ", name);
  if (st.cases == 0) {
    line += "- (no predicted " + std::string(unit) + ")";
  } else {
    line += fmt::format("{}% over {} {} (max |error| {}%)", report::FormatNumber(st.mape_pct, 1), st.cases,
                        unit, report::FormatNumber(st.max_abs_error_pct, 1));
  }
  if (st.failed > 0) line += fmt::format(", {} not predicted", st.failed);
  return line;
}

std::string RenderText(const ValidationReport& rep) {
  report::Table cases("Validation cases: predicted vs measured");
  cases.AddColumn("id").AddColumn("group").AddColumn("metric").AddColumn("unit");
  cases.AddColumn("measured").AddColumn("predicted").AddColumn("error", "%");
  report::Table calib("Single-chip calibration sets (error per kernel)");
  calib.AddColumn("id").AddColumn("metric").AddColumn("points");
  calib.AddColumn("median |error|", "%").AddColumn("max |error|", "%").AddColumn("mean error", "%");
  std::string failures;
  bool any_calib = false;
  for (const CaseOutcome& o : rep.outcomes) {
    if (!o.ok()) failures += fmt::format("  {}: not predicted: {}\n", o.id, o.error);
    if (o.group == ValidationGroup::kCalibration) {
      any_calib = true;
      calib.AddRow({report::Text(o.id), report::Text(ValidationMetricName(o.metric)), report::Int(o.points),
                    Pct(o.median_abs_error_pct), Pct(o.max_abs_error_pct), Pct(o.error_pct)});
    } else {
      cases.AddRow({report::Text(o.id), report::Text(ValidationGroupName(o.group)),
                    report::Text(ValidationMetricName(o.metric)), report::Text(o.unit),
                    report::Sig(o.measured, 4), report::Sig(o.predicted, 4), Pct(o.error_pct)});
    }
  }
  cases.AddNote("error = (predicted - measured) / measured");
  std::string out = cases.Render();
  if (any_calib) out += "\n" + calib.Render();
  out += "\n";
  for (const char* g : {"training", "layer", "serving", "calibration"}) {
    auto it = rep.groups.find(g);
    if (it != rep.groups.end()) out += GroupLine(g, it->second) + "\n";
  }
  if (!failures.empty()) out += "\nCases without a prediction:\n" + failures;
  return out;
}

std::string RenderCsv(const ValidationReport& rep) {
  report::Table t;
  t.AddColumn("id").AddColumn("group").AddColumn("metric").AddColumn("unit");
  t.AddColumn("measured").AddColumn("predicted").AddColumn("error_pct").AddColumn("points");
  t.AddColumn("median_abs_error_pct").AddColumn("max_abs_error_pct").AddColumn("error");
  const double nan = std::nan("");
  for (const CaseOutcome& o : rep.outcomes) {
    const bool cal = o.group == ValidationGroup::kCalibration;
    t.AddRow({report::Text(o.id), report::Text(ValidationGroupName(o.group)),
              report::Text(ValidationMetricName(o.metric)), report::Text(o.unit),
              report::Num(cal ? nan : o.measured), report::Num(cal ? nan : o.predicted), report::Num(o.error_pct),
              report::Int(cal ? o.points : 1), report::Num(cal ? o.median_abs_error_pct : nan),
              report::Num(cal ? o.max_abs_error_pct : nan), report::Text(o.error)});
  }
  return report::TableToCsv(t);
}

}  // namespace

CommandRunner SetupValidateCommand(CLI::App& app) {
  auto f = std::make_shared<ValidateFlags>();
  app.add_option("--cases", f->cases_dir,
                 "Directory of validation case files (default: <data dir>/validation)");
  return [f](Context& ctx) -> Result<std::string> {
    const std::filesystem::path data_dir = DataDir(ctx);
    const std::filesystem::path dir =
        f->cases_dir.empty() ? data_dir / "validation" : std::filesystem::path(f->cases_dir);
    XPU_ASSIGN_OR_RETURN(ValidationSuite suite, LoadValidationSuite(dir));
    XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
    XPU_RETURN_IF_ERROR(CheckSuiteAgainstCatalog(suite, *catalog));
    auto predictor = MakeCatalogPredictor(*catalog, data_dir / "calibration");
    const ValidationReport rep = RunValidation(suite, *predictor);
    switch (ctx.format()) {
      case OutputFormat::kJson: return ValidationReportToJson(rep).dump(2) + "\n";
      case OutputFormat::kCsv: return RenderCsv(rep);
      case OutputFormat::kTable: break;
    }
    return RenderText(rep);
  };
}

}  // namespace xpusim::cli
