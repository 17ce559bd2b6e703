// Evaluates one point of a sweep: `xpusim train [--search] --json` through
// src/api (the CLI's own flags, defaults and messages), timed.
#ifndef XPUSIM_SWEEP_EVALUATE_H_
#define XPUSIM_SWEEP_EVALUATE_H_

#include "sweep/grid.h"
#include "sweep/store.h"
#include "xpusim/catalog.h"

namespace xpusim::sweep {

// Never fails: a point the CLI refuses becomes status "error" (or "no_fit"
// when the search found no plan that fits) with the CLI's message.
// `threads`: search threads (< 0: the CLI's default, all cores).
PointResult EvaluatePoint(const Catalog& catalog, const Grid& grid, const Point& point, int threads, int rank);

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_EVALUATE_H_
