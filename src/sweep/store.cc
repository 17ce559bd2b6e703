#include "sweep/store.h"

#include <sqlite3.h>

#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/csv.h"

namespace xpusim::sweep {
namespace {

constexpr int kSchemaVersion = 1;

// Output columns and where each comes from in `xpusim train --json`.
struct Column {
  const char* name;
  const char* type;
  const char* pointer;  // JSON pointer into the train output
};
constexpr Column kOutputs[] = {
    {"chip", "TEXT", "/chip"},
    {"step_time_s", "REAL", "/step_time_s"},
    {"tokens_per_s", "REAL", "/tokens_per_s"},
    {"mfu", "REAL", "/mfu"},
    {"fits", "INTEGER", "/fits"},
    {"memory_per_chip_gb", "REAL", "/memory_per_chip_gb"},
    {"memory_capacity_gb", "REAL", "/memory_capacity_gb"},
    {"model_tflops_per_chip", "REAL", "/model_tflops_per_chip"},
    {"power_w_per_chip", "REAL", "/power_w_per_chip"},
    {"cluster_power_kw", "REAL", "/cluster_power_kw"},
    {"energy_per_token_j", "REAL", "/energy_per_token_j"},
    {"train_days", "REAL", "/train_days"},
    {"energy_mwh", "REAL", "/energy_mwh"},
    {"cost_usd", "REAL", "/cost_usd"},
    {"tp", "INTEGER", "/parallel/tp"},
    {"pp", "INTEGER", "/parallel/pp"},
    {"dp", "INTEGER", "/parallel/dp"},
    {"ep", "INTEGER", "/parallel/ep"},
    {"cp", "INTEGER", "/parallel/cp"},
    {"vpp", "INTEGER", "/parallel/vpp"},
    {"sp", "INTEGER", "/parallel/sp"},
    {"zero", "INTEGER", "/parallel/zero"},
    {"recompute", "TEXT", "/parallel/recompute"},
    {"micro_batch", "INTEGER", "/parallel/micro_batch"},
    {"num_micro_batches", "INTEGER", "/parallel/num_micro_batches"},
    {"schedule", "TEXT", "/parallel/schedule"},
    {"plans_evaluated", "INTEGER", "/search/evaluated"},
    {"search_s", "REAL", "/search/seconds"},
};
// Inputs: the point's values; seq, global_batch and precision left to the
// CLI's defaults are filled in from the output when the point succeeded.
constexpr Column kInputs[] = {
    {"model", "TEXT NOT NULL", nullptr},  {"system", "TEXT NOT NULL", nullptr},
    {"chips", "INTEGER NOT NULL", nullptr}, {"seq", "INTEGER", "/seq_len"},
    {"global_batch", "INTEGER", "/parallel/global_batch"}, {"precision", "TEXT", "/precision"},
    {"tokens", "REAL", nullptr},
};

std::string CreateSql() {
  std::string cols = "idx INTEGER PRIMARY KEY";
  for (const Column& c : kInputs) cols += fmt::format(", {} {}", c.name, c.type);
  cols += ", status TEXT NOT NULL CHECK (status IN ('ok', 'no_fit', 'error')), error TEXT";
  for (const Column& c : kOutputs) cols += fmt::format(", {} {}", c.name, c.type);
  cols += ", eval_s REAL, rank INTEGER, json TEXT";
  return "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
         "CREATE TABLE points (" + cols + ");";
}

void BindJson(sqlite3_stmt* st, int i, const nlohmann::json* v) {
  if (!v || v->is_null()) {
    sqlite3_bind_null(st, i);
  } else if (v->is_boolean()) {
    sqlite3_bind_int(st, i, v->get<bool>() ? 1 : 0);
  } else if (v->is_number_integer()) {
    sqlite3_bind_int64(st, i, v->get<int64_t>());
  } else if (v->is_number()) {
    sqlite3_bind_double(st, i, v->get<double>());
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  } else {
    const std::string s = v->dump();
    sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
}

const nlohmann::json* At(const nlohmann::json& doc, const char* pointer) {
  if (!pointer || !doc.is_object()) return nullptr;
  const nlohmann::json::json_pointer p(pointer);
  return doc.contains(p) ? &doc.at(p) : nullptr;
}

std::string CellText(sqlite3_stmt* st, int i) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: return "";
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return fmt::format("{}", sqlite3_column_double(st, i));  // shortest round trip
    default: return reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  }
}

// Statement guard.
struct Stmt {
  sqlite3_stmt* st = nullptr;
  ~Stmt() { sqlite3_finalize(st); }
};

}  // namespace

Store::Store(Store&& o) noexcept { *this = std::move(o); }
Store& Store::operator=(Store&& o) noexcept {
  std::swap(db_, o.db_);
  std::swap(insert_, o.insert_);
  std::swap(in_transaction_, o.in_transaction_);
  std::swap(points_total_, o.points_total_);
  std::swap(grid_hash_, o.grid_hash_);
  std::swap(path_, o.path_);
  return *this;
}
Store::~Store() {
  if (in_transaction_) (void)Commit();
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

Status Store::Error(const std::string& what) const {
  return Status::Invalid(fmt::format("{}: {}: {}", path_, what, db_ ? sqlite3_errmsg(db_) : "cannot open"));
}

Status Store::Exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Invalid(fmt::format("{}: {}", path_, msg));
  }
  return Status::Ok();
}

Status Store::Prepare() {
  std::string names = "idx", marks = "?";
  for (const Column& c : kInputs) names += std::string(", ") + c.name, marks += ", ?";
  names += ", status, error", marks += ", ?, ?";
  for (const Column& c : kOutputs) names += std::string(", ") + c.name, marks += ", ?";
  names += ", eval_s, rank, json", marks += ", ?, ?, ?";
  const std::string sql = fmt::format("INSERT INTO points ({}) VALUES ({})", names, marks);
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert_, nullptr) != SQLITE_OK) return Error("prepare");
  return Status::Ok();
}

Result<Store> Store::OpenExisting(const std::filesystem::path& path) {
  Store s;
  s.path_ = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::NotFound(fmt::format("{}: no such sweep database", s.path_));
  if (sqlite3_open_v2(s.path_.c_str(), &s.db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return s.Error("open");
  sqlite3_busy_timeout(s.db_, 5000);
  const std::string not_sweep = fmt::format(
      "{} exists and is not an xpusim sweep database; choose another --out (with a grid, --force replaces it)", s.path_);
  Stmt st;
  if (sqlite3_prepare_v2(s.db_, "SELECT key, value FROM meta", -1, &st.st, nullptr) != SQLITE_OK)
    return Status::Invalid(not_sweep);
  int version = 0;
  while (sqlite3_step(st.st) == SQLITE_ROW) {
    const std::string key = CellText(st.st, 0), value = CellText(st.st, 1);
    if (key == "schema_version") version = std::atoi(value.c_str());
    if (key == "points_total") s.points_total_ = std::atoll(value.c_str());
    if (key == "grid_hash") s.grid_hash_ = value;
  }
  if (version == 0) return Status::Invalid(not_sweep);
  if (version != kSchemaVersion)
    return Status::Invalid(fmt::format("{}: schema version {} is not the {} this xpusim writes; use another --out or --force",
                                       s.path_, version, kSchemaVersion));
  XPU_RETURN_IF_ERROR(s.Prepare());
  return s;
}

Result<Store> Store::Open(const std::filesystem::path& path, const Grid& grid, bool replace_other, bool restart) {
  std::error_code ec;
  const std::string canonical = grid.ToJson().dump();
  if (std::filesystem::exists(path, ec)) {
    if (!restart) {
      auto existing = OpenExisting(path);
      if (existing.ok()) {
        Store s = std::move(*existing);
        Stmt st;
        if (sqlite3_prepare_v2(s.db_, "SELECT value FROM meta WHERE key = 'grid_json'", -1, &st.st, nullptr) != SQLITE_OK)
          return s.Error("read meta");
        const std::string stored = sqlite3_step(st.st) == SQLITE_ROW ? CellText(st.st, 0) : "";
        if (stored == canonical) {
          XPU_RETURN_IF_ERROR(s.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
          return s;
        }
        if (!replace_other)
          return Status::Precondition(fmt::format(
              "{} holds the results of a different grid (hash {}, this grid {}); resume it with its own grid, "
              "choose another --out, or add --force to replace it",
              s.path_, s.grid_hash_, GridHash(grid)));
      } else if (!replace_other || existing.status().code() == ErrorCode::kNotFound) {
        return existing.status();
      }
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path.string() + suffix, ec);
  }
  Store s;
  s.path_ = path.string();
  s.points_total_ = grid.size();
  s.grid_hash_ = GridHash(grid);
  if (sqlite3_open_v2(s.path_.c_str(), &s.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return s.Error("create");
  sqlite3_busy_timeout(s.db_, 5000);
  XPU_RETURN_IF_ERROR(s.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; BEGIN;"));
  XPU_RETURN_IF_ERROR(s.Exec(CreateSql()));
  Stmt st;
  if (sqlite3_prepare_v2(s.db_, "INSERT INTO meta VALUES (?, ?)", -1, &st.st, nullptr) != SQLITE_OK)
    return s.Error("prepare");
  const std::pair<std::string, std::string> meta[] = {
      {"schema_version", std::to_string(kSchemaVersion)},
      {"grid_json", canonical},
      {"grid_hash", s.grid_hash_},
      {"points_total", std::to_string(s.points_total_)},
      {"generator", "xpusim sweep"},
  };
  for (const auto& [k, v] : meta) {
    sqlite3_reset(st.st);
    sqlite3_bind_text(st.st, 1, k.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st.st, 2, v.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st.st) != SQLITE_DONE) return s.Error("write meta");
  }
  XPU_RETURN_IF_ERROR(s.Exec("COMMIT;"));
  XPU_RETURN_IF_ERROR(s.Prepare());
  return s;
}

Result<std::vector<bool>> Store::Done() const {
  std::vector<bool> done(static_cast<size_t>(points_total_), false);
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT idx FROM points", -1, &st.st, nullptr) != SQLITE_OK) return Error("read");
  while (sqlite3_step(st.st) == SQLITE_ROW) {
    const int64_t i = sqlite3_column_int64(st.st, 0);
    if (i >= 0 && i < points_total_) done[static_cast<size_t>(i)] = true;
  }
  return done;
}

Result<int64_t> Store::CountRows(const char* status) const {
  Stmt st;
  const std::string sql = status ? "SELECT count(*) FROM points WHERE status = ?" : "SELECT count(*) FROM points";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.st, nullptr) != SQLITE_OK) return Error("count");
  if (status) sqlite3_bind_text(st.st, 1, status, -1, SQLITE_STATIC);
  if (sqlite3_step(st.st) != SQLITE_ROW) return Error("count");
  return static_cast<int64_t>(sqlite3_column_int64(st.st, 0));
}

Status Store::Add(const Point& p, const PointResult& r) {
  if (!in_transaction_) {
    XPU_RETURN_IF_ERROR(Exec("BEGIN;"));
    in_transaction_ = true;
  }
  nlohmann::json doc;
  if (r.status == "ok") {
    doc = nlohmann::json::parse(r.json, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status::Internal(fmt::format("point {}: the result is not JSON", r.index));
  }
  sqlite3_stmt* st = insert_;
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  int i = 1;
  sqlite3_bind_int64(st, i++, p.index);
  sqlite3_bind_text(st, i++, p.model.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, i++, p.system.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, i++, p.chips);
  auto input = [&](const auto& value, const char* pointer) {
    if (value) {
      const nlohmann::json v = *value;
      BindJson(st, i++, &v);
    } else {
      BindJson(st, i++, At(doc, pointer));
    }
  };
  input(p.seq, "/seq_len");
  input(p.global_batch, "/parallel/global_batch");
  input(p.precision, "/precision");
  input(p.tokens, nullptr);
  sqlite3_bind_text(st, i++, r.status.c_str(), -1, SQLITE_TRANSIENT);
  if (r.error.empty()) {
    sqlite3_bind_null(st, i++);
  } else {
    sqlite3_bind_text(st, i++, r.error.c_str(), -1, SQLITE_TRANSIENT);
  }
  for (const Column& c : kOutputs) {
    if (r.status == "no_fit" && std::string_view(c.name) == "fits") {
      sqlite3_bind_int(st, i++, 0);
    } else {
      BindJson(st, i++, At(doc, c.pointer));
    }
  }
  sqlite3_bind_double(st, i++, r.eval_s);
  sqlite3_bind_int(st, i++, r.rank);
  if (r.json.empty()) {
    sqlite3_bind_null(st, i++);
  } else {
    sqlite3_bind_text(st, i++, r.json.data(), static_cast<int>(r.json.size()), SQLITE_TRANSIENT);
  }
  if (sqlite3_step(st) != SQLITE_DONE) return Error(fmt::format("write point {}", p.index));
  return Status::Ok();
}

Status Store::Commit() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  return Exec("COMMIT;");
}

Result<std::string> Store::ExportCsv() const {
  std::string cols = "idx";
  for (const Column& c : kInputs) cols += std::string(", ") + c.name;
  cols += ", status, error";
  for (const Column& c : kOutputs) cols += std::string(", ") + c.name;
  cols += ", eval_s, rank";
  Stmt st;
  if (sqlite3_prepare_v2(db_, ("SELECT " + cols + " FROM points ORDER BY idx").c_str(), -1, &st.st, nullptr) !=
      SQLITE_OK)
    return Error("export");
  const int n = sqlite3_column_count(st.st);
  std::vector<std::string> fields;
  for (int k = 0; k < n; ++k) fields.push_back(sqlite3_column_name(st.st, k));
  std::string out = report::CsvRecord(fields);
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    fields.clear();
    for (int k = 0; k < n; ++k) fields.push_back(CellText(st.st, k));
    out += report::CsvRecord(fields);
  }
  if (rc != SQLITE_DONE) return Error("export");
  return out;
}

std::vector<std::string> Store::NumericColumns() {
  std::vector<std::string> out;
  for (const Column& c : kOutputs) {
    if (std::string_view(c.type) != "TEXT") out.emplace_back(c.name);
  }
  out.emplace_back("eval_s");
  return out;
}

Result<std::vector<StoredRow>> Store::ReadRows(const std::vector<std::string>& columns) const {
  const std::vector<std::string> known = NumericColumns();
  std::string sql = "SELECT idx, model, system, chips, seq, global_batch, precision, tokens, status";
  for (const std::string& c : columns) {
    if (std::find(known.begin(), known.end(), c) == known.end())
      return Status::Invalid(fmt::format("'{}' is not a numeric column of the sweep", c));
    sql += ", " + c;
  }
  sql += " FROM points WHERE status = 'ok' ORDER BY idx";
  Stmt st;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.st, nullptr) != SQLITE_OK) return Error("read");
  std::vector<StoredRow> rows;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    StoredRow r;
    r.index = sqlite3_column_int64(st.st, 0);
    r.model = CellText(st.st, 1);
    r.system = CellText(st.st, 2);
    r.chips = sqlite3_column_int64(st.st, 3);
    r.seq = sqlite3_column_int64(st.st, 4);
    r.global_batch = sqlite3_column_int64(st.st, 5);
    r.precision = CellText(st.st, 6);
    r.tokens = sqlite3_column_double(st.st, 7);
    r.status = CellText(st.st, 8);
    for (size_t k = 0; k < columns.size(); ++k) {
      const int col = 9 + static_cast<int>(k);
      if (sqlite3_column_type(st.st, col) == SQLITE_NULL) {
        r.values.emplace_back(std::nullopt);
      } else {
        r.values.emplace_back(sqlite3_column_double(st.st, col));
      }
    }
    rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("read");
  return rows;
}

}  // namespace xpusim::sweep
