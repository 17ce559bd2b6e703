// `xpusim serve`: predict serving latency, throughput, memory, energy and
// cost (DESIGN C4). Flags and JSON keys: shared/DESIGN.md; model: doc/serving.md.
//
//   --batch B          sequences in flight across the whole deployment
//   --search           largest-throughput layout + batch meeting the SLOs
//   --disagg P:D       P chips prefill, D chips decode (KV over the fabric);
//                      --prefill-tp/-pp/-ep and --decode-tp/-pp/-ep set each
//                      pool's layout (default --tp/--pp/--ep); with --search
//                      each pool is searched; --disagg auto --search also
//                      picks the split in whole nodes
// Without --tp, tp is the smallest power of two (within the scale-up domain)
// at which the weights leave room for KV; dp = chips / (tp pp).
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/serve_plot.h"
#include "cli/serve_simulate.h"
#include "cli/validators.h"
#include "report/serve_report.h"
#include "xpusim/serve.h"

namespace xpusim::cli {
namespace {

struct ServeFlags {
  std::string model, system;
  int64_t chips = 0;
  std::optional<int> tp, pp, dp, ep;
  std::optional<int> prefill_tp, prefill_pp, prefill_ep, decode_tp, decode_pp, decode_ep;
  std::optional<int64_t> batch;
  bool search = false;
  int64_t input_len = 0, output_len = 0;
  std::string phase = "both", weights = "bf16", kv = "bf16", disagg;
  double tpot_slo_ms = 0, ttft_slo_ms = 0;
  int draft_tokens = 0;
  double draft_acceptance = 0.85, prefix_cache_hit = 0;
  std::optional<int64_t> prefill_chunk;  // unset: 8192, searched with --search and a TTFT SLO
  bool ep_overlap = false, burst_clocks = false, balanced_routing = false;
  double pue = 0, usd_per_kwh = 0.08, amortization_years = 4, utilization = 0;
  std::string plot;  // --plot FILE.svg: throughput-latency curve
  bool curve = false;  // --curve: its points in the output
  bool force = false;
};

void AddFlags(CLI::App& app, ServeFlags& f) {
  app.add_option("--model", f.model, "Model id, HF config.json or model YAML")->required();
  app.add_option("--system", f.system, "System id or system YAML")->required();
  app.add_option("--chips", f.chips, "Number of chips (with --disagg: P + D)");
  app.add_option("--tp", f.tp, "Tensor-parallel degree (default: smallest that holds --batch)");
  app.add_option("--pp", f.pp, "Pipeline-parallel degree (default 1)");
  app.add_option("--dp", f.dp, "Data-parallel replicas (default chips / (tp pp))");
  app.add_option("--ep", f.ep, "Expert-parallel degree over the dp ranks (MoE; divides dp)");
  app.add_option("--batch", f.batch, "Sequences in flight across the whole deployment");
  app.add_flag("--search", f.search,
               "Find the largest-throughput layout and batch meeting the SLOs (--tp/--pp/--dp/--ep given fix "
               "those fields; the rest is searched)");
  app.add_option("--input-len", f.input_len, "Prompt tokens per request (required, except with --simulate --trace)");
  app.add_option("--output-len", f.output_len, "Generated tokens per request (required, except with --simulate --trace)");
  app.add_option("--phase", f.phase, "prefill|decode|both (default both: continuous batching)");
  app.add_option("--tpot-slo-ms", f.tpot_slo_ms,
                 "Time-per-output-token limit: --search meets it; otherwise the answer says whether it is met");
  app.add_option("--ttft-slo-ms", f.ttft_slo_ms,
                 "Time-to-first-token limit: --search meets it; otherwise the answer says whether it is met");
  app.add_option("--weights", f.weights, "Weight format: bf16|fp8|int8|int4|fp4 (default bf16)");
  app.add_option("--kv", f.kv, "KV-cache format: bf16|fp8|int8 (default bf16)");
  app.add_option("--disagg", f.disagg, "Disaggregated serving: P:D chips for prefill and decode, or auto (with --search)");
  app.add_option("--prefill-tp", f.prefill_tp, "With --disagg: the prefill pool's tp (default --tp)");
  app.add_option("--prefill-pp", f.prefill_pp, "With --disagg: the prefill pool's pp (default --pp)");
  app.add_option("--prefill-ep", f.prefill_ep, "With --disagg: the prefill pool's ep (default --ep)");
  app.add_option("--decode-tp", f.decode_tp, "With --disagg: the decode pool's tp (default --tp)");
  app.add_option("--decode-pp", f.decode_pp, "With --disagg: the decode pool's pp (default --pp)");
  app.add_option("--decode-ep", f.decode_ep, "With --disagg: the decode pool's ep (default --ep)");
  app.add_option("--draft-tokens", f.draft_tokens, "MTP / speculative tokens per decode step (default 0)");
  app.add_option("--draft-acceptance", f.draft_acceptance, "Acceptance probability of each draft token (default 0.85)");
  app.add_option("--prefix-cache-hit", f.prefix_cache_hit, "Share of prompt tokens served from a prefix cache");
  app.add_option("--prefill-chunk", f.prefill_chunk,
                 "Prompt tokens per prefill iteration (default 8192; with --search and --ttft-slo-ms, searched "
                 "from 8192 down to 1024 unless given)")
      ->check(CLI::Validator(CLI::Number).description(""))  // an empty value is an error, not "unset"
      ->type_name("TOKENS");
  app.add_flag("--ep-overlap", f.ep_overlap, "Hide EP all-to-all behind the other micro-batch (two-batch overlap)");
  app.add_flag("--balanced-routing", f.balanced_routing,
               "MoE: perfectly balanced expert load (profiles, 'perfect EPLB'); default: real routing with EPLB");
  app.add_flag("--burst-clocks", f.burst_clocks, "Compute at the burst clock, past the power limit (draws more than the TDP)");
  app.add_option("--pue", f.pue, "Facility PUE (default: the system's)")->check(Pue());
  app.add_option("--usd-per-kwh", f.usd_per_kwh, "Electricity price (default 0.08)");
  app.add_option("--amortization-years", f.amortization_years, "Capex amortisation period (default 4)");
  app.add_option("--utilization", f.utilization,
                 "Share of hours serving paid traffic, (0,1] (default 1; capex of idle hours is charged to the tokens served)")
      ->check(Fraction());
  app.add_option("--plot", f.plot, "Write an SVG chart: tokens/s per chip vs time per output token over batch sizes (with --simulate: throughput over time)");
  app.add_flag("--force", f.force, "Overwrite the --plot (and --timeline-csv) file if it exists");
  app.add_flag("--curve", f.curve,
               "Add the throughput-latency curve (the --plot batch sweep) to the output: JSON 'curve', or a table");
}

Status CheckNumber(const char* flag, double v) {
  if (!std::isfinite(v) || v < 0) return Status::Invalid(fmt::format("{} must be a finite number >= 0 (got {})", flag, v));
  return Status::Ok();
}

// Smallest power-of-two tp (within the domain, dividing chips/pp and the
// heads) that holds the workload `w` (its batch fits), else the smallest
// whose weights leave room for KV, else the smallest legal one.
Result<int> DefaultTp(const Catalog& cat, const Model& m, const System& s, int64_t chips, int pp,
                      const ServeDeployment& d, const ServeOptions& o, const ServeWorkload* w) {
  std::optional<int> first_legal, first_with_kv;
  for (int tp = 1; tp <= std::min<int64_t>(chips / pp, s.scaleup_domain_chips); tp *= 2) {
    if ((chips / pp) % tp != 0) continue;
    ServeDeployment x = d;
    x.layout = {tp, pp, static_cast<int>(chips / pp / tp), 1};
    Result<ServeEvaluator> ev = ServeEvaluator::Create(cat, m, s, chips, x, o);
    if (!ev.ok()) continue;
    if (!first_legal) first_legal = tp;
    if (ev->KvCapacityTokens() <= 0) continue;
    if (!first_with_kv) first_with_kv = tp;
    if (w == nullptr) return tp;
    Result<ServeResult> r = ev->Evaluate(*w);
    if (r.ok() && r->fits) return tp;
  }
  if (first_with_kv) return *first_with_kv;
  if (first_legal) return *first_legal;
  return Status::Invalid(fmt::format("no power-of-two --tp fits {} on {} chips; give --tp explicitly", m.id, chips));
}

// `w`: the workload the layout must hold when tp is left to choose (null: any
// room for KV will do, as for a disaggregated pool).
Result<ServeLayout> LayoutFor(const Catalog& cat, const Model& m, const System& s, int64_t chips, const ServeFlags& f,
                              const ServeDeployment& d, const ServeOptions& o, const ServeWorkload* w = nullptr) {
  ServeLayout l;
  l.pp = f.pp.value_or(1);
  if (l.pp < 1) return Status::Invalid(fmt::format("--pp must be >= 1 (got {})", l.pp));
  if (f.tp) {
    l.tp = *f.tp;
  } else {
    XPU_ASSIGN_OR_RETURN(l.tp, DefaultTp(cat, m, s, chips, l.pp, d, o, w));
  }
  if (l.tp < 1) return Status::Invalid(fmt::format("--tp must be >= 1 (got {})", l.tp));
  if (f.dp) {
    l.dp = *f.dp;
  } else {
    const int64_t denom = int64_t{l.tp} * l.pp;
    if (chips % denom != 0)
      return Status::Invalid(fmt::format("tp x pp = {} does not divide {} chips; pick degrees whose product divides it",
                                         denom, chips));
    l.dp = static_cast<int>(chips / denom);
  }
  l.ep = f.ep.value_or(1);
  return l;
}

// The flags of one pool: its own --prefill-*/--decode-* degrees, else the
// shared ones; dp is always the pool's chips / (tp pp).
ServeFlags PoolFlags(const ServeFlags& f, const std::optional<int>& tp, const std::optional<int>& pp,
                     const std::optional<int>& ep) {
  ServeFlags x = f;
  x.dp.reset();
  if (tp) x.tp = tp;
  if (pp) x.pp = pp;
  if (ep) x.ep = ep;
  return x;
}

bool HasPoolFlags(const ServeFlags& f) {
  return f.prefill_tp || f.prefill_pp || f.prefill_ep || f.decode_tp || f.decode_pp || f.decode_ep;
}

Result<std::pair<int64_t, int64_t>> ParseDisagg(const std::string& s) {
  const auto colon = s.find(':');
  auto bad = [&] {
    return Status::Invalid(fmt::format("--disagg takes P:D chip counts, e.g. 8:24, or auto (got '{}')", s));
  };
  if (colon == std::string::npos) return bad();
  try {
    size_t n1 = 0, n2 = 0;
    const long long p = std::stoll(s.substr(0, colon), &n1), d = std::stoll(s.substr(colon + 1), &n2);
    if (n1 != colon || n2 != s.size() - colon - 1 || p < 1 || d < 1) return bad();
    return std::pair<int64_t, int64_t>{p, d};
  } catch (const std::exception&) {
    return bad();
  }
}

}  // namespace

CommandRunner SetupServeCommand(CLI::App& app) {
  auto f = std::make_shared<ServeFlags>();
  AddFlags(app, *f);
  // --simulate (src/cli/serve_simulate.cc) runs the request-level simulator;
  // without it the analytic model below answers.
  return WithSimulate(app, [f](Context& ctx) -> Result<std::string> {
    XPU_RETURN_IF_ERROR(ctx.CheckFormat("serve", {OutputFormat::kTable, OutputFormat::kJson}));
    XPU_ASSIGN_OR_RETURN(const Catalog* cat, ctx.catalog());
    XPU_ASSIGN_OR_RETURN(Model model, cat->ResolveModel(f->model));
    XPU_ASSIGN_OR_RETURN(System system, cat->ResolveSystem(f->system));
    ServeDeployment d;
    XPU_ASSIGN_OR_RETURN(d.weights, ParseWeightPrecision(f->weights));
    XPU_ASSIGN_OR_RETURN(d.kv, ParseKvPrecision(f->kv));
    XPU_ASSIGN_OR_RETURN(ServePhase phase, ParseServePhase(f->phase));
    for (auto [flag, v] : {std::pair{"--tpot-slo-ms", f->tpot_slo_ms}, {"--ttft-slo-ms", f->ttft_slo_ms},
                           {"--draft-acceptance", f->draft_acceptance}, {"--prefix-cache-hit", f->prefix_cache_hit}})
      XPU_RETURN_IF_ERROR(CheckNumber(flag, v));
    if (f->input_len < 1 || f->output_len < 1)
      return Status::Invalid(fmt::format("--input-len and --output-len are required and must be >= 1 (got {} and {})", f->input_len,
                                         f->output_len));
    if (f->search == f->batch.has_value())
      return Status::Invalid(f->search ? "give --batch B or --search, not both" : "give --batch B or --search");
    ServeOptions o;
    o.prefill_chunk_tokens = f->prefill_chunk.value_or(o.prefill_chunk_tokens);
    o.search_prefill_chunk = !f->prefill_chunk.has_value();
    o.ep_overlap = f->ep_overlap;
    o.balanced_routing = f->balanced_routing;
    o.draft_tokens = f->draft_tokens;
    o.draft_acceptance = f->draft_acceptance;
    o.prefix_cache_hit = f->prefix_cache_hit;
    o.sustained_clocks = !f->burst_clocks;
    o.pue = f->pue;
    o.usd_per_kwh = f->usd_per_kwh;
    o.amortization_years = f->amortization_years;
    o.utilization = f->utilization;
    XPU_RETURN_IF_ERROR(CheckServeOptions(o));

    int64_t chips = f->chips;
    std::optional<std::pair<int64_t, int64_t>> pd;
    const bool split_auto = f->disagg == "auto";
    if (f->disagg.empty() && HasPoolFlags(*f))
      return Status::Invalid("--prefill-tp/-pp/-ep and --decode-tp/-pp/-ep set the pools of --disagg; add --disagg P:D");
    if (!f->disagg.empty() && f->search && (HasPoolFlags(*f) || f->tp || f->pp || f->ep || f->dp))
      return Status::Invalid("--disagg with --search searches each pool's layout; drop the layout flags or --search");
    if (!f->disagg.empty() && phase != ServePhase::kBoth)
      return Status::Invalid("--disagg runs both phases on separate pools; drop --phase");
    if (split_auto) {
      if (!f->search) return Status::Invalid("--disagg auto picks the P:D split with --search; add --search or give P:D");
      if (chips < 1) return Status::Invalid("--disagg auto needs --chips N to split");
    } else if (!f->disagg.empty()) {
      XPU_ASSIGN_OR_RETURN(pd, ParseDisagg(f->disagg));
      if (chips == 0) chips = pd->first + pd->second;
      if (chips != pd->first + pd->second)
        return Status::Invalid(fmt::format("--disagg {}:{} uses {} chips but --chips is {}", pd->first, pd->second,
                                           pd->first + pd->second, chips));
    }
    if (chips < 1) return Status::Invalid(fmt::format("--chips is required and must be >= 1 (got {})", chips));
    // Beyond any cluster built or planned, and where layout degrees would
    // overflow: a typo, said plainly rather than as a layout error.
    constexpr int64_t kMaxChips = int64_t{1} << 24;
    if (chips > kMaxChips)
      return Status::Invalid(fmt::format("--chips must be at most {} (got {})", kMaxChips, chips));

    report::ServeContext c{model.id, model.name, system.id, cat->ChipOf(system).id, chips, f->input_len,
                           f->output_len, std::string(PrecisionName(d.weights)), std::string(PrecisionName(d.kv)), f->search, f->tpot_slo_ms / 1e3, f->ttft_slo_ms / 1e3};
    ServeWorkload w{f->batch.value_or(0), f->input_len, f->output_len, phase};
    const ServeSlo slo{f->tpot_slo_ms / 1e3, f->ttft_slo_ms / 1e3};
    ServeResult r;
    std::optional<ServeEvaluator> ev;  // the aggregated deployment evaluated (not when searched)
    if (split_auto) {
      XPU_ASSIGN_OR_RETURN(r, SearchDisaggregatedSplit(*cat, model, system, chips, d, o, w, slo));
    } else if (pd && f->search) {
      XPU_ASSIGN_OR_RETURN(r, SearchDisaggregated(*cat, model, system, pd->first, pd->second, d, o, w, slo));
    } else if (pd) {
      if (f->dp) return Status::Invalid("--dp is each pool's chips / (tp pp) with --disagg; drop --dp");
      ServeDeployment dp = d, dd = d;
      XPU_ASSIGN_OR_RETURN(dp.layout, LayoutFor(*cat, model, system, pd->first,
                                                PoolFlags(*f, f->prefill_tp, f->prefill_pp, f->prefill_ep), d, o));
      XPU_ASSIGN_OR_RETURN(dd.layout, LayoutFor(*cat, model, system, pd->second,
                                                PoolFlags(*f, f->decode_tp, f->decode_pp, f->decode_ep), d, o));
      XPU_ASSIGN_OR_RETURN(r, EvaluateDisaggregated(*cat, model, system, pd->first, dp, pd->second, dd, o, w));
    } else if (f->search) {
      // Layout flags given with --search fix those fields; the rest is searched.
      d.search_fixed = {f->tp.value_or(0), f->pp.value_or(0), f->dp.value_or(0), f->ep.value_or(0)};
      XPU_ASSIGN_OR_RETURN(r, SearchServe(*cat, model, system, chips, d, o, w, slo));
    } else {
      XPU_ASSIGN_OR_RETURN(d.layout, LayoutFor(*cat, model, system, chips, *f, d, o, &w));
      XPU_ASSIGN_OR_RETURN(ev, ServeEvaluator::Create(*cat, model, system, chips, d, o));
      XPU_ASSIGN_OR_RETURN(r, ev->Evaluate(w));
      if (!r.fits) return Status::Precondition(fmt::format("does not fit: {}", r.note));
    }
    // The answer swept over its batch (at its prefill budget, which a search
    // may have picked): --plot draws it, --curve lists it.
    std::string plot_note;
    std::vector<ServeCurvePoint> curve;
    if (!f->plot.empty() || f->curve) {
      o.prefill_chunk_tokens = r.prefill_chunk_tokens;
      const bool disaggregated = split_auto || pd;
      if (!disaggregated && !ev) {  // searched: the layout found
        d.layout = r.layout;
        XPU_ASSIGN_OR_RETURN(ev, ServeEvaluator::Create(*cat, model, system, chips, d, o));
      }
      const ServeSweep sweep =
          disaggregated ? DisaggregatedSweep(*cat, model, system, d, o, w, r) : AggregatedSweep(*ev, w, r);
      if (!f->plot.empty()) {
        XPU_ASSIGN_OR_RETURN(plot_note, WriteServePlot(sweep, r, f->plot, f->force));
      }
      if (f->curve) {
        XPU_ASSIGN_OR_RETURN(curve, SweepServeCurve(sweep, r));
      }
    }
    if (ctx.format() == OutputFormat::kJson) {
      report::Json j = report::ServeResultToJson(c, r);
      if (!f->plot.empty()) j["plot"] = f->plot;
      if (f->curve) j["curve"] = ServeCurveJson(curve, w.phase == ServePhase::kPrefill);
      return j.dump(2) + "\n";
    }
    return report::ServeResultToText(c, r) + (f->curve ? "\n" + ServeCurveText(curve, w.phase == ServePhase::kPrefill) : "") + plot_note;
  });
}

}  // namespace xpusim::cli
