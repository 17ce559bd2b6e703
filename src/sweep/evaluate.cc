#include "sweep/evaluate.h"

#include <chrono>

#include "xpusim/api.h"

namespace xpusim::sweep {

PointResult EvaluatePoint(const Catalog& catalog, const Grid& grid, const Point& point, int threads, int rank) {
  const auto t0 = std::chrono::steady_clock::now();
  PointResult r;
  r.index = point.index;
  r.rank = rank;
  auto out = api::Call(catalog, "train", TrainArgs(grid, point, threads));
  if (out.ok()) {
    r.status = "ok";
    r.json = out->dump();
  } else {
    r.error = out.status().message();
    // The search's message when nothing fits (train_search_cmd.cc); such a
    // point is an answer ("does not fit"), not a failure.
    r.status = r.error.rfind("no plan of ", 0) == 0 ? "no_fit" : "error";
  }
  r.eval_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace xpusim::sweep
