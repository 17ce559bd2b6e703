#include "infer/sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <sstream>
#include <vector>

#include "infer/sim/replica.h"
#include "infer/sim/request_metrics.h"
#include "infer/sim/seq_pool.h"
#include "infer/sim/timeline.h"

namespace xpusim::sim {

namespace {

struct Event {
  double t;
  int32_t kind;  // kStepEnd or kTransferDone
  int32_t a;     // step end: replica; transfer: sequence
  int32_t b;     // transfer: the prefill replica holding its KV
};
constexpr int32_t kStepEnd = 0;
constexpr int32_t kTransferDone = 1;

struct Later {
  bool operator()(const Event& x, const Event& y) const {
    if (x.t != y.t) return x.t > y.t;
    if (x.kind != y.kind) return x.kind > y.kind;
    return x.a > y.a;
  }
};

struct Pool {
  int first = 0, count = 0;
  uint64_t rr = 0;
};

class ServingSim {
 public:
  ServingSim(const SimConfig& cfg, const SimModels& m) : cfg_(cfg), metrics_(cfg.slo),
        timeline_(cfg.timeline_bucket_s, cfg.max_timeline_buckets) {
    auto add = [&](Pool* p, int n, const StepTimeModel* model, ReplicaRole role) {
      p->first = static_cast<int>(replicas_.size());
      p->count = n;
      for (int i = 0; i < n; ++i) replicas_.emplace_back(model, cfg.scheduler, role);
    };
    if (cfg.disagg.enabled) {
      add(&entry_, cfg.disagg.prefill_replicas, m.prefill, ReplicaRole::kPrefill);
      add(&decode_, cfg.disagg.decode_replicas, m.decode, ReplicaRole::kDecode);
    } else {
      add(&entry_, cfg.replicas, m.colocated, ReplicaRole::kColocated);
    }
    for (const Replica& r : replicas_) kv_total_ += static_cast<double>(r.total_blocks());
  }

  Result<SimReport> Run(RequestSource& source, const SimProgressFn& progress);

 private:
  Status Arrive(const RequestSpec& spec);
  Status StepEnd(int r, double t);
  Status TransferDone(int32_t id, int prefill_replica, double t);
  Status TryStart(int r, double t);
  void Complete(int32_t id, double t);
  int Dispatch(Pool* p);
  // Why a request can never run, or kFits.
  enum class Reject { kFits, kKvCapacity, kPrefillBudget };
  Reject Fits(const RequestSpec& s) const;
  void AdvanceTo(double t);
  // Runs f on replica r, keeping the cluster-wide running/KV totals current.
  template <typename F>
  auto Touch(int r, F f) {
    Replica& rep = replicas_[r];
    const int64_t run0 = static_cast<int64_t>(rep.running()), kv0 = rep.used_blocks();
    auto out = f(rep);
    running_ += static_cast<int64_t>(rep.running()) - run0;
    kv_used_ += rep.used_blocks() - kv0;
    return out;
  }

  const SimConfig& cfg_;
  std::vector<Replica> replicas_;
  Pool entry_, decode_;
  SeqPool seqs_;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  RequestMetrics metrics_;
  Timeline timeline_;
  std::vector<int32_t> finished_, handed_;
  std::vector<int> arrived_;  // replicas given a request at the current instant
  double now_ = 0;
  double kv_total_ = 0;
  int64_t running_ = 0, kv_used_ = 0, in_system_ = 0;
  double in_system_area_ = 0, running_area_ = 0, kv_area_ = 0;
  SimReport report_;
};

void ServingSim::AdvanceTo(double t) {
  const double dt = t - now_;
  if (dt > 0) {
    const double kv = kv_total_ > 0 ? static_cast<double>(kv_used_) / kv_total_ : 0.0;
    in_system_area_ += static_cast<double>(in_system_) * dt;
    running_area_ += static_cast<double>(running_) * dt;
    kv_area_ += kv * dt;
    timeline_.AddSpan(now_, t, static_cast<double>(running_), kv);
    now_ = t;
  }
}

int ServingSim::Dispatch(Pool* p) {
  if (cfg_.dispatch == DispatchPolicy::kRoundRobin) return p->first + static_cast<int>(p->rr++ % p->count);
  int best = p->first;
  for (int r = p->first + 1; r < p->first + p->count; ++r)
    if (replicas_[r].outstanding() < replicas_[best].outstanding()) best = r;
  return best;
}

ServingSim::Reject ServingSim::Fits(const RequestSpec& s) const {
  const SchedulerConfig& sc = cfg_.scheduler;
  const Replica& e = replicas_[entry_.first];
  if (e.PeakBlocks(s.input_tokens, s.output_tokens) > e.total_blocks()) return Reject::kKvCapacity;
  if (decode_.count > 0) {
    const Replica& d = replicas_[decode_.first];
    if (d.PeakBlocks(s.input_tokens, s.output_tokens) > d.total_blocks()) return Reject::kKvCapacity;
  }
  // Without chunked prefill a (re)prefill must fit one iteration's budget.
  if (!sc.chunked_prefill && s.input_tokens + s.output_tokens - 1 > sc.max_num_batched_tokens)
    return Reject::kPrefillBudget;
  return Reject::kFits;
}

Status ServingSim::TryStart(int r, double t) {
  if (replicas_[r].busy()) return Status::Ok();
  const double dt = Touch(r, [&](Replica& rep) { return rep.StartStep(seqs_); });
  if (dt == 0.0 && !replicas_[r].busy()) return Status::Ok();
  if (!(dt > 0) || !std::isfinite(dt)) {
    std::ostringstream msg;
    msg << "serving simulator: the step-time model returned " << dt << " s for an iteration; it must be > 0";
    return Status::Invalid(msg.str());
  }
  ++report_.iterations;
  events_.push({t + dt, kStepEnd, r, -1});
  return Status::Ok();
}

Status ServingSim::Arrive(const RequestSpec& spec) {
  ++report_.requests_arrived;
  report_.last_arrival_s = spec.arrival_s;
  const Reject why = Fits(spec);
  if (why != Reject::kFits) {
    ++report_.requests_rejected;
    ++(why == Reject::kKvCapacity ? report_.rejected_kv_capacity : report_.rejected_prefill_budget);
    return Status::Ok();
  }
  const int32_t id = seqs_.Alloc();
  Seq& s = seqs_[id];
  s.arrival_s = spec.arrival_s;
  s.input_tokens = spec.input_tokens;
  s.output_tokens = spec.output_tokens;
  s.target = spec.input_tokens;
  ++in_system_;
  const int r = Dispatch(&entry_);
  s.replica = r;
  replicas_[r].Enqueue(id);
  // Started once every arrival of this instant is queued, so requests due
  // together share the first iteration (as an engine's scheduler sees them).
  arrived_.push_back(r);
  return Status::Ok();
}

void ServingSim::Complete(int32_t id, double t) {
  const Seq& s = seqs_[id];
  metrics_.Record(s.arrival_s, s.first_token_s, t, s.input_tokens, s.output_tokens);
  --in_system_;
  seqs_.Release(id);
}

Status ServingSim::StepEnd(int r, double t) {
  finished_.clear();
  handed_.clear();
  const StepResult res = Touch(r, [&](Replica& rep) { return rep.FinishStep(t, seqs_, &finished_, &handed_); });
  timeline_.AddTokens(t, res.output_tokens, res.prefill_tokens);
  for (int32_t id : finished_) Complete(id, t);
  const DisaggConfig& d = cfg_.disagg;
  for (int32_t id : handed_) {
    const double bytes = d.kv_bytes_per_token * static_cast<double>(seqs_[id].input_tokens);
    const double delay = (bytes > 0 ? bytes / d.transfer_bandwidth_bytes_per_s : 0.0) + d.transfer_latency_s;
    events_.push({t + delay, kTransferDone, id, r});
  }
  return TryStart(r, t);
}

Status ServingSim::TransferDone(int32_t id, int prefill_replica, double t) {
  Seq& s = seqs_[id];
  const int32_t held = s.blocks;
  Touch(prefill_replica, [&](Replica& rep) {
    rep.ReleaseHeld(held);
    return 0;
  });
  s.blocks = 0;
  XPU_RETURN_IF_ERROR(TryStart(prefill_replica, t));
  s.first_token_s = t;
  if (s.generated >= s.output_tokens) {
    Complete(id, t);
    return Status::Ok();
  }
  // The decode replica receives the prompt's KV; the first token's KV is
  // written by its first decode.
  s.computed = s.input_tokens;
  s.target = s.input_tokens;
  const int r = Dispatch(&decode_);
  s.replica = r;
  replicas_[r].Enqueue(id);
  return TryStart(r, t);
}

Result<SimReport> ServingSim::Run(RequestSource& source, const SimProgressFn& progress) {
  {
    const int block = cfg_.scheduler.block_size_tokens;
    report_.kv_capacity_tokens = replicas_[entry_.first].total_blocks() * block;
    if (decode_.count > 0) report_.decode_kv_capacity_tokens = replicas_[decode_.first].total_blocks() * block;
  }
  RequestSpec next;
  bool have = source.Next(&next);
  double prev_arrival = 0;
  const int64_t limit = cfg_.max_concurrency;
  while (have || !events_.empty()) {
    // Closed loop: a request due while `limit` are in flight is sent when one completes.
    const bool held = limit > 0 && in_system_ >= limit;
    if (held && events_.empty())
      return Status::Internal("serving simulator: the concurrency limit is reached with nothing running");
    const double send_s = std::max(next.arrival_s, now_);
    if (have && !held && (events_.empty() || send_s <= events_.top().t)) {
      if (!std::isfinite(next.arrival_s) || next.arrival_s < prev_arrival || next.arrival_s > kMaxArrivalS ||
          next.input_tokens < 1 || next.output_tokens < 1) {
        std::ostringstream msg;
        msg << "serving simulator: request " << report_.requests_arrived + 1 << " (arrival " << next.arrival_s
            << " s, " << next.input_tokens << " in, " << next.output_tokens
            << " out) is out of order, arrives after 1e12 s or has fewer than one token";
        return Status::Invalid(msg.str());
      }
      prev_arrival = next.arrival_s;
      next.arrival_s = send_s;
      AdvanceTo(send_s);
      XPU_RETURN_IF_ERROR(Arrive(next));
      if (progress && report_.requests_arrived % kSimProgressEvery == 0) progress(report_.requests_arrived);
      have = source.Next(&next);
      const bool same_instant = have && std::max(next.arrival_s, now_) == now_ && !(limit > 0 && in_system_ >= limit);
      if (!same_instant) {
        for (int r : arrived_) XPU_RETURN_IF_ERROR(TryStart(r, now_));
        arrived_.clear();
      }
      continue;
    }
    const Event e = events_.top();
    events_.pop();
    AdvanceTo(e.t);
    XPU_RETURN_IF_ERROR(e.kind == kStepEnd ? StepEnd(e.a, e.t) : TransferDone(e.a, e.b, e.t));
  }
  if (in_system_ != 0)
    return Status::Internal("serving simulator: " + std::to_string(in_system_) + " requests never completed");
  if (progress) progress(report_.requests_arrived);
  SimReport& r = report_;
  r.span_s = now_;
  metrics_.Fill(now_, &r);
  for (const Replica& rep : replicas_) r.preemptions += rep.preemptions();
  if (now_ > 0) {
    r.mean_in_system = in_system_area_ / now_;
    r.mean_running = running_area_ / now_;
    r.mean_kv_usage = kv_area_ / now_;
  }
  r.timeline = timeline_.Rows(now_);
  r.timeline_bucket_s = timeline_.bucket_s();
  return std::move(report_);
}

}  // namespace

Result<SimReport> RunServingSim(const SimConfig& config, const SimModels& models, RequestSource& source,
                                const SimProgressFn& progress) {
  XPU_RETURN_IF_ERROR(ValidateSimConfig(config));
  const bool dis = config.disagg.enabled;
  if (!dis && models.colocated == nullptr)
    return Status::Invalid("serving simulator: no step-time model for the replicas");
  if (dis && (models.prefill == nullptr || models.decode == nullptr))
    return Status::Invalid("serving simulator: disaggregation needs a prefill and a decode step-time model");
  ServingSim sim(config, models);
  return sim.Run(source, progress);
}

}  // namespace xpusim::sim
