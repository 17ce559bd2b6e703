// Runs the points of a grid that the database does not hold yet, on one
// process or on the ranks of an MPI job, and writes every result through
// one Store (rank 0 is the only writer).
//
// Distribution (MPI, size > 1): a dynamic work queue. Rank 0 owns the list
// of pending points and hands out chunks on request (guided: about
// pending / (4 x ranks) points, but no more than ~0.1 s of work at the mean
// point cost so far, 1 to 64 points; the first chunks are single points), so
// expensive points go out one at a time and the ranks finish together.
// Workers whose chunks are short (< 50 ms) ask for the next chunk before
// computing the current one, so a chunk is waiting when they finish. Rank 0
// computes points too, one at a time on a second thread, while its main
// thread answers requests and stores results (polling every 0.3 ms); a
// worker's results travel as one message per chunk. Without MPI (or with one
// rank) the same loop runs with no workers.
//
// Resume: only the points without a row are queued; rows are committed
// every second (and at the end), so a killed sweep loses at most the last
// second of results and never writes a point twice (idx is the primary key).
#ifndef XPUSIM_SWEEP_RUNNER_H_
#define XPUSIM_SWEEP_RUNNER_H_

#include <cstdint>

#include "sweep/grid.h"
#include "sweep/store.h"
#include "xpusim/catalog.h"

namespace xpusim::sweep {

struct RunOptions {
  int threads = -1;           // search threads per point (< 0: the CLI's default)
  bool progress = true;       // progress on stderr (rank 0)
  double commit_every_s = 1;  // longest time between commits
  int64_t max_points = -1;    // stop after this many new points (tests; < 0: all)
};

struct RunSummary {
  int64_t total = 0;          // points in the grid
  int64_t already_done = 0;   // rows present before this run
  int64_t computed = 0;       // rows added by this run
  double seconds = 0;         // wall time of this run's loop
  int ranks = 1;
};

// The MPI job this process belongs to, or a single process. Init() is
// called only when the process was started by mpirun/mpiexec (detected from
// the launcher's environment), so the plain program never touches MPI.
class Mpi {
 public:
  static bool Launched();
  Mpi();   // MPI_Init when Launched()
  ~Mpi();  // MPI_Finalize when initialised
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  bool initialised_ = false;
  int rank_ = 0, size_ = 1;
};

// Rank 0 (or the only process). `setup` is the result of loading the grid
// and opening the store on this rank: when it failed, the workers are
// released and the error returned.
Result<RunSummary> RunCoordinator(const Mpi& mpi, const Catalog* catalog, const Grid* grid, Store* store,
                                  const Status& setup, const RunOptions& options);
// Ranks > 0: compute what rank 0 hands out until told to stop. `setup`
// failed: tell rank 0 this rank is gone and return the error.
Status RunWorker(const Mpi& mpi, const Catalog* catalog, const Grid* grid, const Status& setup,
                 const RunOptions& options);

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_RUNNER_H_
