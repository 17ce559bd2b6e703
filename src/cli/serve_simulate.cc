// `xpusim serve --simulate` (issue 5 item 3; doc/serving_simulator.md).
//
// Reads the serve command's own flags (--model, --system, --chips, --tp, --pp,
// --dp, --ep, --weights, --kv, --disagg, --prefill-chunk, --ttft-slo-ms,
// --tpot-slo-ms, --input-len, --output-len) from `app`, builds one
// ServeEvaluator per pool and adapts it to sim::StepTimeModel per replica.
#include "cli/serve_simulate.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "infer/sim/replica_step_time.h"
#include "infer/sim/simulator.h"
#include "infer/sim/trace_reader.h"
#include "report/chart_svg.h"
#include "xpusim/serve.h"

namespace xpusim::cli {
namespace {

struct SimFlags {
  bool simulate = false;
  std::optional<double> rate;
  std::optional<double> requests;  // unset: 10000; a double so that 1e6 reads as a million
  std::string trace, timeline_csv, dispatch = "least-loaded";
  std::optional<std::string> seed;  // unset: 1; parsed by ParseSeed (no clamping)
  int max_num_seqs = 256;
  std::optional<int64_t> concurrency;  // closed loop: requests in flight at most
};

constexpr int64_t kDefaultRequests = 10000;
// At the measured ~300,000 requests/s (doc/serving_simulator.md, Speed) a
// billion requests take about an hour; more is a typo or needs a trace.
constexpr int64_t kMaxRequests = 1'000'000'000;
// The analytic path's bound on a request's lengths (ServeEvaluator::Evaluate).
constexpr int64_t kMaxLen = int64_t{1} << 24;

// --seed: a whole number in [0, 2^64). CLI11 would clamp -1 or 2^64 into range.
Result<uint64_t> ParseSeed(const std::optional<std::string>& text) {
  if (!text) return uint64_t{1};
  uint64_t v = 0;
  const char* b = text->data();
  const char* e = b + text->size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (text->empty() || ec != std::errc() || p != e)
    return Status::Invalid(fmt::format("--seed takes a whole number from 0 to 18446744073709551615 (got '{}')", *text));
  return v;
}

// A one-line progress bar on stderr for long runs, drawn only on a terminal
// and only once the run has taken a second (as `train --search` draws its own).
class ProgressBar {
 public:
  explicit ProgressBar(int64_t total) : total_(total), tty_(isatty(STDERR_FILENO) != 0) {}
  ~ProgressBar() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }
  void Update(int64_t arrived) {
    if (!tty_ || total_ <= 0) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 1.0) return;
    const double fraction = std::min(1.0, static_cast<double>(arrived) / static_cast<double>(total_));
    constexpr int kWidth = 30;
    std::string bar(static_cast<size_t>(fraction * kWidth), '#');
    bar.append(kWidth - bar.size(), '.');
    std::fprintf(stderr, "\r\033[Ksimulating [%s] %3.0f%%  %lld/%lld requests arrived  %.1f s", bar.c_str(),
                 100 * fraction, static_cast<long long>(arrived), static_cast<long long>(total_), elapsed);
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  int64_t total_;
  bool tty_, drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

template <typename T>
std::optional<T> Opt(CLI::App& app, const char* name) {
  CLI::Option* o = app.get_option_no_throw(name);
  if (o == nullptr || o->count() == 0) return std::nullopt;
  return o->as<T>();
}

// The deployment on `chips` chips: --tp/--pp/--dp/--ep as given (a pool of
// --disagg: its --prefill-*/--decode-* degrees first); without a tp the
// smallest power of two in the scale-up domain that leaves room for KV.
Result<ServeEvaluator> Deploy(CLI::App& app, const Catalog& cat, const Model& m, const System& s, int64_t chips,
                              const ServeDeployment& base, const ServeOptions& o, const std::string& pool) {
  auto degree = [&](const char* name) {
    std::optional<int> v;
    if (!pool.empty()) v = Opt<int>(app, ("--" + pool + "-" + name).c_str());
    return v ? v : Opt<int>(app, (std::string("--") + name).c_str());
  };
  const int pp = degree("pp").value_or(1);
  const int ep = degree("ep").value_or(1);
  std::optional<int> tp = degree("tp");
  const int dp = !pool.empty() ? 0 : Opt<int>(app, "--dp").value_or(0);  // 0: chips / (tp pp)
  auto make = [&](int t) -> Result<ServeEvaluator> {
    if (pp < 1 || t < 1 || chips % (int64_t{t} * pp) != 0)
      return Status::Invalid(fmt::format("tp {} x pp {} does not divide {} chips", t, pp, chips));
    ServeDeployment d = base;
    d.layout = {t, pp, dp > 0 ? dp : static_cast<int>(chips / (int64_t{t} * pp)), ep};
    return ServeEvaluator::Create(cat, m, s, chips, d, o);
  };
  if (tp) return make(*tp);
  for (int t = 1; t <= s.scaleup_domain_chips; t *= 2) {
    Result<ServeEvaluator> ev = make(t);
    if (ev.ok() && ev->KvCapacityTokens() > 0) return ev;
  }
  return Status::Invalid(fmt::format("no power-of-two --tp fits {} on {} chips; give --tp explicitly", m.id, chips));
}

// A replica whose weights leave no KV block free could serve nothing: every
// request would be rejected. That is a layout error, not a result.
Status CheckKvRoom(const sim::StepTimeModel& m, const ServeEvaluator& ev, const Model& model, int block_tokens,
                   const char* pool) {
  if (m.KvCapacityTokens() >= block_tokens) return Status::Ok();
  const ServeLayout& l = ev.deployment().layout;
  return Status::Invalid(fmt::format("{}tp {} x pp {} leaves no memory for a KV cache of {} ({} tokens per replica); "
                                     "give each replica more chips (--tp/--pp) or narrower --weights",
                                     pool, l.tp, l.pp, model.id, m.KvCapacityTokens()));
}

// The arrivals, and what the report says about them.
struct Arrivals {
  std::unique_ptr<sim::RequestSource> source;
  int64_t count = 0;                     // requests the source will hand out
  std::optional<double> trace_start_s;   // with --trace: the first arrival, which becomes time 0
  std::optional<uint64_t> seed;          // with --rate
};

bool Given(CLI::App& app, const char* name) {
  CLI::Option* o = app.get_option_no_throw(name);
  return o != nullptr && o->count() > 0;
}

Result<Arrivals> Source(CLI::App& app, const SimFlags& f, const Model& model) {
  const std::optional<int64_t> in = Opt<int64_t>(app, "--input-len"), out = Opt<int64_t>(app, "--output-len");
  Arrivals a;
  if (!f.trace.empty()) {
    if (f.rate) return Status::Invalid("give --rate or --trace, not both");
    if (in || out)
      return Status::Invalid("--input-len/--output-len do not apply with --trace: each trace row gives its lengths");
    if (f.requests || f.seed)
      return Status::Invalid("--requests and --seed apply to --rate (Poisson arrivals), not to --trace");
    XPU_ASSIGN_OR_RETURN(auto reqs, sim::ReadTraceFile(f.trace, {model.max_seq, model.id}));
    a.trace_start_s = sim::RebaseArrivals(&reqs);
    a.count = static_cast<int64_t>(reqs.size());
    a.source = std::make_unique<sim::VectorSource>(std::move(reqs));
    return a;
  }
  // --concurrency without --rate: every request is due at once and the
  // client sends the next as one completes.
  if (!f.rate && !f.concurrency)
    return Status::Invalid("--simulate needs --rate R (requests/s, > 0; Poisson arrivals), --concurrency N "
                           "(a closed loop of N requests in flight) or --trace FILE");
  if (f.rate && (!std::isfinite(*f.rate) || *f.rate <= 0))
    return Status::Invalid(fmt::format("--rate must be a finite number > 0 requests/s (got {})", *f.rate));
  if (!in || !out)
    return Status::Invalid("--input-len and --output-len are required with --simulate --rate/--concurrency (or give "
                           "--trace FILE, whose rows carry the lengths)");
  if (*in < 1 || *out < 1)
    return Status::Invalid(fmt::format("--input-len and --output-len must be >= 1 (got {} and {})", *in, *out));
  if (*in > kMaxLen || *out > kMaxLen)
    return Status::Invalid(fmt::format("--input-len and --output-len must be at most {}", kMaxLen));
  if (model.max_seq > 0 && *in + *out > model.max_seq)
    return Status::Invalid(fmt::format("--input-len + --output-len = {} exceeds the {}-token context of {}", *in + *out,
                                       model.max_seq, model.id));
  const double req = f.requests.value_or(kDefaultRequests);
  if (!(req >= 1) || req != std::floor(req))
    return Status::Invalid(fmt::format("--requests must be a whole number >= 1 (got {})", req));
  if (req > static_cast<double>(kMaxRequests))
    return Status::Invalid(fmt::format("--requests must be at most {} (got {:.0f}): a billion requests already take "
                                       "about an hour to simulate",
                                       kMaxRequests, req));
  const auto n = static_cast<int64_t>(req);
  XPU_ASSIGN_OR_RETURN(const uint64_t seed, ParseSeed(f.seed));
  sim::PoissonParams p;
  p.rate_per_s = f.rate.value_or(std::numeric_limits<double>::infinity());
  p.num_requests = n;
  p.input = sim::LengthDist::Fixed(*in);
  p.output = sim::LengthDist::Fixed(*out);
  p.seed = seed;
  XPU_RETURN_IF_ERROR(sim::ValidatePoissonParams(p));
  a.source = std::make_unique<sim::PoissonSource>(p);
  a.count = n;
  a.seed = seed;
  return a;
}

// "n/a" with a reason where a statistic covers no requests.
std::string Line(const char* name, const sim::LatencySummary& l, double scale, const char* unit, const char* why_none) {
  if (l.count == 0) return fmt::format("{:<6} n/a ({})\n", name, why_none);
  return fmt::format("{:<6} mean {:>9.3f}  p50 {:>9.3f}  p90 {:>9.3f}  p99 {:>9.3f}  max {:>9.3f} {}\n", name,
                     l.mean_s * scale, l.p50_s * scale, l.p90_s * scale, l.p99_s * scale, l.max_s * scale, unit);
}

std::string Replicas(int64_t n) { return fmt::format("{} {}", n, n == 1 ? "replica" : "replicas"); }

std::string Text(const sim::SimReport& r, int64_t replicas, const Arrivals& a, std::optional<int64_t> concurrency) {
  std::string s = fmt::format("Simulated {} requests ({} completed, {} rejected) on {}{} over {:.1f} s\n",
                              r.requests_arrived, r.requests_completed, r.requests_rejected, Replicas(replicas),
                              concurrency ? fmt::format(", at most {} in flight", *concurrency) : "", r.span_s);
  if (a.trace_start_s && *a.trace_start_s >= 1.0)
    s += fmt::format("note: the trace's arrivals start at {} s; times are measured from the first arrival\n",
                     *a.trace_start_s);
  if (r.requests_rejected > 0) s += "note: " + sim::RejectionSummary(r) + "\n";
  const char* none = "no request completed";
  s += Line("TTFT", r.ttft, 1e3, "ms", none);
  s += Line("TPOT", r.tpot, 1e3, "ms", r.requests_completed > 0 ? "every completed request has 1 output token" : none);
  s += Line("E2E", r.e2e, 1.0, "s", none);
  if (r.requests_completed > 0) {
    s += fmt::format("throughput   {:.1f} output tokens/s, {:.1f} prompt tokens/s, {:.2f} requests/s\n",
                     r.output_tokens_per_s, r.input_tokens_per_s, r.requests_per_s);
  } else {
    s += fmt::format("throughput   n/a ({})\n", none);
  }
  if (r.requests_completed > 0) {
    s += fmt::format("SLO goodput  {:.1f}% of requests, {:.2f} requests/s\n", 100 * r.goodput_fraction,
                     r.goodput_requests_per_s);
  } else {
    s += fmt::format("SLO goodput  n/a ({})\n", none);
  }
  if (r.span_s > 0) {
    s += fmt::format("mean load    {:.1f} in system, {:.1f} running, KV {:.1f}% used, {} preemptions\n",
                     r.mean_in_system, r.mean_running, 100 * r.mean_kv_usage, r.preemptions);
  } else {
    s += fmt::format("mean load    n/a (no simulated time passed)\n");
  }
  return s;
}

// Prompt and output tokens/s over the simulated time, the latency summary in the subtitle.
std::string TimelineChart(const sim::SimReport& r, const std::string& model, int64_t replicas) {
  report::Chart c;
  c.title = fmt::format("{} on {}: simulated throughput over time", model, Replicas(replicas));
  c.subtitle = fmt::format("{} requests; TTFT p50 {:.0f} / p99 {:.0f} ms, TPOT p50 {:.1f} / p99 {:.1f} ms, goodput {:.1f}%",
                           r.requests_completed, r.ttft.p50_s * 1e3, r.ttft.p99_s * 1e3, r.tpot.p50_s * 1e3,
                           r.tpot.p99_s * 1e3, 100 * r.goodput_fraction);
  c.x_label = "time (s)";
  c.y_label = "tokens/s";
  report::Series out{"output tokens/s", {}, {}, {}}, in{"prompt tokens/s", {}, {}, {}};
  for (const sim::TimelineBucket& b : r.timeline) {
    out.x.push_back(b.start_s);
    out.y.push_back(b.output_tokens_per_s);
    in.x.push_back(b.start_s);
    in.y.push_back(b.prefill_tokens_per_s);
  }
  c.series = {std::move(out), std::move(in)};
  return report::RenderLineChart(c);
}

Result<std::string> Simulate(CLI::App& app, const SimFlags& f, Context& ctx) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("serve --simulate", {OutputFormat::kTable, OutputFormat::kJson}));
  if (Opt<int64_t>(app, "--batch") || Opt<bool>(app, "--search"))
    return Status::Invalid("--simulate takes its load from --rate or --trace; drop --batch/--search");
  const std::string plot = Opt<std::string>(app, "--plot").value_or("");
  const bool force = Opt<bool>(app, "--force").value_or(false);
  XPU_ASSIGN_OR_RETURN(const Catalog* cat, ctx.catalog());
  XPU_ASSIGN_OR_RETURN(Model model, cat->ResolveModel(Opt<std::string>(app, "--model").value_or("")));
  XPU_ASSIGN_OR_RETURN(System system, cat->ResolveSystem(Opt<std::string>(app, "--system").value_or("")));
  ServeDeployment d;
  XPU_ASSIGN_OR_RETURN(d.weights, ParseWeightPrecision(Opt<std::string>(app, "--weights").value_or("bf16")));
  XPU_ASSIGN_OR_RETURN(d.kv, ParseKvPrecision(Opt<std::string>(app, "--kv").value_or("bf16")));
  ServeOptions o;
  o.prefill_chunk_tokens = Opt<int64_t>(app, "--prefill-chunk").value_or(8192);
  o.ep_overlap = Opt<bool>(app, "--ep-overlap").value_or(false);
  o.balanced_routing = Opt<bool>(app, "--balanced-routing").value_or(false);
  o.sustained_clocks = !Opt<bool>(app, "--burst-clocks").value_or(false);
  // The simulator advances every running sequence one token per iteration
  // and keeps no prefix cache (doc/serving_simulator.md, Limits).
  for (const char* flag : {"--draft-tokens", "--prefix-cache-hit", "--curve"})
    if (Given(app, flag))
      return Status::Invalid(fmt::format("{} is not modelled by --simulate yet; drop it or use the analytic model", flag));

  sim::SimConfig cfg;
  cfg.scheduler.max_num_seqs = f.max_num_seqs;
  if (f.concurrency) {
    if (*f.concurrency < 1 || *f.concurrency > kMaxRequests)
      return Status::Invalid(fmt::format("--concurrency must be between 1 and {} requests in flight (got {})",
                                         kMaxRequests, *f.concurrency));
    cfg.max_concurrency = *f.concurrency;
  }
  cfg.scheduler.max_num_batched_tokens = o.prefill_chunk_tokens;
  cfg.slo = {Opt<double>(app, "--ttft-slo-ms").value_or(0) / 1e3, Opt<double>(app, "--tpot-slo-ms").value_or(0) / 1e3};
  if (f.dispatch == "least-loaded") {
    cfg.dispatch = sim::DispatchPolicy::kLeastLoaded;
  } else if (f.dispatch == "round-robin") {
    cfg.dispatch = sim::DispatchPolicy::kRoundRobin;
  } else {
    return Status::Invalid(fmt::format("--dispatch takes round-robin or least-loaded (got '{}')", f.dispatch));
  }

  std::optional<ServeEvaluator> ev_p, ev_d;
  std::unique_ptr<sim::ReplicaStepTime> m_p, m_d;
  const std::string disagg = Opt<std::string>(app, "--disagg").value_or("");
  int64_t replicas = 0;
  if (disagg.empty()) {
    const int64_t chips = Opt<int64_t>(app, "--chips").value_or(0);
    if (chips < 1) return Status::Invalid("--chips is required and must be >= 1");
    XPU_ASSIGN_OR_RETURN(ev_p, Deploy(app, *cat, model, system, chips, d, o, ""));
    m_p = std::make_unique<sim::ReplicaStepTime>(*ev_p);
    XPU_RETURN_IF_ERROR(CheckKvRoom(*m_p, *ev_p, model, cfg.scheduler.block_size_tokens, ""));
    cfg.replicas = ev_p->deployment().layout.dp;
    replicas = cfg.replicas;
  } else {
    long long pc = 0, dc = 0;
    char tail = 0;
    if (std::sscanf(disagg.c_str(), "%lld:%lld%c", &pc, &dc, &tail) != 2 || pc < 1 || dc < 1)
      return Status::Invalid(fmt::format("--disagg takes P:D chip counts, e.g. 8:24 (got '{}')", disagg));
    XPU_ASSIGN_OR_RETURN(ev_p, Deploy(app, *cat, model, system, pc, d, o, "prefill"));
    XPU_ASSIGN_OR_RETURN(ev_d, Deploy(app, *cat, model, system, dc, d, o, "decode"));
    m_p = std::make_unique<sim::ReplicaStepTime>(*ev_p);
    m_d = std::make_unique<sim::ReplicaStepTime>(*ev_d);
    XPU_RETURN_IF_ERROR(CheckKvRoom(*m_p, *ev_p, model, cfg.scheduler.block_size_tokens, "prefill pool: "));
    XPU_RETURN_IF_ERROR(CheckKvRoom(*m_d, *ev_d, model, cfg.scheduler.block_size_tokens, "decode pool: "));
    // KvTransferTimeS is affine in tokens: latency + tokens * bytes / bandwidth.
    const double t0 = ev_p->KvTransferTimeS(0), t1 = ev_p->KvTransferTimeS(1e6);
    cfg.disagg = {true, ev_p->deployment().layout.dp, ev_d->deployment().layout.dp, ev_p->KvBytesPerToken(),
                  t1 > t0 ? ev_p->KvBytesPerToken() * 1e6 / (t1 - t0) : 1e30, t0};
    replicas = cfg.disagg.prefill_replicas + cfg.disagg.decode_replicas;
  }
  XPU_ASSIGN_OR_RETURN(Arrivals arrivals, Source(app, f, model));
  sim::SimModels models = disagg.empty() ? sim::SimModels{m_p.get()} : sim::SimModels{nullptr, m_p.get(), m_d.get()};
  Result<sim::SimReport> run = [&] {
    ProgressBar bar(arrivals.count);
    return sim::RunServingSim(cfg, models, *arrivals.source, [&bar](int64_t n) { bar.Update(n); });
  }();
  XPU_ASSIGN_OR_RETURN(sim::SimReport r, std::move(run));
  if (!f.timeline_csv.empty()) {
    std::ostringstream csv;
    sim::WriteTimelineCsv(r, csv);
    XPU_RETURN_IF_ERROR(report::WriteFileAtomic(f.timeline_csv, csv.str(), force));
  }
  std::string plot_note;
  if (!plot.empty()) {
    XPU_ASSIGN_OR_RETURN(plot_note, report::WriteChart(plot, TimelineChart(r, model.name, replicas), force));
  }
  if (ctx.format() == OutputFormat::kJson) {
    nlohmann::json j = sim::SimReportToJson(r);
    j["replicas"] = replicas;
    j["max_concurrency"] = f.concurrency ? nlohmann::json(*f.concurrency) : nlohmann::json(nullptr);
    if (arrivals.seed) j["seed"] = *arrivals.seed;
    if (arrivals.trace_start_s) j["trace_start_s"] = *arrivals.trace_start_s;
    if (!plot.empty()) j["plot"] = plot;
    return j.dump(2) + "\n";
  }
  return Text(r, replicas, arrivals, f.concurrency) + plot_note;
}

}  // namespace

CommandRunner WithSimulate(CLI::App& app, CommandRunner analytic) {
  auto f = std::make_shared<SimFlags>();
  app.add_flag("--simulate", f->simulate, "Request-level simulation (continuous batching, KV admission, preemption)");
  app.add_option("--rate", f->rate, "With --simulate: Poisson arrivals per second (lengths: --input-len/--output-len)");
  app.add_option("--requests", f->requests,
                 "With --simulate --rate: number of requests (default 10000, at most 1000000000)");
  app.add_option("--trace", f->trace, "With --simulate: CSV/JSONL trace of arrival_s,input_tokens,output_tokens");
  app.add_option("--seed", f->seed, "With --simulate --rate: random seed, 0 to 2^64-1 (default 1)");
  app.add_option("--concurrency", f->concurrency,
                 "With --simulate: at most N requests in flight, the next sent as one completes (closed loop; "
                 "without --rate all are due at once)");
  app.add_option("--max-num-seqs", f->max_num_seqs, "With --simulate: running sequences per replica (default 256)");
  app.add_option("--dispatch", f->dispatch, "With --simulate: round-robin|least-loaded (default least-loaded)");
  app.add_option("--timeline-csv", f->timeline_csv, "With --simulate: write utilisation over time to this CSV");
  CLI::App* a = &app;
  return [f, a, analytic = std::move(analytic)](Context& ctx) -> Result<std::string> {
    if (!f->simulate) {
      // A simulation flag without --simulate would be silently ignored.
      for (const char* flag : {"--rate", "--requests", "--trace", "--seed", "--max-num-seqs", "--dispatch",
                               "--timeline-csv", "--concurrency"})
        if (a->count(flag) > 0)
          return Status::Invalid(fmt::format("{} sets up the request-level simulation; add --simulate (or drop {})",
                                             flag, flag));
      return analytic(ctx);
    }
    return Simulate(*a, *f, ctx);
  };
}

}  // namespace xpusim::cli
