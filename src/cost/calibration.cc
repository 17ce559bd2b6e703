#include "cost/calibration.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace xpusim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMemoryOpNames[kNumMemoryOps] = {"generic", "copy",       "elementwise",
                                                       "norm",    "activation", "softmax"};

Result<nlohmann::json> ReadJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return Status::NotFound("cannot open " + file.string());
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Parse(file.string() + ": not valid JSON");
  return j;
}

// Reads a numeric field of a JSON object; error names the file and field.
Status GetNumber(const nlohmann::json& o, const char* key, const fs::path& file, size_t index, double* out) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number())
    return Status::Parse(fmt::format("{}: entry {}: field '{}' missing or not a number", file.string(),
                                     index, key));
  *out = it->get<double>();
  return Status::Ok();
}

Result<std::vector<GemmPoint>> ReadGemm(const fs::path& file) {
  XPU_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(file));
  if (!j.is_array()) return Status::Parse(file.string() + ": expected a JSON array of {M, N, K, s}");
  std::vector<GemmPoint> pts;
  for (size_t i = 0; i < j.size(); ++i) {
    double m, n, k, s, b = 1;
    XPU_RETURN_IF_ERROR(GetNumber(j[i], "M", file, i, &m));
    XPU_RETURN_IF_ERROR(GetNumber(j[i], "N", file, i, &n));
    XPU_RETURN_IF_ERROR(GetNumber(j[i], "K", file, i, &k));
    XPU_RETURN_IF_ERROR(GetNumber(j[i], "s", file, i, &s));
    if (j[i].contains("batch")) XPU_RETURN_IF_ERROR(GetNumber(j[i], "batch", file, i, &b));
    pts.push_back({static_cast<int64_t>(m), static_cast<int64_t>(n), static_cast<int64_t>(k),
                   static_cast<int64_t>(b), s});
  }
  return pts;
}

double YamlNumber(const YAML::Node& n, const char* key, double fallback) {
  const YAML::Node v = n[key];
  return v && v.IsScalar() ? v.as<double>() : fallback;
}

// {value, source, confidence} or a bare number.
Result<SourcedValue> ReadSourced(const YAML::Node& n, const std::string& where) {
  SourcedValue v;
  if (n.IsScalar()) {
    v.value = n.as<double>();
    return v;
  }
  if (!n.IsMap() || !n["value"]) return Status::Parse(where + ": expected {value, source, confidence}");
  v.value = n["value"].as<double>();
  if (n["source"]) v.source = n["source"].as<std::string>();
  const std::string conf = n["confidence"] ? n["confidence"].as<std::string>() : "estimate";
  if (conf == "datasheet") v.confidence = Confidence::kDatasheet;
  else if (conf == "reported") v.confidence = Confidence::kReported;
  else if (conf == "measured") v.confidence = Confidence::kMeasured;
  else if (conf == "estimate") v.confidence = Confidence::kEstimate;
  else return Status::Parse(where + ": confidence '" + conf + "' is not datasheet|reported|measured|estimate");
  if (v.source.empty()) return Status::Parse(where + ": every factor needs a source tag");
  return v;
}

Status ReadFactors(const YAML::Node& n, const std::string& where, ChipFactors* f) {
  static const char* kKnown[] = {"family", "units", "gemm_eff_bf16", "gemm_eff_fp8", "memory_eff",
                                 "launch_ratio", "attention_ratio", "sustained_compute_factor", "note"};
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
      return Status::Parse(where + ": unknown field '" + key + "'");
  }
  if (n["family"]) f->family = n["family"].as<std::string>();
  if (n["units"]) f->units = n["units"].as<double>();
  struct {
    const char* key;
    SourcedValue* dst;
  } fields[] = {{"gemm_eff_bf16", &f->gemm_eff_bf16},
                {"gemm_eff_fp8", &f->gemm_eff_fp8},
                {"memory_eff", &f->memory_eff},
                {"launch_ratio", &f->launch_ratio},
                {"attention_ratio", &f->attention_ratio},
                {"sustained_compute_factor", &f->sustained_compute_factor}};
  for (auto& fld : fields) {
    if (!n[fld.key]) continue;
    XPU_ASSIGN_OR_RETURN(*fld.dst, ReadSourced(n[fld.key], where + "." + fld.key));
    if (!(fld.dst->value > 0) || fld.dst->value > 2.0)
      return Status::Parse(where + "." + fld.key + ": value must be in (0, 2]");
  }
  return Status::Ok();
}

void Inherit(ChipFactors* f, const ChipFactors& from) {
  if (f->units <= 0) f->units = from.units;
  for (auto [dst, src] : {std::pair{&f->gemm_eff_bf16, &from.gemm_eff_bf16},
                          std::pair{&f->gemm_eff_fp8, &from.gemm_eff_fp8},
                          std::pair{&f->memory_eff, &from.memory_eff},
                          std::pair{&f->launch_ratio, &from.launch_ratio},
                          std::pair{&f->attention_ratio, &from.attention_ratio},
                          std::pair{&f->sustained_compute_factor, &from.sustained_compute_factor}})
    if (!dst->known()) *dst = *src;
}

std::string Num(double v) { return fmt::format("{:.6g}", v); }

std::string GemmYaml(const GemmCurve& c, const ErrorStats& s) {
  return fmt::format(
      "{{eff_max: {}, k_half: {}, launch_s: {}, mem_eff: {}, quant_weight: {}, tile_m: {}, tile_n: {}, "
      "split_k_min: {}, points: {}, median_err: {:.4f}, p90_err: {:.4f}, max_err: {:.4f}}}",
      Num(c.eff_max), Num(c.k_half), Num(c.launch_s), Num(c.mem_eff), Num(c.quant_weight), c.tile_m,
      c.tile_n, c.split_k_min, s.count, s.median, s.p90, s.max);
}

std::string AttnYaml(const AttentionCurve& c) {
  return fmt::format("{{eff_max: {}, tail: {}, block_overhead: {}, launch_s: {}, mem_eff: {}, block: {}}}",
                     Num(c.eff_max), Num(c.tail), Num(c.block_overhead), Num(c.launch_s), Num(c.mem_eff),
                     c.block);
}

GemmCurve ReadGemmCurve(const YAML::Node& n) {
  GemmCurve c;
  c.eff_max = YamlNumber(n, "eff_max", c.eff_max);
  c.k_half = YamlNumber(n, "k_half", c.k_half);
  c.launch_s = YamlNumber(n, "launch_s", c.launch_s);
  c.mem_eff = YamlNumber(n, "mem_eff", c.mem_eff);
  c.quant_weight = YamlNumber(n, "quant_weight", c.quant_weight);
  c.tile_m = YamlNumber(n, "tile_m", c.tile_m);
  c.tile_n = YamlNumber(n, "tile_n", c.tile_n);
  c.split_k_min = YamlNumber(n, "split_k_min", c.split_k_min);
  return c;
}

ErrorStats ReadStats(const YAML::Node& n) {
  ErrorStats s;
  s.count = static_cast<int>(YamlNumber(n, "points", 0));
  s.median = YamlNumber(n, "median_err", 0);
  s.p90 = YamlNumber(n, "p90_err", 0);
  s.max = YamlNumber(n, "max_err", 0);
  return s;
}

AttentionCurve ReadAttnCurve(const YAML::Node& n) {
  AttentionCurve c;
  c.eff_max = YamlNumber(n, "eff_max", c.eff_max);
  c.tail = YamlNumber(n, "tail", c.tail);
  c.block_overhead = YamlNumber(n, "block_overhead", c.block_overhead);
  c.launch_s = YamlNumber(n, "launch_s", c.launch_s);
  c.mem_eff = YamlNumber(n, "mem_eff", c.mem_eff);
  c.block = YamlNumber(n, "block", c.block);
  return c;
}

bool ValidGemm(const GemmCurve& c) {
  return c.eff_max > 0 && c.eff_max <= 1 && c.k_half >= 0 && c.launch_s >= 0 && c.mem_eff > 0 &&
         c.mem_eff <= 1 && c.quant_weight >= 0 && c.quant_weight <= 1 && c.tile_m >= 1 && c.tile_n >= 1 &&
         c.split_k_min >= 1;
}
bool ValidAttn(const AttentionCurve& c) {
  return c.eff_max > 0 && c.eff_max <= 1 && c.tail >= 0 && c.block_overhead >= 0 && c.launch_s >= 0 &&
         c.mem_eff > 0 && c.mem_eff <= 1 && c.block >= 1;
}

}  // namespace

const char* MemoryOpName(MemoryOp op) { return kMemoryOpNames[static_cast<int>(op)]; }

MemoryOp MemoryOpFromMeasurement(const std::string& name) {
  if (name == "copy") return MemoryOp::kCopy;
  if (name == "add" || name == "elementwise" || name == "mul" || name == "cast") return MemoryOp::kElementwise;
  if (name == "rmsnorm" || name == "layernorm" || name == "norm") return MemoryOp::kNorm;
  if (name == "silu_mul" || name == "gelu" || name == "activation") return MemoryOp::kActivation;
  if (name == "softmax") return MemoryOp::kSoftmax;
  return MemoryOp::kGeneric;
}

Result<CalibrationMeasurements> LoadMeasurements(const fs::path& dir) {
  CalibrationMeasurements m;
  XPU_ASSIGN_OR_RETURN(m.gemm_bf16, ReadGemm(dir / "gemm.json"));
  if (fs::exists(dir / "gemm_fp8.json")) {
    XPU_ASSIGN_OR_RETURN(m.gemm_fp8, ReadGemm(dir / "gemm_fp8.json"));
  }
  if (fs::exists(dir / "attn.json")) {
    const fs::path file = dir / "attn.json";
    XPU_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(file));
    if (!j.is_array()) return Status::Parse(file.string() + ": expected a JSON array");
    for (size_t i = 0; i < j.size(); ++i) {
      double b, s, h, d, f, fb;
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "B", file, i, &b));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "S", file, i, &s));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "H", file, i, &h));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "D", file, i, &d));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "fwd_s", file, i, &f));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "fwd_bwd_s", file, i, &fb));
      AttentionPoint p;
      p.dims.batch = b, p.dims.heads = h, p.dims.kv_heads = h, p.dims.seq_q = s, p.dims.seq_kv = s;
      p.dims.head_dim_qk = d, p.dims.head_dim_v = d;
      p.dims.causal = j[i].value("causal", true);
      p.fwd_s = f, p.fwd_bwd_s = fb;
      m.attention.push_back(p);
    }
  }
  if (fs::exists(dir / "elementwise.json")) {
    const fs::path file = dir / "elementwise.json";
    XPU_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(file));
    if (!j.is_array()) return Status::Parse(file.string() + ": expected a JSON array");
    for (size_t i = 0; i < j.size(); ++i) {
      MemoryPoint p;
      if (!j[i].contains("op") || !j[i]["op"].is_string())
        return Status::Parse(fmt::format("{}: entry {}: field 'op' missing", file.string(), i));
      p.op = j[i]["op"].get<std::string>();
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "bytes", file, i, &p.bytes));
      XPU_RETURN_IF_ERROR(GetNumber(j[i], "s", file, i, &p.time_s));
      m.memory.push_back(p);
    }
  }
  if (fs::exists(dir / "peaks.json")) {
    XPU_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(dir / "peaks.json"));
    m.units = j.value("sm", 0);
    m.burst_bf16_tflops = j.value("bf16_gemm_8192_tflops", 0.0);
    const double copy_gbs = j.value("copy_GBps_rw", 0.0);
    if (copy_gbs > 0) {
      // A large copy: the asymptotic rate; 2 GiB read + written makes the
      // latency term negligible.
      const double bytes = 2.0 * (1 << 30);
      m.memory.push_back({"copy", bytes, bytes / (copy_gbs * 1e9)});
    }
  }
  if (fs::exists(dir / "power.json")) {
    XPU_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(dir / "power.json"));
    if (j.contains("sustained_bf16_gemm_8192"))
      m.sustained_bf16_tflops = j["sustained_bf16_gemm_8192"].value("achieved_tflops", 0.0);
  }
  return m;
}

Result<ChipCalibration> FitChipCalibration(const CalibrationMeasurements& m, const std::string& chip_id,
                                           double peak_bf16_tflops, double peak_fp8_tflops,
                                           double bandwidth_tb_s, double units) {
  ChipCalibration c;
  c.chip_id = chip_id;
  c.peak_bf16_tflops = peak_bf16_tflops;
  c.peak_fp8_tflops = peak_fp8_tflops;
  c.bandwidth_tb_s = bandwidth_tb_s;
  c.units = m.units > 0 ? m.units : units;
  const double bw = bandwidth_tb_s * 1e12;
  GemmEnv env{peak_bf16_tflops * 1e12, bw, 2, 2, c.units};
  XPU_ASSIGN_OR_RETURN(GemmFit g, FitGemmCurve(m.gemm_bf16, env));
  c.gemm_bf16 = g.curve, c.gemm_bf16_stats = g.stats;
  if (!m.gemm_fp8.empty() && peak_fp8_tflops > 0) {
    GemmEnv env8{peak_fp8_tflops * 1e12, bw, 1, 2, c.units};
    XPU_ASSIGN_OR_RETURN(GemmFit g8, FitGemmCurve(m.gemm_fp8, env8));
    c.gemm_fp8 = g8.curve, c.gemm_fp8_stats = g8.stats, c.has_fp8 = true;
  }
  if (!m.attention.empty()) {
    XPU_ASSIGN_OR_RETURN(AttentionFit a, FitAttentionCurves(m.attention, env.peak_flops, bw, 2, c.units));
    c.attn_fwd = a.forward, c.attn_bwd = a.backward, c.has_attention = true;
    // Not identifiable from prefill-sized points: memory-bound attention
    // (decode over a KV cache) streams like the GEMM operands.
    c.attn_fwd.mem_eff = c.attn_bwd.mem_eff = c.gemm_bf16.mem_eff;
    c.attn_fwd_stats = a.fwd, c.attn_fwd_bwd_stats = a.fwd_bwd;
  }
  c.mem_eff.fill(c.gemm_bf16.mem_eff);
  c.mem_latency_s = c.gemm_bf16.launch_s;
  if (m.memory.size() >= 2) {
    XPU_ASSIGN_OR_RETURN(MemoryFit mf, FitMemoryCurves(m.memory, bw));
    c.mem_latency_s = mf.latency_s;
    c.mem_eff.fill(mf.generic_eff);
    for (const auto& [op, eff] : mf.eff_by_op) {
      const MemoryOp k = MemoryOpFromMeasurement(op);
      if (k != MemoryOp::kGeneric) c.mem_eff[static_cast<int>(k)] = eff;
    }
    c.memory_stats = mf.stats;
  }
  if (m.burst_bf16_tflops > 0 && m.sustained_bf16_tflops > 0) {
    c.sustained_compute_factor = std::min(1.0, m.sustained_bf16_tflops / m.burst_bf16_tflops);
    c.sustained_source = fmt::format("power.json sustained {:.1f} / peaks.json burst {:.1f} TFLOP/s",
                                     m.sustained_bf16_tflops, m.burst_bf16_tflops);
  }
  return c;
}

std::string ChipCalibrationToYaml(const ChipCalibration& c, const CalibrationMeasurements& m) {
  std::ostringstream o;
  o << "# Fitted chip cost curves for " << c.chip_id << ". Generated by xpusim_calibrate from the\n"
    << "# measurements in this directory; do not edit by hand (see doc/calibration.md).\n"
    << "# Errors are |predicted / measured - 1|.\n";
  o << "schema_version: 1\nchip: " << c.chip_id << "\n";
  o << "fitted_with: {peak_bf16_tflops: " << Num(c.peak_bf16_tflops)
    << ", peak_fp8_tflops: " << Num(c.peak_fp8_tflops) << ", bandwidth_tb_s: " << Num(c.bandwidth_tb_s)
    << ", units: " << c.units << "}\n";
  o << "sustained_compute_factor: {value: " << Num(c.sustained_compute_factor) << ", source: \""
    << c.sustained_source << "\"}\n";
  o << "gemm:\n  bf16: " << GemmYaml(c.gemm_bf16, c.gemm_bf16_stats) << "\n";
  if (c.has_fp8) o << "  fp8: " << GemmYaml(c.gemm_fp8, c.gemm_fp8_stats) << "\n";
  if (c.has_attention) {
    o << "attention:\n  forward: " << AttnYaml(c.attn_fwd) << "\n  backward: " << AttnYaml(c.attn_bwd)
      << "\n";
    o << fmt::format("  errors: {{fwd_median: {:.4f}, fwd_p90: {:.4f}, fwd_max: {:.4f}, "
                     "fwd_bwd_median: {:.4f}, fwd_bwd_p90: {:.4f}, fwd_bwd_max: {:.4f}, points: {}}}\n",
                     c.attn_fwd_stats.median, c.attn_fwd_stats.p90, c.attn_fwd_stats.max,
                     c.attn_fwd_bwd_stats.median, c.attn_fwd_bwd_stats.p90, c.attn_fwd_bwd_stats.max,
                     c.attn_fwd_stats.count);
  }
  o << "memory:\n  latency_s: " << Num(c.mem_latency_s) << "\n  eff: {";
  for (int i = 0; i < kNumMemoryOps; ++i)
    o << (i ? ", " : "") << kMemoryOpNames[i] << ": " << Num(c.mem_eff[i]);
  o << "}\n";
  o << fmt::format("  errors: {{median: {:.4f}, p90: {:.4f}, max: {:.4f}, points: {}}}\n", c.memory_stats.median,
                   c.memory_stats.p90, c.memory_stats.max, c.memory_stats.count);

  // Residual tables: every measured point with its prediction. Written as
  // comments so loading fit.yaml (on every Create) stays fast.
  const double bw = c.bandwidth_tb_s * 1e12;
  o << "# residuals (rel_err = predicted / measured - 1):\n";
  auto gemm_table = [&](const char* name, const std::vector<GemmPoint>& pts, const GemmCurve& curve,
                        double peak, double in_bytes) {
    GemmEnv env{peak * 1e12, bw, in_bytes, 2, c.units};
    o << "#   " << name << ": M N K measured_s predicted_s rel_err\n";
    for (const GemmPoint& p : pts) {
      const double t = GemmCurveTimeS(curve, env, p.m, p.n, p.k, p.batch);
      o << fmt::format("#     {:>6} {:>6} {:>6}  {:<10.4g} {:<10.4g} {:+.3f}\n", p.m, p.n, p.k, p.time_s, t,
                       t / p.time_s - 1);
    }
  };
  gemm_table("gemm_bf16", m.gemm_bf16, c.gemm_bf16, c.peak_bf16_tflops, 2);
  if (c.has_fp8) gemm_table("gemm_fp8", m.gemm_fp8, c.gemm_fp8, c.peak_fp8_tflops, 1);
  if (c.has_attention) {
    o << "#   attention: B S H D fwd_s pred_fwd_s rel_err fwd_bwd_s pred_fwd_bwd_s rel_err\n";
    for (const AttentionPoint& p : m.attention) {
      const double fl = AttentionForwardFlops(p.dims), by = AttentionForwardBytes(p.dims, 2);
      const double peak = c.peak_bf16_tflops * 1e12;
      const double tf = AttentionCurveTimeS(c.attn_fwd, fl, by, p.dims, peak, bw, c.units);
      const double tb = AttentionCurveTimeS(c.attn_bwd, kAttentionBackwardFlopsFactor * fl,
                                            kAttentionBackwardBytesFactor * by, p.dims, peak, bw, c.units);
      o << fmt::format("#     {} {:>6} {:>4} {}  {:<10.4g} {:<10.4g} {:+.3f}  {:<10.4g} {:<10.4g} {:+.3f}\n",
                       p.dims.batch, p.dims.seq_q, p.dims.heads, p.dims.head_dim_qk, p.fwd_s, tf,
                       tf / p.fwd_s - 1, p.fwd_bwd_s, tf + tb, (tf + tb) / p.fwd_bwd_s - 1);
    }
  }
  if (!m.memory.empty()) {
    o << "#   memory: op bytes measured_s predicted_s rel_err\n";
    for (const MemoryPoint& p : m.memory) {
      const double eff = c.mem_eff[static_cast<int>(MemoryOpFromMeasurement(p.op))];
      const double t = MemoryCurveTimeS(eff, c.mem_latency_s, p.bytes, bw);
      o << fmt::format("#     {:<9} {:>10.0f}  {:<10.4g} {:<10.4g} {:+.3f}\n", p.op, p.bytes, p.time_s, t,
                       t / p.time_s - 1);
    }
  }
  return o.str();
}

Result<ChipCalibration> LoadChipCalibration(const fs::path& fit_yaml) {
  const std::string where = fit_yaml.string();
  try {
    const YAML::Node root = YAML::LoadFile(fit_yaml.string());
    ChipCalibration c;
    c.chip_id = root["chip"] ? root["chip"].as<std::string>() : "";
    const YAML::Node with = root["fitted_with"];
    if (!with) return Status::Parse(where + ": missing 'fitted_with'");
    c.peak_bf16_tflops = YamlNumber(with, "peak_bf16_tflops", 0);
    c.peak_fp8_tflops = YamlNumber(with, "peak_fp8_tflops", 0);
    c.bandwidth_tb_s = YamlNumber(with, "bandwidth_tb_s", 0);
    c.units = YamlNumber(with, "units", 0);
    if (!(c.peak_bf16_tflops > 0) || !(c.bandwidth_tb_s > 0) || !(c.units >= 1))
      return Status::Parse(where + ": fitted_with needs positive peak_bf16_tflops, bandwidth_tb_s, units");
    if (root["sustained_compute_factor"]) {
      c.sustained_compute_factor = YamlNumber(root["sustained_compute_factor"], "value", 1.0);
      if (root["sustained_compute_factor"]["source"])
        c.sustained_source = root["sustained_compute_factor"]["source"].as<std::string>();
    }
    const YAML::Node gemm = root["gemm"];
    if (!gemm || !gemm["bf16"]) return Status::Parse(where + ": missing gemm.bf16");
    c.gemm_bf16 = ReadGemmCurve(gemm["bf16"]);
    c.gemm_bf16_stats = ReadStats(gemm["bf16"]);
    if (!ValidGemm(c.gemm_bf16)) return Status::Parse(where + ": gemm.bf16 has an out-of-range parameter");
    if (gemm["fp8"]) {
      c.gemm_fp8 = ReadGemmCurve(gemm["fp8"]);
      c.gemm_fp8_stats = ReadStats(gemm["fp8"]);
      c.has_fp8 = true;
      if (!ValidGemm(c.gemm_fp8)) return Status::Parse(where + ": gemm.fp8 has an out-of-range parameter");
    }
    if (const YAML::Node a = root["attention"]) {
      c.attn_fwd = ReadAttnCurve(a["forward"]);
      c.attn_bwd = ReadAttnCurve(a["backward"]);
      c.has_attention = true;
      if (!ValidAttn(c.attn_fwd) || !ValidAttn(c.attn_bwd))
        return Status::Parse(where + ": attention has an out-of-range parameter");
      if (const YAML::Node e = a["errors"]) {
        c.attn_fwd_stats = {static_cast<int>(YamlNumber(e, "points", 0)), YamlNumber(e, "fwd_median", 0),
                            YamlNumber(e, "fwd_p90", 0), YamlNumber(e, "fwd_max", 0)};
        c.attn_fwd_bwd_stats = {c.attn_fwd_stats.count, YamlNumber(e, "fwd_bwd_median", 0),
                                YamlNumber(e, "fwd_bwd_p90", 0), YamlNumber(e, "fwd_bwd_max", 0)};
      }
    }
    c.mem_eff.fill(c.gemm_bf16.mem_eff);
    c.mem_latency_s = c.gemm_bf16.launch_s;
    if (const YAML::Node mem = root["memory"]) {
      c.mem_latency_s = YamlNumber(mem, "latency_s", c.mem_latency_s);
      for (int i = 0; i < kNumMemoryOps; ++i) {
        c.mem_eff[i] = YamlNumber(mem["eff"], kMemoryOpNames[i], c.mem_eff[i]);
        if (!(c.mem_eff[i] > 0) || c.mem_eff[i] > 1)
          return Status::Parse(where + ": memory.eff." + kMemoryOpNames[i] + " must be in (0, 1]");
      }
      if (mem["errors"]) {
        c.memory_stats = {static_cast<int>(YamlNumber(mem["errors"], "points", 0)),
                          YamlNumber(mem["errors"], "median", 0), YamlNumber(mem["errors"], "p90", 0),
                          YamlNumber(mem["errors"], "max", 0)};
      }
    }
    if (!(c.sustained_compute_factor > 0) || c.sustained_compute_factor > 1)
      return Status::Parse(where + ": sustained_compute_factor must be in (0, 1]");
    return c;
  } catch (const YAML::Exception& e) {
    return Status::Parse(where + ": " + e.what());
  }
}

ChipFactors CalibrationDefaults::For(const Chip& chip) const {
  ChipFactors f;
  auto c = chips.find(chip.id);
  if (c != chips.end()) {
    f = c->second;
    f.matched = "chip " + chip.id;
  }
  if (!f.family.empty()) {
    auto fam = families.find(f.family);
    if (fam != families.end()) Inherit(&f, fam->second);
    if (f.matched.empty()) f.matched = "family " + f.family;
  }
  Inherit(&f, generic);
  if (f.matched.empty()) f.matched = "generic";
  return f;
}

Result<CalibrationDefaults> LoadCalibrationDefaults(const fs::path& defaults_yaml) {
  const std::string where = defaults_yaml.string();
  if (!fs::exists(defaults_yaml)) return Status::NotFound("calibration defaults not found: " + where);
  try {
    const YAML::Node root = YAML::LoadFile(defaults_yaml.string());
    CalibrationDefaults d;
    if (!root["reference_chip"]) return Status::Parse(where + ": missing 'reference_chip'");
    d.reference_chip = root["reference_chip"].as<std::string>();
    if (const YAML::Node s = root["sources"]) {
      for (const auto& kv : s) {
        Source src;
        src.tag = kv.first.as<std::string>();
        src.title = kv.second["title"] ? kv.second["title"].as<std::string>() : "";
        src.url = kv.second["url"] ? kv.second["url"].as<std::string>() : "";
        d.sources[src.tag] = src;
      }
    }
    if (!root["generic"]) return Status::Parse(where + ": missing 'generic'");
    XPU_RETURN_IF_ERROR(ReadFactors(root["generic"], where + ": generic", &d.generic));
    if (const YAML::Node fams = root["families"]) {
      for (const auto& kv : fams) {
        ChipFactors f;
        const std::string name = kv.first.as<std::string>();
        XPU_RETURN_IF_ERROR(ReadFactors(kv.second, where + ": families." + name, &f));
        f.family = name;
        d.families[name] = f;
      }
    }
    if (const YAML::Node chips = root["chips"]) {
      for (const auto& kv : chips) {
        ChipFactors f;
        const std::string id = kv.first.as<std::string>();
        XPU_RETURN_IF_ERROR(ReadFactors(kv.second, where + ": chips." + id, &f));
        if (!f.family.empty() && !d.families.count(f.family))
          return Status::Parse(where + ": chips." + id + ": unknown family '" + f.family + "'");
        d.chips[id] = f;
      }
    }
    // Every source tag must resolve.
    auto check = [&](const ChipFactors& f, const std::string& name) -> Status {
      for (const SourcedValue* v : {&f.gemm_eff_bf16, &f.gemm_eff_fp8, &f.memory_eff, &f.launch_ratio,
                                    &f.attention_ratio, &f.sustained_compute_factor})
        if (v->known() && !d.sources.count(v->source))
          return Status::Parse(where + ": " + name + ": source tag '" + v->source + "' is not in 'sources'");
      return Status::Ok();
    };
    XPU_RETURN_IF_ERROR(check(d.generic, "generic"));
    for (const auto& [n, f] : d.families) XPU_RETURN_IF_ERROR(check(f, "families." + n));
    for (const auto& [n, f] : d.chips) XPU_RETURN_IF_ERROR(check(f, "chips." + n));
    Chip ref;
    ref.id = d.reference_chip;
    d.reference = d.For(ref);
    if (!d.reference.gemm_eff_bf16.known() || !d.reference.memory_eff.known())
      return Status::Parse(where + ": the reference chip needs gemm_eff_bf16 and memory_eff");
    return d;
  } catch (const YAML::Exception& e) {
    return Status::Parse(where + ": " + e.what());
  }
}

}  // namespace xpusim
