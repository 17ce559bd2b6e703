// Serving validation cases: load (strict) and predict.
//
// A case fixes the deployment the source describes (layout, formats,
// lengths, serving-stack options). With no `batch`, the batch is what an
// offline benchmark reaches: the largest that fits in KV (capped by the
// runtime's max_batch), and, with tpot_slo_ms, the largest meeting it.
#include "plan/validation_serve.h"

#include <algorithm>
#include <cmath>

namespace xpusim {
namespace {

const std::vector<std::pair<std::string, ValidationMetric>> kServeMetrics = {
    {"output_tokens_per_s", ValidationMetric::kServeOutputTps},
    {"output_tokens_per_s_per_chip", ValidationMetric::kServeOutputTpsPerChip},
    {"output_tokens_per_s_per_node", ValidationMetric::kServeOutputTpsPerNode},
    {"input_tokens_per_s_per_chip", ValidationMetric::kServeInputTpsPerChip},
    {"input_tokens_per_s_per_node", ValidationMetric::kServeInputTpsPerNode},
};

const std::vector<std::pair<std::string, ServePhase>> kPhases = {
    {"prefill", ServePhase::kPrefill}, {"decode", ServePhase::kDecode}, {"both", ServePhase::kBoth}};

}  // namespace

Status ParseServeCase(const FieldReader& root, const std::string& id, ServeCase* c) {
  XPU_RETURN_IF_ERROR(root.CheckKeys({"schema_version", "kind", "id", "source", "framework", "model", "system",
                                      "chips", "layout", "weights", "kv", "workload", "options", "measured",
                                      "assumptions"}));
  c->id = id;
  c->file = root.file();
  XPU_RETURN_IF_ERROR(ReadSource(root, &c->source));
  XPU_RETURN_IF_ERROR(root.GetString("framework", Need::kRequired, &c->framework));
  XPU_RETURN_IF_ERROR(root.GetString("model", Need::kRequired, &c->model_id));
  XPU_RETURN_IF_ERROR(root.GetString("system", Need::kRequired, &c->system_id));
  XPU_RETURN_IF_ERROR(root.GetInt("chips", Need::kRequired, int64_t{1}, int64_t{1} << 30, &c->chips));
  constexpr int kMax = 1 << 20;
  std::optional<FieldReader> l;
  XPU_RETURN_IF_ERROR(root.GetMap("layout", Need::kRequired, &l));
  XPU_RETURN_IF_ERROR(l->CheckKeys({"tp", "pp", "dp", "ep"}));
  ServeLayout& lay = c->deployment.layout;
  XPU_RETURN_IF_ERROR(l->GetInt("tp", Need::kRequired, 1, kMax, &lay.tp));
  XPU_RETURN_IF_ERROR(l->GetInt("pp", Need::kRequired, 1, kMax, &lay.pp));
  XPU_RETURN_IF_ERROR(l->GetInt("dp", Need::kRequired, 1, kMax, &lay.dp));
  XPU_RETURN_IF_ERROR(l->GetInt("ep", Need::kOptional, 1, kMax, &lay.ep));
  if (int64_t{lay.tp} * lay.pp * lay.dp != c->chips)
    return root.Error("chips", "must equal layout.tp x layout.pp x layout.dp");
  XPU_RETURN_IF_ERROR(root.GetEnum("weights", Need::kRequired, PrecisionNames(), &c->deployment.weights));
  XPU_RETURN_IF_ERROR(root.GetEnum("kv", Need::kRequired, PrecisionNames(), &c->deployment.kv));

  std::optional<FieldReader> w;
  XPU_RETURN_IF_ERROR(root.GetMap("workload", Need::kRequired, &w));
  XPU_RETURN_IF_ERROR(w->CheckKeys({"input_len", "output_len", "phase", "batch", "max_batch", "tpot_slo_ms"}));
  XPU_RETURN_IF_ERROR(w->GetInt("input_len", Need::kRequired, int64_t{1}, int64_t{1} << 24, &c->workload.input_len));
  XPU_RETURN_IF_ERROR(w->GetInt("output_len", Need::kRequired, int64_t{1}, int64_t{1} << 24, &c->workload.output_len));
  XPU_RETURN_IF_ERROR(w->GetEnum("phase", Need::kRequired, kPhases, &c->workload.phase));
  XPU_RETURN_IF_ERROR(w->GetInt("batch", Need::kOptional, int64_t{1}, int64_t{1} << 24, &c->workload.batch));
  XPU_RETURN_IF_ERROR(w->GetInt("max_batch", Need::kOptional, int64_t{1}, int64_t{1} << 24, &c->max_batch));
  XPU_RETURN_IF_ERROR(w->GetDouble("tpot_slo_ms", Need::kOptional, Range{0, 1e6, true}, &c->tpot_slo_ms));
  if (c->workload.batch > 0 && (c->max_batch > 0 || c->tpot_slo_ms > 0))
    return w->Error("batch", "give batch, or max_batch/tpot_slo_ms to let the batch be found, not both");

  std::optional<FieldReader> o;
  XPU_RETURN_IF_ERROR(root.GetMap("options", Need::kRequired, &o));
  XPU_RETURN_IF_ERROR(o->CheckKeys({"ep_overlap", "draft_tokens", "draft_acceptance", "prefix_cache_hit",
                                    "prefill_chunk_tokens", "balanced_routing"}));
  ServeOptions& so = c->options;
  XPU_RETURN_IF_ERROR(o->GetBool("ep_overlap", Need::kOptional, &so.ep_overlap));
  XPU_RETURN_IF_ERROR(o->GetBool("balanced_routing", Need::kOptional, &so.balanced_routing));
  XPU_RETURN_IF_ERROR(o->GetInt("draft_tokens", Need::kOptional, 0, 8, &so.draft_tokens));
  XPU_RETURN_IF_ERROR(o->GetDouble("draft_acceptance", Need::kOptional, Range{0, 1, false}, &so.draft_acceptance));
  XPU_RETURN_IF_ERROR(o->GetDouble("prefix_cache_hit", Need::kOptional, Range{0, 0.99, false}, &so.prefix_cache_hit));
  XPU_RETURN_IF_ERROR(o->GetInt("prefill_chunk_tokens", Need::kOptional, int64_t{1}, int64_t{1} << 24,
                                &so.prefill_chunk_tokens));

  std::optional<FieldReader> m;
  XPU_RETURN_IF_ERROR(root.GetMap("measured", Need::kRequired, &m));
  XPU_RETURN_IF_ERROR(m->CheckKeys({"metric", "value", "unit", "definition"}));
  XPU_RETURN_IF_ERROR(m->GetEnum("metric", Need::kRequired, kServeMetrics, &c->metric));
  XPU_RETURN_IF_ERROR(m->GetDouble("value", Need::kRequired, Range{0, 1e12, true}, &c->measured));
  XPU_RETURN_IF_ERROR(m->GetString("unit", Need::kRequired, &c->unit));
  XPU_RETURN_IF_ERROR(m->GetString("definition", Need::kRequired, &c->definition));
  return root.GetStringList("assumptions", Need::kRequired, &c->assumptions);
}

Result<double> PredictServeCase(const Catalog& catalog, const ServeCase& c) {
  XPU_ASSIGN_OR_RETURN(const Model* model, catalog.FindModel(c.model_id));
  XPU_ASSIGN_OR_RETURN(const System* system, catalog.FindSystem(c.system_id));
  XPU_ASSIGN_OR_RETURN(ServeEvaluator ev,
                       ServeEvaluator::Create(catalog, *model, *system, c.chips, c.deployment, c.options));
  ServeWorkload w = c.workload;
  const int64_t dp = c.deployment.layout.dp;
  if (w.batch == 0) {
    // Offline benchmark: as many sequences as the KV holds (and the runtime
    // allows), fewer if a TPOT limit binds.
    ServeWorkload probe = w;
    probe.batch = dp;
    XPU_ASSIGN_OR_RETURN(ServeResult first, ev.Evaluate(probe));
    int64_t hi = first.max_batch / dp;
    if (c.max_batch > 0) hi = std::min(hi, c.max_batch / dp);
    if (hi < 1) return Status::Precondition("not even one sequence per replica fits: " + first.note);
    int64_t lo = 1;
    if (c.tpot_slo_ms > 0) {
      auto meets = [&](int64_t local) {
        ServeWorkload x = w;
        x.batch = local * dp;
        Result<ServeResult> r = ev.Evaluate(x);
        return r.ok() && r->tpot_s * 1e3 <= c.tpot_slo_ms;
      };
      if (!meets(1)) return Status::Precondition("no batch meets the TPOT limit");
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo + 1) / 2;
        if (meets(mid)) lo = mid; else hi = mid - 1;
      }
    } else {
      lo = hi;
    }
    w.batch = lo * dp;
  }
  XPU_ASSIGN_OR_RETURN(ServeResult r, ev.Evaluate(w));
  if (!r.fits) return Status::Precondition("the case's batch does not fit: " + r.note);
  const double per_node = std::max(1, system->chips_per_node);
  switch (c.metric) {
    case ValidationMetric::kServeOutputTps: return r.tokens_per_s;
    case ValidationMetric::kServeOutputTpsPerChip: return r.tokens_per_s_per_chip;
    case ValidationMetric::kServeOutputTpsPerNode: return r.tokens_per_s_per_chip * per_node;
    case ValidationMetric::kServeInputTpsPerChip: return r.prefill_tokens_per_s_per_chip;
    case ValidationMetric::kServeInputTpsPerNode: return r.prefill_tokens_per_s_per_chip * per_node;
    default: return Status::Internal("serving case '" + c.id + "' has a non-serving metric");
  }
}

}  // namespace xpusim
