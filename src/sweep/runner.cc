#include "sweep/runner.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <future>
#include <optional>
#include <list>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sweep/evaluate.h"
#include "sweep/progress.h"

namespace xpusim::sweep {
namespace {

// Message tags. Worker -> rank 0: kRequest (empty: "send my next chunk"),
// kResults (JSON array of results), kGone (this rank failed to start).
// Rank 0 -> worker: kWork (int64 point indices; none: stop).
constexpr int kRequest = 1, kResults = 2, kGone = 3, kWork = 4;
constexpr int64_t kMaxChunk = 64;
constexpr double kChunkSeconds = 0.1;     // target work per chunk
constexpr double kPrefetchBelowS = 0.05;  // a worker asks ahead only when its chunks are this short

using Clock = std::chrono::steady_clock;

std::string EncodeResults(const std::vector<PointResult>& results) {
  nlohmann::json a = nlohmann::json::array();
  for (const PointResult& r : results)
    a.push_back({{"i", r.index}, {"s", r.status}, {"e", r.error}, {"j", r.json}, {"t", r.eval_s}, {"r", r.rank}});
  return a.dump();
}

Result<std::vector<PointResult>> DecodeResults(const std::string& text) {
  const nlohmann::json a = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!a.is_array()) return Status::Internal("a worker sent results that are not a JSON array");
  std::vector<PointResult> out;
  try {
    for (const auto& x : a) {
      PointResult r;
      r.index = x.at("i").get<int64_t>();
      r.status = x.at("s").get<std::string>();
      r.error = x.at("e").get<std::string>();
      r.json = x.at("j").get<std::string>();
      r.eval_s = x.at("t").get<double>();
      r.rank = x.at("r").get<int>();
      out.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Internal(fmt::format("a worker sent malformed results: {}", e.what()));
  }
  return out;
}

// Polls instead of blocking: a blocking MPI receive spins a core, which the
// other rank on a small machine needs.
void WaitFor(MPI_Request* req) {
  for (int done = 0;;) {
    MPI_Test(req, &done, MPI_STATUS_IGNORE);
    if (done) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

class Coordinator {
 public:
  Coordinator(const Mpi& mpi, const Catalog* catalog, const Grid* grid, Store* store, const RunOptions& o)
      : mpi_(mpi), catalog_(catalog), grid_(grid), store_(store), o_(o),
        stopped_(mpi.size(), false), assigned_(mpi.size()) {
    stopped_[0] = true;
  }

  Result<RunSummary> Run() {
    XPU_ASSIGN_OR_RETURN(std::vector<bool> done, store_->Done());
    RunSummary sum;
    sum.total = store_->points_total();
    sum.ranks = mpi_.size();
    for (int64_t i = 0; i < sum.total; ++i) {
      if (!done[static_cast<size_t>(i)]) pending_.push_back(i);
    }
    sum.already_done = sum.total - static_cast<int64_t>(pending_.size());
    if (o_.max_points >= 0 && static_cast<int64_t>(pending_.size()) > o_.max_points) pending_.resize(o_.max_points);
    // Against the points this run will do (--max-points may stop it early).
    Progress progress(sum.already_done + static_cast<int64_t>(pending_.size()), sum.already_done, o_.progress);
    const auto start = Clock::now();
    last_commit_ = start;
    while (true) {
      XPU_RETURN_IF_ERROR(Poll());
      if (mpi_.size() > 1) {
        // Rank 0's own point runs on a second thread so that this one keeps
        // answering the workers (MPI stays on this thread: FUNNELED).
        if (local_ && local_->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
          PointResult r = local_->get();
          local_.reset();
          XPU_RETURN_IF_ERROR(Store(r));
        }
        if (!local_ && !pending_.empty()) {
          const int64_t i = pending_.front();
          pending_.pop_front();
          local_ = std::async(std::launch::async, [this, i] {
            return EvaluatePoint(*catalog_, *grid_, PointAt(*grid_, i), o_.threads, 0);
          });
        }
        if (!local_ && pending_.empty() && AllStopped() && Outstanding() == 0) break;
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      } else if (!pending_.empty()) {
        const int64_t i = pending_.front();
        pending_.pop_front();
        XPU_RETURN_IF_ERROR(Store(EvaluatePoint(*catalog_, *grid_, PointAt(*grid_, i), o_.threads, 0)));
      } else {
        break;
      }
      progress.Update(computed_);
      if (std::chrono::duration<double>(Clock::now() - last_commit_).count() >= o_.commit_every_s) {
        XPU_RETURN_IF_ERROR(store_->Commit());
        last_commit_ = Clock::now();
      }
    }
    XPU_RETURN_IF_ERROR(store_->Commit());
    progress.Finish(computed_);
    sum.computed = computed_;
    sum.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return sum;
  }

  // After a failure: stop every worker and wait for the results they owe
  // (discarded), so that no rank is left waiting on a message.
  void Release() {
    pending_.clear();
    store_ = nullptr;
    while (!(AllStopped() && Outstanding() == 0)) {
      if (!Poll().ok()) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

 private:
  bool AllStopped() const { return std::all_of(stopped_.begin(), stopped_.end(), [](bool b) { return b; }); }
  size_t Outstanding() const {
    size_t n = 0;
    for (const auto& s : assigned_) n += s.size();
    return n;
  }

  Status Store(const PointResult& r) {
    eval_seconds_ += r.eval_s;
    ++evaluated_;
    if (!store_) return Status::Ok();
    XPU_RETURN_IF_ERROR(store_->Add(PointAt(*grid_, r.index), r));
    ++computed_;
    return Status::Ok();
  }

  // Answers every message that has arrived.
  Status Poll() {
    if (mpi_.size() == 1) return Status::Ok();
    for (;;) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
      if (!flag) return Status::Ok();
      int n = 0;
      MPI_Get_count(&st, MPI_CHAR, &n);
      std::string buf(static_cast<size_t>(n), '\0');
      MPI_Recv(buf.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      const int w = st.MPI_SOURCE;
      if (st.MPI_TAG == kRequest) {
        std::vector<int64_t> chunk;
        // Guided, and no longer than about kChunkSeconds of work, so that
        // expensive points go out one at a time and the ranks end together.
        int64_t size = static_cast<int64_t>(pending_.size()) / (4 * mpi_.size());
        if (evaluated_ > 0) {
          const double mean_s = eval_seconds_ / static_cast<double>(evaluated_);
          size = std::min<int64_t>(size, static_cast<int64_t>(kChunkSeconds / std::max(mean_s, 1e-6)));
        } else {
          size = 1;  // cost unknown yet
        }
        size = std::clamp<int64_t>(size, 1, kMaxChunk);
        while (!pending_.empty() && static_cast<int64_t>(chunk.size()) < size) {
          chunk.push_back(pending_.front());
          pending_.pop_front();
        }
        if (chunk.empty()) stopped_[w] = true;
        assigned_[w].insert(chunk.begin(), chunk.end());
        MPI_Send(chunk.data(), static_cast<int>(chunk.size()), MPI_INT64_T, w, kWork, MPI_COMM_WORLD);
      } else if (st.MPI_TAG == kResults) {
        XPU_ASSIGN_OR_RETURN(std::vector<PointResult> results, DecodeResults(buf));
        for (const PointResult& r : results) {
          if (assigned_[w].erase(r.index) == 0)
            return Status::Internal(fmt::format("rank {} returned point {} it was not given", w, r.index));
          XPU_RETURN_IF_ERROR(Store(r));
        }
      } else if (st.MPI_TAG == kGone) {
        stopped_[w] = true;
        for (int64_t i : assigned_[w]) pending_.push_front(i);  // lost work goes back to the queue
        assigned_[w].clear();
      }
    }
  }

  const Mpi& mpi_;
  const Catalog* catalog_;
  const Grid* grid_;
  sweep::Store* store_;
  RunOptions o_;
  std::deque<int64_t> pending_;
  std::vector<bool> stopped_;
  std::vector<std::set<int64_t>> assigned_;
  int64_t computed_ = 0;
  double eval_seconds_ = 0;  // sum of eval_s over the results so far (chunk sizing)
  int64_t evaluated_ = 0;
  Clock::time_point last_commit_;
  std::optional<std::future<PointResult>> local_;  // rank 0's own point in flight (MPI)
};

}  // namespace

bool Mpi::Launched() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

Mpi::Mpi() {
  if (!Launched()) return;
  int already = 0;
  MPI_Initialized(&already);
  int provided = 0;  // rank 0 computes on a second thread that never calls MPI
  if (!already) MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialised_ = !already;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Mpi::~Mpi() {
  if (initialised_) MPI_Finalize();
}

Result<RunSummary> RunCoordinator(const Mpi& mpi, const Catalog* catalog, const Grid* grid, Store* store,
                                  const Status& setup, const RunOptions& options) {
  Coordinator c(mpi, catalog, grid, store, options);
  if (!setup.ok()) {
    c.Release();
    return setup;
  }
  auto sum = c.Run();
  if (!sum.ok()) c.Release();
  return sum;
}

Status RunWorker(const Mpi& mpi, const Catalog* catalog, const Grid* grid, const Status& setup,
                 const RunOptions& options) {
  if (!setup.ok()) {
    MPI_Send(nullptr, 0, MPI_CHAR, 0, kGone, MPI_COMM_WORLD);
    return setup;
  }
  std::list<std::pair<MPI_Request, std::string>> sends;  // results in flight (buffers kept alive)
  auto request = [] { MPI_Send(nullptr, 0, MPI_CHAR, 0, kRequest, MPI_COMM_WORLD); };
  auto receive = [] {
    MPI_Status st;
    for (int flag = 0; !flag;) {
      MPI_Iprobe(0, kWork, MPI_COMM_WORLD, &flag, &st);
      if (!flag) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    int n = 0;
    MPI_Get_count(&st, MPI_INT64_T, &n);
    std::vector<int64_t> chunk(static_cast<size_t>(n));
    MPI_Recv(chunk.data(), n, MPI_INT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return chunk;
  };
  auto reap = [&sends] {
    for (auto it = sends.begin(); it != sends.end();) {
      int done = 0;
      MPI_Test(&it->first, &done, MPI_STATUS_IGNORE);
      it = done ? sends.erase(it) : std::next(it);
    }
  };
  // Asking for the next chunk before computing this one hides the round
  // trip when chunks are short; with long chunks it would only keep a
  // chunk away from the others at the end, so the worker asks afterwards.
  request();
  std::vector<int64_t> chunk = receive();
  bool prefetch = true;
  while (!chunk.empty()) {
    if (prefetch) request();
    const auto t0 = Clock::now();
    std::vector<PointResult> results;
    for (int64_t i : chunk) {
      results.push_back(EvaluatePoint(*catalog, *grid, PointAt(*grid, i), options.threads, mpi.rank()));
      reap();
    }
    sends.emplace_back(MPI_Request{}, EncodeResults(results));
    auto& [req, buf] = sends.back();
    MPI_Isend(buf.data(), static_cast<int>(buf.size()), MPI_CHAR, 0, kResults, MPI_COMM_WORLD, &req);
    if (!prefetch) request();
    chunk = receive();
    prefetch = std::chrono::duration<double>(Clock::now() - t0).count() < kPrefetchBelowS;
  }
  for (auto& [req, buf] : sends) WaitFor(&req);
  return Status::Ok();
}

}  // namespace xpusim::sweep
