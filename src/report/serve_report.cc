#include "report/serve_report.h"

#include <fmt/format.h>

#include "report/format.h"
#include "report/table.h"

namespace xpusim::report {
namespace {

Json StepJson(const StepBreakdown& s) {
  return {{"total", s.total()},       {"gemm", s.gemm},       {"attention", s.attention},
          {"memory_ops", s.memory_ops}, {"tp_comm", s.tp_comm}, {"ep_comm", s.ep_comm},
          {"pp_comm", s.pp_comm}};
}

// A disaggregated result splits the chips into two pools; otherwise both
// pool counts equal the deployment's chips (ServeResult).
bool Disaggregated(const ServeContext& c, const ServeResult& r) { return r.prefill_chips != c.chips; }

Json MemoryJson(const ServeMemoryGb& m) {
  return {{"weights", m.weights}, {"kv_cache", m.kv_cache}, {"activations", m.activations}, {"reserve", m.reserve}};
}

}  // namespace

Json ServeResultToJson(const ServeContext& c, const ServeResult& r) {
  Json j;
  j["model"] = c.model;
  j["system"] = c.system;
  j["chip"] = c.chip;
  j["chips"] = c.chips;
  j["phase"] = ServePhaseName(r.phase);
  j["input_len"] = c.input_len;
  j["output_len"] = c.output_len;
  j["weights"] = c.weights;
  j["kv"] = c.kv;
  j["ttft_s"] = r.ttft_s;
  j["tpot_s"] = r.tpot_s;
  j["tokens_per_s"] = r.tokens_per_s;
  j["tokens_per_s_per_chip"] = r.tokens_per_s_per_chip;
  j["prefill_tokens_per_s_per_chip"] = r.prefill_tokens_per_s_per_chip;
  j["decode_tokens_per_s_per_chip"] = r.decode_tokens_per_s_per_chip;
  j["batch"] = r.batch;
  j["max_batch"] = r.max_batch;
  j["fits"] = r.fits;
  j["memory_per_chip_gb"] = r.memory_per_chip_gb;
  j["memory_capacity_gb"] = r.memory_capacity_gb;
  j["memory_breakdown_gb"] = MemoryJson(r.memory);
  j["kv_cache_gb"] = r.kv_cache_gb;
  j["kv_bytes_per_token"] = r.kv_bytes_per_token;
  j["decode_step_s"] = r.decode_step_s;
  // Unknown (no TDP) is null, not 0.
  auto power = [&](double v) { return r.power_known ? Json(v) : Json(nullptr); };
  j["power_w_per_chip"] = power(r.power_w_per_chip);
  j["cluster_power_kw"] = power(r.cluster_power_kw);
  j["energy_per_token_j"] = power(r.energy_per_token_j);
  j["cost_per_mtok_usd"] = r.cost_known ? Json(r.cost_per_mtok_usd) : Json(nullptr);
  j["parallel"] = {{"tp", r.layout.tp}, {"pp", r.layout.pp}, {"dp", r.layout.dp}, {"ep", r.layout.ep}};
  j["prefill_chunk_tokens"] = r.prefill_chunk_tokens;
  j["prefill_chunk_searched"] = r.prefill_chunk_searched;
  if (Disaggregated(c, r)) {
    const ServeLayout& p = r.prefill_layout;
    j["disagg"] = {{"prefill_chips", r.prefill_chips},
                   {"decode_chips", r.decode_chips},
                   {"prefill_parallel", {{"tp", p.tp}, {"pp", p.pp}, {"dp", p.dp}, {"ep", p.ep}}},
                   {"decode_parallel", {{"tp", r.layout.tp}, {"pp", r.layout.pp}, {"dp", r.layout.dp}, {"ep", r.layout.ep}}}};
    j["disagg"]["prefill_memory_per_chip_gb"] = r.prefill_memory.total();
    j["disagg"]["decode_memory_per_chip_gb"] = r.memory.total();
    j["disagg"]["prefill_memory_breakdown_gb"] = MemoryJson(r.prefill_memory);
    if (r.disagg_splits_tried > 1) j["disagg"]["splits_tried"] = r.disagg_splits_tried;
  }
  j["decode_step_breakdown_s"] = StepJson(r.decode);
  j["prefill_step_breakdown_s"] = StepJson(r.prefill);
  if (c.searched) j["search"] = {{"tpot_slo_s", c.tpot_slo_s}, {"ttft_slo_s", c.ttft_slo_s}};
  // Given SLOs are checked whether or not a search used them (phase prefill
  // has no decode step, so no TPOT to check).
  const bool tpot_checked = c.tpot_slo_s > 0 && r.phase != ServePhase::kPrefill;
  if (tpot_checked || c.ttft_slo_s > 0) {
    Json slo = Json::object();
    if (tpot_checked) slo["tpot_met"] = r.tpot_s <= c.tpot_slo_s;
    if (c.ttft_slo_s > 0) slo["ttft_met"] = r.ttft_s <= c.ttft_slo_s;
    j["slo"] = slo;
  }
  j["note"] = r.note;
  return j;
}

std::string ServeResultToText(const ServeContext& c, const ServeResult& r) {
  std::string out = fmt::format("{} on {} x {} ({}), input {} / output {} tokens, weights {}, KV {}, phase {}\n",
                                c.model_name, FormatInt(c.chips), c.chip, c.system, FormatInt(c.input_len),
                                FormatInt(c.output_len), c.weights, c.kv, ServePhaseName(r.phase));
  const ServeLayout& pl = r.prefill_layout;
  if (Disaggregated(c, r)) {
    out += fmt::format("disaggregated {}:{}: prefill tp{} pp{} dp{} ep{}; decode tp{} pp{} dp{} ep{}, batch {} sequences{}",
                       r.prefill_chips, r.decode_chips, pl.tp, pl.pp, pl.dp, pl.ep, r.layout.tp, r.layout.pp, r.layout.dp,
                       r.layout.ep, FormatInt(r.batch), c.searched ? " (searched)" : "");
  } else {
    out += fmt::format("layout: tp{} pp{} dp{} ep{}, batch {} sequences{}", r.layout.tp, r.layout.pp, r.layout.dp,
                       r.layout.ep, FormatInt(r.batch), c.searched ? " (searched)" : "");
  }
  // Phase prefill runs the whole batch in one pass: no chunk budget applies.
  if (r.phase == ServePhase::kPrefill)
    out += "; the batch's prompts in one pass\n";
  else
    out += fmt::format("; prefill chunk {} tokens{}\n", FormatInt(r.prefill_chunk_tokens),
                       r.prefill_chunk_searched ? " (searched)" : "");
  // Given SLOs are checked whether or not a search used them.
  std::vector<std::string> slos;
  auto check = [&](const char* what, double value_s, double slo_s) {
    if (slo_s > 0)
      slos.push_back(fmt::format("{} {} ms {} {} ms ({})", what, FormatSig(value_s * 1e3, 4), value_s <= slo_s ? "<=" : ">",
                                 FormatSig(slo_s * 1e3, 4), value_s <= slo_s ? "met" : "missed"));
  };
  if (r.phase != ServePhase::kPrefill)
    check("TPOT", r.tpot_s, c.tpot_slo_s);
  else if (c.tpot_slo_s > 0)
    slos.push_back("TPOT not checked (phase prefill runs no decode step)");
  check("TTFT", r.ttft_s, c.ttft_slo_s);
  if (!slos.empty()) out += fmt::format("SLOs: {}\n", fmt::join(slos, "; "));
  out += "\n";
  Table head("Prediction");
  head.AddColumn("metric").AddColumn("value", "", Align::kRight).AddColumn("unit");
  auto row = [&](const std::string& k, const std::string& v, const std::string& u) {
    head.AddRow({Text(k), Cell{v, v, true}, Text(u)});
  };
  // Phase prefill runs no decode step: its answer is the time to first token
  // and prompt tokens per second; energy and cost are per prompt token.
  const bool prefill_only = r.phase == ServePhase::kPrefill;
  const bool disagg = Disaggregated(c, r);
  row("time to first token", FormatSig(r.ttft_s * 1e3, 4), "ms");
  if (prefill_only) {
    row("prompt throughput", FormatNumber(r.prefill_tokens_per_s_per_chip * c.chips, 0), "tokens/s");
    row("prompt throughput per chip", FormatNumber(r.prefill_tokens_per_s_per_chip, 0), "tokens/s");
    row("first tokens", FormatNumber(r.tokens_per_s, 1), "tokens/s (one per prompt)");
  } else {
    row("time per output token", FormatSig(r.tpot_s * 1e3, 4), "ms");
    row("output throughput", FormatNumber(r.tokens_per_s, 0), "tokens/s");
    row("output throughput per chip", FormatNumber(r.tokens_per_s_per_chip, 1), "tokens/s");
    // Disaggregated: each rate is per chip of its own pool.
    row(disagg ? "prefill per prefill-pool chip" : "prefill per chip (prompt tokens)",
        FormatNumber(r.prefill_tokens_per_s_per_chip, 0), disagg ? "prompt tokens/s" : "tokens/s");
    row(disagg ? "decode per decode-pool chip" : "decode per chip", FormatNumber(r.decode_tokens_per_s_per_chip, 1),
        "tokens/s");
  }
  if (disagg) {
    row("memory per chip, prefill pool", FormatNumber(r.prefill_memory.total(), 1) + " / " +
        FormatNumber(r.memory_capacity_gb, 1), "GB");
    row("memory per chip, decode pool", FormatNumber(r.memory.total(), 1) + " / " +
        FormatNumber(r.memory_capacity_gb, 1), r.fits ? "GB (both fit)" : "GB (DOES NOT FIT)");
  } else {
    row("memory per chip", FormatNumber(r.memory_per_chip_gb, 1) + " / " + FormatNumber(r.memory_capacity_gb, 1),
        r.fits ? "GB (fits)" : "GB (DOES NOT FIT)");
  }
  row(disagg ? "KV cache per chip, decode pool" : "KV cache per chip", FormatNumber(r.kv_cache_gb, 2), "GB");
  row(disagg ? "largest batch that fits, decode pool" : "largest batch that fits", FormatInt(r.max_batch),
      "sequences");
  const std::string no_tdp = fmt::format("(no TDP for {} in the catalog)", c.chip);
  row(disagg ? "power per chip (both pools)" : "power per chip", r.power_known ? FormatNumber(r.power_w_per_chip, 0) : "unknown",
      r.power_known ? "W" : "W " + no_tdp);
  row(prefill_only ? "energy per prompt token" : "energy per token",
      r.power_known ? FormatSig(r.energy_per_token_j, 3) : "unknown", r.power_known ? "J" : "J " + no_tdp);
  row(prefill_only ? "cost per million prompt tokens" : "cost per million tokens",
      r.cost_known ? FormatSig(r.cost_per_mtok_usd, 3) : "unknown",
      r.cost_known ? "USD"
      : r.power_known ? fmt::format("USD (no price for {} or {} in the catalog)", c.chip, c.system)
                      : "USD " + no_tdp);
  out += head.Render() + "\n";

  Table steps("Step time per chip");
  steps.AddColumn("part");
  if (!prefill_only) steps.AddColumn("decode step", "ms");
  steps.AddColumn(prefill_only ? "prefill of the batch" : "prefill iteration", "ms");
  const StepBreakdown &d = r.decode, &p = r.prefill;
  for (auto [name, a, b] : {std::tuple{"GEMMs", d.gemm, p.gemm}, {"attention", d.attention, p.attention},
                            {"norms, activations, sampling", d.memory_ops, p.memory_ops},
                            {"TP all-reduce", d.tp_comm, p.tp_comm}, {"EP all-to-all (exposed)", d.ep_comm, p.ep_comm},
                            {"PP send/recv", d.pp_comm, p.pp_comm}, {"total", d.total(), p.total()}}) {
    if (prefill_only)
      steps.AddRow({Text(name), Sig(b * 1e3, 4)});
    else
      steps.AddRow({Text(name), Sig(a * 1e3, 4), Sig(b * 1e3, 4)});
  }
  out += steps.Render();
  if (!r.note.empty()) out += "\nnote: " + r.note + "\n";
  return out;
}

}  // namespace xpusim::report
