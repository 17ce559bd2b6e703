// A sweep grid: the cross product of models x systems x chip counts x
// workloads (sequence length, global batch, precision, training tokens) that
// `xpusim sweep GRID.yaml` evaluates, plus the settings shared by every
// point (search or fixed plan, objective, threads, cost options). The file
// format is documented in doc/sweep.md.
//
// Points are numbered 0 .. size()-1 in row-major order of
//   models, systems, chips, seq, global_batch, precision, tokens
// (tokens varies fastest), so a point's index is stable for a given grid:
// it is the primary key of the results database and what a resumed or
// distributed (MPI) sweep agrees on.
//
// Parsing is strict like the catalog loaders (catalog/yaml_fields.h): an
// unknown key gets a did-you-mean, every value is type- and range-checked,
// duplicates inside a list are refused, and model/system ids are checked
// against the catalog, all with "file:line: field '...': problem".
#ifndef XPUSIM_SWEEP_GRID_H_
#define XPUSIM_SWEEP_GRID_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::sweep {

// The most points one grid may hold (a typo such as chips: 1:100000:+1
// should be an error, not a week of work).
inline constexpr int64_t kMaxGridPoints = 10'000'000;

struct Grid {
  std::vector<std::string> models, systems;
  std::vector<int64_t> chips;
  // Empty: the CLI's default (one value, stored as NULL in the database).
  std::vector<int64_t> seq, global_batch;
  std::vector<std::string> precision;
  std::vector<double> tokens;

  bool search = true;            // false: evaluate the fixed `plan` only
  std::string objective;         // search objective; empty: the CLI's (time)
  int threads = -1;              // search threads per point; -1: unset (see sweep_cmd)
  std::optional<int> top;        // plans kept per search
  std::optional<double> max_memory_frac;
  // Fixed plan fields, as train flags ("tp" -> 8, "recompute" -> "full").
  nlohmann::json plan = nlohmann::json::object();
  // Cost/energy options, as train flags ("pue", "usd_per_kwh", ...).
  nlohmann::json options = nlohmann::json::object();

  int64_t size() const;
  // Canonical form (every field but `threads`, which does not change results;
  // sorted keys): equal for equal grids whatever the file's layout or
  // comments. Stored in the database's meta table.
  nlohmann::json ToJson() const;
};

// One point of the grid. Unset optional inputs use the CLI's defaults.
struct Point {
  int64_t index = 0;
  std::string model, system;
  int64_t chips = 0;
  std::optional<int64_t> seq, global_batch;
  std::optional<std::string> precision;
  std::optional<double> tokens;
};

// REQUIRES: 0 <= index < grid.size().
Point PointAt(const Grid& grid, int64_t index);

// The flags of `xpusim train` for the point, as an api::Call argument object
// (threads: the search threads to use; < 0 leaves the CLI's default).
nlohmann::json TrainArgs(const Grid& grid, const Point& point, int threads);

// Parses and validates a grid file. `catalog` (may be null) checks model and
// system ids, with did-you-mean.
Result<Grid> LoadGrid(const std::filesystem::path& path, const Catalog* catalog);
// Same from text; `origin` names it in messages.
Result<Grid> ParseGrid(const std::string& text, const std::string& origin, const Catalog* catalog);

// 64-bit FNV-1a of the canonical JSON, as 16 hex digits (a short label for
// messages; equality of grids is checked on the canonical JSON itself).
std::string GridHash(const Grid& grid);

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_GRID_H_
