// Checkpointing, restarts and goodput of a long synchronous training run
// under random failures (DESIGN.md C9).
//
// Model (Young 1974, Daly 2006). Failures of the whole fleet form a Poisson
// process with mean time between failures M (failure_rates.h). The job
// computes for tau seconds, then blocks for C seconds writing a checkpoint,
// and repeats. A failure (at any time: computing, writing, restarting) costs
// the work since the last completed checkpoint plus a restart of R seconds
// (fixed relaunch cost + reading the checkpoint back), after which the
// segment is redone. The expected wall time to finish a segment of a seconds
// (work + checkpoint) is exactly
//     E(a) = M e^{R/M} (e^{a/M} - 1)            (Daly 2006, eq. 13)
// and the run of W seconds of failure-free work is floor(W/tau) full
// segments plus one partial segment. The expected number of interruptions
// is E[wall] / M (failures arrive at rate 1/M throughout).
// The checkpoint interval is Daly's optimum
//     tau = sqrt(2 C M) [1 + sqrt(C/(2M))/3 + C/(18 M)] - C   (C < 2M), else M,
// which refines Young's sqrt(2 C M).
//
// SimulateRun draws the same process (std::mt19937_64, exponential
// inter-arrival times by inverse transform, so results are identical on
// every platform for one seed).
#ifndef XPUSIM_RELIABILITY_GOODPUT_H_
#define XPUSIM_RELIABILITY_GOODPUT_H_

#include <cstdint>
#include <vector>

#include "xpusim/status.h"

namespace xpusim::reliability {

struct RunParams {
  double work_s = 0;          // failure-free training time (compute + comm)
  double mtbf_s = 0;          // fleet mean time between failures (inf: none)
  double checkpoint_s = 0;    // C: time the job is blocked per checkpoint
  double restart_s = 0;       // R: relaunch + restore
  double interval_s = 0;      // tau: work between checkpoints (0: Daly's optimum)
};

struct ClosedForm {
  double interval_s = 0;          // tau used
  double young_interval_s = 0;    // sqrt(2 C M), for reference
  double expected_wall_s = 0;
  double goodput = 0;             // work_s / expected_wall_s
  double interruptions = 0;       // expected failures during the run
  double checkpoints = 0;         // checkpoints written
};

// Daly's optimal interval (s). REQUIRES: checkpoint_s >= 0, mtbf_s > 0.
double DalyInterval(double checkpoint_s, double mtbf_s);
// Expected wall time to complete `a` seconds with restart R under MTBF M.
double ExpectedSegmentWall(double a, double restart_s, double mtbf_s);

// Fails (InvalidArgument) on non-finite or negative inputs.
Result<ClosedForm> Evaluate(const RunParams& p);

struct MonteCarlo {
  int64_t trials = 0;
  uint64_t seed = 0;
  double mean_wall_s = 0;
  double stddev_wall_s = 0;
  double p10_wall_s = 0, p50_wall_s = 0, p90_wall_s = 0;
  double mean_interruptions = 0;
  double p10_interruptions = 0, p50_interruptions = 0, p90_interruptions = 0;
};

// Simulates `trials` runs with the interval of `Evaluate(p)`.
// REQUIRES: 1 <= trials <= 1e6. Fails on bad inputs and when the run would
// need more than ~1e9 simulated events (an interval far below the MTBF on a
// very long run); the message says so.
Result<MonteCarlo> SimulateRun(const RunParams& p, int64_t trials, uint64_t seed);

}  // namespace xpusim::reliability

#endif  // XPUSIM_RELIABILITY_GOODPUT_H_
