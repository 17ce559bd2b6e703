// The results database of a sweep: one SQLite file (schema in doc/sweep.md).
//
//   meta(key TEXT PRIMARY KEY, value TEXT)   schema_version, grid_json,
//                                            grid_hash, points_total, ...
//   points(idx INTEGER PRIMARY KEY, <inputs>, status, error,
//          <headline outputs>, eval_s, rank, json)
//
// Resuming: Open() on an existing file of the same grid keeps its rows, and
// Done() says which point indices are finished; a file of another grid (or
// not a sweep database) is refused unless `replace_other`, which deletes it
// first; `restart` deletes any existing file.
// Rows are written inside a transaction that Commit() ends; the file is in
// WAL mode, so a process killed at any moment (SIGKILL) leaves every
// committed row and none of the uncommitted ones.
//
// Not thread-safe: one Store per process (the MPI rank 0 is the only writer).
#ifndef XPUSIM_SWEEP_STORE_H_
#define XPUSIM_SWEEP_STORE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sweep/grid.h"
#include "xpusim/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace xpusim::sweep {

// The outcome of one point, as computed by any rank.
struct PointResult {
  int64_t index = 0;
  std::string status;  // "ok", "no_fit" (search found no plan that fits) or "error"
  std::string error;   // the CLI's message when status != "ok"
  std::string json;    // `xpusim train --json` text when status == "ok"
  double eval_s = 0;   // wall time of the evaluation
  int rank = 0;        // MPI rank that computed it (0 without MPI)
};

// A row read back for charts: inputs and the numeric outputs by column name.
struct StoredRow {
  int64_t index = 0;
  std::string model, system, precision, status;
  int64_t chips = 0, seq = 0, global_batch = 0;
  double tokens = 0;
  std::vector<std::optional<double>> values;  // same order as the `columns` asked for
};

class Store {
 public:
  // Creates the database, or reopens one written for the same grid.
  static Result<Store> Open(const std::filesystem::path& path, const Grid& grid, bool replace_other, bool restart);
  // Opens an existing sweep database read-only (export, plots).
  static Result<Store> OpenExisting(const std::filesystem::path& path);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int64_t points_total() const { return points_total_; }
  const std::string& grid_hash() const { return grid_hash_; }
  // done[i]: point i has a row.
  Result<std::vector<bool>> Done() const;
  Result<int64_t> CountRows(const char* status = nullptr) const;

  // Adds a point's row to the open transaction (starting one if needed).
  Status Add(const Point& point, const PointResult& result);
  // Ends the open transaction (a no-op when none is open).
  Status Commit();

  // Every row but the JSON, ordered by idx, as CSV with a header row.
  Result<std::string> ExportCsv() const;
  // Rows with status 'ok' and the named numeric columns (see NumericColumns).
  Result<std::vector<StoredRow>> ReadRows(const std::vector<std::string>& columns) const;
  // The output columns holding numbers, usable with ReadRows and --plot-y.
  static std::vector<std::string> NumericColumns();

 private:
  Store() = default;
  Status Exec(const std::string& sql) const;
  Status Error(const std::string& what) const;
  Status Prepare();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  bool in_transaction_ = false;
  int64_t points_total_ = 0;
  std::string grid_hash_;
  std::string path_;
};

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_STORE_H_
