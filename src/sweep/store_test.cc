#include "sweep/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "report/csv.h"

namespace xpusim::sweep {
namespace {

namespace fs = std::filesystem;

class SweepStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("xpusim_sweep_store_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "r.sqlite";
    auto g = ParseGrid("models: [m]\nsystems: [s1, s2]\nchips: [8, 16]\n", "g.yaml", nullptr);
    ASSERT_TRUE(g.ok());
    grid_ = *g;
    auto other = ParseGrid("models: [m]\nsystems: [s1, s2]\nchips: [8, 32]\n", "g.yaml", nullptr);
    ASSERT_TRUE(other.ok());
    other_ = *other;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A result with a hand-written train JSON (values chosen here, not by the model).
  static PointResult Ok(int64_t i, double step_time_s) {
    PointResult r;
    r.index = i;
    r.status = "ok";
    nlohmann::json j = {{"chip", "h100-sxm"}, {"seq_len", 4096},   {"precision", "bf16"},
                        {"step_time_s", step_time_s}, {"fits", true}, {"cost_usd", 12.5},
                        {"parallel", {{"tp", 8}, {"pp", 2}, {"global_batch", 512}, {"recompute", "full"}}}};
    r.json = j.dump();
    return r;
  }

  // Rows counted by a second, independent connection.
  int64_t CountWithSqlite(const char* where = "1") {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    const std::string sql = std::string("SELECT count(*) FROM points WHERE ") + where;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }

  fs::path dir_, path_;
  Grid grid_, other_;
};

TEST_F(SweepStore, CommittedRowsAreVisibleAndResumed) {
  {
    auto s = Store::Open(path_, grid_, false, false);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->points_total(), 4);
    ASSERT_TRUE(s->Add(PointAt(grid_, 0), Ok(0, 1.5)).ok());
    ASSERT_TRUE(s->Add(PointAt(grid_, 2), Ok(2, 2.5)).ok());
    ASSERT_TRUE(s->Commit().ok());
    EXPECT_EQ(CountWithSqlite(), 2);
    EXPECT_EQ(CountWithSqlite("idx = 2 AND system = 's2' AND chips = 8 AND step_time_s = 2.5 AND tp = 8 AND "
                              "seq = 4096 AND global_batch = 512 AND fits = 1"),
              1);
  }
  auto again = Store::Open(path_, grid_, false, false);
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto done = again->Done();
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(*done, (std::vector<bool>{true, false, true, false}));
  // The primary key refuses a point written twice.
  EXPECT_FALSE(again->Add(PointAt(grid_, 2), Ok(2, 9)).ok());
}

TEST_F(SweepStore, AnotherGridIsRefusedUnlessForced) {
  {
    auto s = Store::Open(path_, grid_, false, false);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->Add(PointAt(grid_, 1), Ok(1, 1)).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  auto refused = Store::Open(path_, other_, false, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("different grid"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);
  EXPECT_EQ(CountWithSqlite(), 1);  // untouched
  auto replaced = Store::Open(path_, other_, true, false);
  ASSERT_TRUE(replaced.ok()) << replaced.status().message();
  EXPECT_EQ(*replaced->CountRows(), 0);
}

TEST_F(SweepStore, SameGridIsResumedEvenWithForceButRestartClears) {
  {
    auto s = Store::Open(path_, grid_, false, false);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->Add(PointAt(grid_, 3), Ok(3, 1)).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  {
    auto s = Store::Open(path_, grid_, /*replace_other=*/true, false);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s->CountRows(), 1);
  }
  auto s = Store::Open(path_, grid_, false, /*restart=*/true);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s->CountRows(), 0);
}

TEST_F(SweepStore, AFileThatIsNotASweepIsNeverOverwrittenSilently) {
  { std::ofstream(path_) << "my notes\n"; }
  auto refused = Store::Open(path_, grid_, false, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not an xpusim sweep database"), std::string::npos)
      << refused.status().message();
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "my notes");
  EXPECT_TRUE(Store::Open(path_, grid_, true, false).ok());
}

TEST_F(SweepStore, CsvHasOneRowPerPointWithTheJsonValues) {
  auto s = Store::Open(path_, grid_, false, false);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->Add(PointAt(grid_, 1), Ok(1, 0.25)).ok());
  PointResult bad;
  bad.index = 0;
  bad.status = "error";
  bad.error = "unknown model, \"m\"";
  ASSERT_TRUE(s->Add(PointAt(grid_, 0), bad).ok());
  PointResult nofit;
  nofit.index = 3;
  nofit.status = "no_fit";
  nofit.error = "no plan of m fits";
  ASSERT_TRUE(s->Add(PointAt(grid_, 3), nofit).ok());
  ASSERT_TRUE(s->Commit().ok());
  auto csv = s->ExportCsv();
  ASSERT_TRUE(csv.ok());
  // Header + 3 rows in index order; the error text is quoted (RFC 4180).
  std::vector<std::string> lines;
  for (size_t a = 0, b; (b = csv->find('\n', a)) != std::string::npos; a = b + 1) lines.push_back(csv->substr(a, b - a));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("idx,model,system,chips,seq,global_batch,precision,tokens,status,error,chip,step_time_s", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind("0,m,s1,8,,,,,error," + report::CsvField("unknown model, \"m\""), 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("1,m,s1,16,4096,512,bf16,,ok,,h100-sxm,0.25,", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("3,m,s2,16,,,,,no_fit,no plan of m fits,", 0), 0u) << lines[3];
  EXPECT_EQ(CountWithSqlite("status = 'no_fit' AND fits = 0"), 1);
  auto rows = s->ReadRows({"step_time_s", "cost_usd"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);  // only 'ok' rows
  EXPECT_EQ((*rows)[0].values[0], 0.25);
  EXPECT_EQ((*rows)[0].values[1], 12.5);
  EXPECT_FALSE(s->ReadRows({"json"}).ok());
}

}  // namespace
}  // namespace xpusim::sweep
