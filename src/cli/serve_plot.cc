#include "cli/serve_plot.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/chart_svg.h"

namespace xpusim::cli {

std::vector<int64_t> CurveBatches(int64_t lo, int64_t hi, int points) {
  std::vector<int64_t> out;
  if (lo < 1 || hi < lo || points < 2) return out;
  const double ratio = std::pow(static_cast<double>(hi) / lo, 1.0 / (points - 1));
  for (int i = 0; i < points; ++i) {
    const int64_t b = i == points - 1 ? hi : std::clamp<int64_t>(std::llround(lo * std::pow(ratio, i)), lo, hi);
    if (out.empty() || b > out.back()) out.push_back(b);
  }
  return out;
}

ServeCurvePoint CurvePointOf(const ServeResult& r) {
  return {r.batch, r.ttft_s, r.tpot_s, r.tokens_per_s, r.tokens_per_s_per_chip, r.fits};
}

std::vector<int64_t> ServeCurveBatches(int64_t replicas, int64_t batch, int64_t max_batch) {
  replicas = std::max<int64_t>(1, replicas);
  const int64_t hi = std::max<int64_t>(replicas, std::min(max_batch, std::max(batch, replicas) * 4));
  return CurveBatches(replicas, std::max(hi, batch), 24);
}

Result<std::vector<ServeCurvePoint>> SweepServeCurve(const std::function<Result<ServeCurvePoint>(int64_t)>& evaluate,
                                                     const std::vector<int64_t>& batches) {
  std::vector<ServeCurvePoint> out;
  for (int64_t b : batches) {
    XPU_ASSIGN_OR_RETURN(ServeCurvePoint p, evaluate(b));
    if (p.fits && p.tpot_s <= 0) break;
    out.push_back(p);
    if (!p.fits) break;
  }
  return out;
}

Result<std::string> WriteServePlot(const BatchEvaluation& evaluate, int64_t replicas, const ServeResult& r,
                                   const std::string& title, const std::string& subtitle, const std::string& path,
                                   bool force) {
  const auto point = [&](int64_t batch) -> Result<ServeCurvePoint> {
    XPU_ASSIGN_OR_RETURN(ServeResult p, evaluate(batch));
    return CurvePointOf(p);
  };
  XPU_ASSIGN_OR_RETURN(std::vector<ServeCurvePoint> points,
                       SweepServeCurve(point, ServeCurveBatches(replicas, r.batch, r.max_batch)));
  report::Series curve{"batch sweep", {}, {}, {}};
  for (const ServeCurvePoint& p : points) {
    if (!p.fits) break;
    curve.x.push_back(p.tpot_s * 1e3);
    curve.y.push_back(p.tokens_per_s_per_chip);
  }
  if (curve.x.empty()) return Status::Precondition("--plot: no batch of this deployment fits, so there is no curve to draw");
  report::Chart c;
  c.title = title;
  c.subtitle = subtitle;
  c.x_label = "time per output token (ms)";
  c.y_label = "output tokens/s per chip";
  c.series.push_back(std::move(curve));
  c.series.push_back({fmt::format("prediction (batch {})", r.batch), {r.tokens_per_s_per_chip}, {r.tpot_s * 1e3}, {}});
  return report::WriteChart(path, report::RenderLineChart(c), force);
}

Result<std::string> WriteServePlot(const ServeEvaluator& ev, const ServeWorkload& w, const ServeResult& r,
                                   const std::string& path, bool force) {
  const BatchEvaluation evaluate = [&](int64_t batch) {
    ServeWorkload x = w;
    x.batch = batch;
    return ev.Evaluate(x);
  };
  return WriteServePlot(
      evaluate, r.layout.dp, r,
      fmt::format("{} on {} x {}: throughput vs latency", ev.model().name, ev.chips(), ev.chip().id),
      fmt::format("tp{} pp{} dp{} ep{}, input {} / output {} tokens, phase {}; each point is one batch size",
                  r.layout.tp, r.layout.pp, r.layout.dp, r.layout.ep, w.input_len, w.output_len,
                  ServePhaseName(w.phase)),
      path, force);
}

Result<std::string> WriteDisaggregatedServePlot(const Catalog& catalog, const Model& model, const System& system,
                                                const ServeDeployment& base, const ServeOptions& o,
                                                const ServeWorkload& w, const ServeResult& r, const std::string& path,
                                                bool force) {
  ServeDeployment prefill = base, decode = base;
  prefill.layout = r.prefill_layout;
  decode.layout = r.layout;
  const BatchEvaluation evaluate = [&](int64_t batch) {
    ServeWorkload x = w;
    x.batch = batch;
    return EvaluateDisaggregated(catalog, model, system, r.prefill_chips, prefill, r.decode_chips, decode, o, x);
  };
  const ServeLayout& p = r.prefill_layout;
  const ServeLayout& d = r.layout;
  return WriteServePlot(
      evaluate, d.dp, r,
      fmt::format("{} on {} + {} x {}: disaggregated throughput vs latency", model.name, r.prefill_chips,
                  r.decode_chips, catalog.ChipOf(system).id),
      fmt::format("prefill tp{} pp{} dp{} ep{}, decode tp{} pp{} dp{} ep{}, input {} / output {} tokens; "
                  "each point is one decode batch, per chip of both pools",
                  p.tp, p.pp, p.dp, p.ep, d.tp, d.pp, d.dp, d.ep, w.input_len, w.output_len),
      path, force);
}

}  // namespace xpusim::cli
