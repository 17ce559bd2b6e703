// Calibration data of the chip cost model: measurements, fitted parameters
// (fit.yaml) and per-chip default factors (defaults.yaml).
//
// Layout of a calibration directory (data/calibration/ by default):
//   defaults.yaml             reference chip, per-family/per-chip factors, sources
//   <chip-id>/gemm.json       measurements (see doc/calibration.md for the format)
//   <chip-id>/gemm_fp8.json, attn.json, elementwise.json, peaks.json, power.json
//   <chip-id>/fit.yaml        fitted curves + residual table (xpusim_calibrate)
// Everything here runs once at load time; the hot path only sees the plain
// structs of calibration_curves.h.
#ifndef XPUSIM_COST_CALIBRATION_H_
#define XPUSIM_COST_CALIBRATION_H_

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cost/calibration_curves.h"
#include "cost/calibration_fit.h"
#include "cost/chip_cost.h"
#include "xpusim/hardware.h"
#include "xpusim/sourced.h"
#include "xpusim/status.h"

namespace xpusim {

inline constexpr int kNumMemoryOps = 6;
// "generic", "copy", "elementwise", "norm", "activation", "softmax"
const char* MemoryOpName(MemoryOp op);
// Maps measurement op names ("add", "rmsnorm", "silu_mul", "softmax", "copy")
// and the names above to a MemoryOp; kGeneric when unknown.
MemoryOp MemoryOpFromMeasurement(const std::string& name);

// Raw measurements of one chip, as read from <dir>/*.json.
struct CalibrationMeasurements {
  std::vector<GemmPoint> gemm_bf16;  // gemm.json (required)
  std::vector<GemmPoint> gemm_fp8;   // gemm_fp8.json (optional)
  std::vector<AttentionPoint> attention;  // attn.json (optional)
  std::vector<MemoryPoint> memory;        // elementwise.json + peaks.json copy (optional)
  int units = 0;                          // peaks.json "sm" (optional)
  double burst_bf16_tflops = 0;           // peaks.json bf16_gemm_8192_tflops
  double sustained_bf16_tflops = 0;       // power.json sustained_bf16_gemm_8192.achieved_tflops
};
Result<CalibrationMeasurements> LoadMeasurements(const std::filesystem::path& dir);

// Fitted parameters of one measured chip (the content of fit.yaml).
struct ChipCalibration {
  std::string chip_id;
  // What the fit assumed; efficiencies are relative to these.
  double peak_bf16_tflops = 0, peak_fp8_tflops = 0, bandwidth_tb_s = 0;
  double units = 0;
  GemmCurve gemm_bf16, gemm_fp8;
  bool has_fp8 = false;
  AttentionCurve attn_fwd, attn_bwd;
  bool has_attention = false;
  double mem_latency_s = 5e-6;
  std::array<double, kNumMemoryOps> mem_eff{};  // by MemoryOp
  double sustained_compute_factor = 1.0;
  std::string sustained_source;
  ErrorStats gemm_bf16_stats, gemm_fp8_stats, attn_fwd_stats, attn_fwd_bwd_stats, memory_stats;
};

// Fits every curve the measurements allow. `peak_*` and `bandwidth_tb_s` are
// the chip's datasheet numbers; units = measurements.units or `units`.
Result<ChipCalibration> FitChipCalibration(const CalibrationMeasurements& m, const std::string& chip_id,
                                           double peak_bf16_tflops, double peak_fp8_tflops,
                                           double bandwidth_tb_s, double units);
// fit.yaml text: parameters, error summary and the per-shape residual table.
std::string ChipCalibrationToYaml(const ChipCalibration& c, const CalibrationMeasurements& m);
Result<ChipCalibration> LoadChipCalibration(const std::filesystem::path& fit_yaml);

// Factors for a chip without its own measurements (defaults.yaml).
struct ChipFactors {
  std::string matched;        // "chip a100-sxm-80gb", "family nvidia-ampere", "generic"
  std::string family;
  double units = 0;           // SMs / CUs / cores for wave quantisation
  SourcedValue gemm_eff_bf16;  // large-GEMM efficiency (fraction of dense peak)
  SourcedValue gemm_eff_fp8;   // same for fp8 (unknown -> bf16 ratio is used)
  SourcedValue memory_eff;     // achievable / nominal memory bandwidth
  SourcedValue launch_ratio;   // launch overhead relative to the reference chip
  SourcedValue attention_ratio;  // flash-attention efficiency relative to the reference
  SourcedValue sustained_compute_factor;  // power-limited sustained / burst
};

struct CalibrationDefaults {
  std::string reference_chip;  // chip whose fitted curves are scaled
  ChipFactors reference;       // its own factors (denominators of the ratios)
  std::map<std::string, ChipFactors> families, chips;
  ChipFactors generic;
  std::map<std::string, Source> sources;
  // Factors for `chip`: the chip entry, else its family's, else generic;
  // missing fields are inherited chip -> family -> generic.
  ChipFactors For(const Chip& chip) const;
};
Result<CalibrationDefaults> LoadCalibrationDefaults(const std::filesystem::path& defaults_yaml);

}  // namespace xpusim

#endif  // XPUSIM_COST_CALIBRATION_H_
