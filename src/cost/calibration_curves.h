// Closed-form efficiency curves of the chip cost model (private to src/cost).
//
// Each curve is a handful of physically meaning parameters; the same code is
// used to predict (ChipCostModel) and to fit (calibration_fit.cc), so a
// fitted curve reproduces its residual table exactly.
//
// Speed: every function here is a few dozen flops, no allocation, no
// branches on data structures; safe to call from any thread.
#ifndef XPUSIM_COST_CALIBRATION_CURVES_H_
#define XPUSIM_COST_CALIBRATION_CURVES_H_

#include <algorithm>
#include <cmath>

namespace xpusim {

// GEMM C[m,n] = A[m,k] B[k,n] (x batch) on a chip with `units` parallel
// matrix engines (SMs, CUs, AI cores).
//   compute efficiency = eff_max
//                      * pad      (tile quantisation: m x n padded to whole tiles)
//                      * quant    (wave quantisation: tiles spread over units in
//                                  whole waves; split-K fills the machine when
//                                  there are fewer output tiles than units;
//                                  `quant_weight` is the share of the tail wave
//                                  that is really lost, <1 because stream-K /
//                                  concurrent tiles hide some of it)
//                      * ramp     (per-tile pipeline fill: k' / (k' + k_half))
//   time = max(flops / (peak * eff), bytes / (bw * mem_eff)) + launch_s
// See NVIDIA, "Matrix Multiplication Background User's Guide", ch. 3
// (tile and wave quantisation).
struct GemmCurve {
  double eff_max = 0.78;     // fraction of dense peak reached by an ideal large GEMM
  double k_half = 256;       // K (per split) at which the per-tile ramp reaches 1/2
  double launch_s = 5e-6;    // fixed launch + latency per call
  double mem_eff = 0.9;      // fraction of memory bandwidth reached when streaming operands
  double quant_weight = 1;   // 0..1: how much of the wave-quantisation loss is real
  double tile_m = 128;       // output tile rows
  double tile_n = 256;       // output tile columns
  double split_k_min = 512;  // smallest K slice split-K will use
};

struct GemmEnv {
  double peak_flops = 0;  // FLOP/s at this precision
  double bw_bytes_s = 0;  // bytes/s of off-chip memory
  double in_bytes = 2;    // bytes per A/B element
  double out_bytes = 2;   // bytes per C element
  double units = 132;     // parallel engines for wave quantisation
};

inline double GemmComputeEfficiency(const GemmCurve& c, double m, double n, double k,
                                    double batch, double units) {
  const double tm = std::ceil(m / c.tile_m), tn = std::ceil(n / c.tile_n);
  const double pad = (m * n) / (tm * c.tile_m * tn * c.tile_n);
  const double tiles_mn = tm * tn * batch;
  double split = 1;
  if (tiles_mn < units) {
    split = std::min(std::floor(units / tiles_mn), std::max(1.0, std::floor(k / c.split_k_min)));
  }
  const double tiles = tiles_mn * split;
  const double waves = std::ceil(tiles / units);
  const double q = tiles / (waves * units);
  const double quant = 1.0 - c.quant_weight * (1.0 - q);
  const double kk = k / split;
  const double ramp = kk / (kk + c.k_half);
  return c.eff_max * pad * quant * ramp;
}

inline double GemmBytes(const GemmEnv& e, double m, double n, double k, double batch) {
  return batch * ((m * k + k * n) * e.in_bytes + m * n * e.out_bytes);
}

// Time of one (batched) GEMM call. REQUIRES: m, n, k, batch >= 1.
inline double GemmCurveTimeS(const GemmCurve& c, const GemmEnv& e, double m, double n, double k,
                             double batch) {
  const double flops = 2.0 * m * n * k * batch;
  const double eff = GemmComputeEfficiency(c, m, n, k, batch, e.units);
  const double t_compute = flops / (e.peak_flops * eff);
  const double t_memory = GemmBytes(e, m, n, k, batch) / (e.bw_bytes_s * c.mem_eff);
  return std::max(t_compute, t_memory) + c.launch_s;
}

// Fused (flash) attention, one direction (forward, or backward alone).
// Work is split into query blocks of `block` rows per (batch, head); a query
// block costs (kv blocks it attends to + block_overhead) units of work. With
// a causal mask blocks differ in length, so the last wave has a tail: the
// makespan is total/units + tail * longest block (greedy scheduling bound).
//   eff = eff_max * T_avg / (T_avg + tail * longest),  T_avg = total / units
//   time = max(flops / (peak * eff), bytes / (bw * mem_eff)) + launch_s
struct AttentionCurve {
  double eff_max = 0.7;
  double tail = 1.0;            // 0..2: weight of the longest block in the makespan
  double block_overhead = 2.0;  // per query block, in kv-block units (load Q, write O)
  double launch_s = 10e-6;
  double mem_eff = 0.8;
  double block = 128;           // query and key/value block size
};

struct AttentionDims {
  double batch = 1, heads = 1, kv_heads = 1, seq_q = 0, seq_kv = 0;
  double head_dim_qk = 128, head_dim_v = 128;
  bool causal = true;
};

// Forward FLOPs: QK^T and PV over the (causally masked) query/key pairs.
inline double AttentionPairs(const AttentionDims& d) {
  if (!d.causal) return d.seq_q * d.seq_kv;
  // Queries are the last seq_q positions of seq_kv keys; query j sees j+1+offset keys.
  const double q = std::min(d.seq_q, d.seq_kv);
  return q * (d.seq_kv - q) + q * (q + 1) / 2 + (d.seq_q - q) * d.seq_kv;
}
inline double AttentionForwardFlops(const AttentionDims& d) {
  return 2.0 * d.batch * d.heads * (d.head_dim_qk + d.head_dim_v) * AttentionPairs(d);
}
// Bytes the forward pass moves: read Q, K, V, write O.
inline double AttentionForwardBytes(const AttentionDims& d, double elem_bytes) {
  const double q_side = d.batch * d.heads * d.seq_q * (d.head_dim_qk + d.head_dim_v);
  const double kv_side = d.batch * d.kv_heads * d.seq_kv * (d.head_dim_qk + d.head_dim_v);
  return (q_side + kv_side) * elem_bytes;
}
// Backward (flash convention): 2.5x the forward FLOPs (dQ, dK, dV, and the
// recomputed scores); reads Q, K, V, O, dO, writes dQ, dK, dV: ~2x forward bytes.
inline constexpr double kAttentionBackwardFlopsFactor = 2.5;
inline constexpr double kAttentionBackwardBytesFactor = 2.0;

inline double AttentionComputeEfficiency(const AttentionCurve& c, const AttentionDims& d,
                                         double units) {
  const double nq = std::max(1.0, std::ceil(d.seq_q / c.block));
  const double nkv = std::max(1.0, std::ceil(d.seq_kv / c.block));
  double sum_units;
  if (d.causal) {
    // Query block i (1..nq), aligned to the end of the keys, sees nkv-nq+i blocks.
    const double q = std::min(nq, nkv);
    sum_units = q * (nkv - q) + q * (q + 1) / 2 + (nq - q) * nkv;
  } else {
    sum_units = nq * nkv;
  }
  const double total = d.batch * d.heads * (sum_units + nq * c.block_overhead);
  const double longest = nkv + c.block_overhead;
  const double t_avg = total / units;
  return c.eff_max * t_avg / (t_avg + c.tail * longest);
}

inline double AttentionCurveTimeS(const AttentionCurve& c, double flops, double bytes,
                                  const AttentionDims& d, double peak_flops, double bw_bytes_s,
                                  double units) {
  const double eff = AttentionComputeEfficiency(c, d, units);
  const double t_compute = flops / (peak_flops * eff);
  const double t_memory = bytes / (bw_bytes_s * c.mem_eff);
  return std::max(t_compute, t_memory) + c.launch_s;
}

// A memory-bound kernel: time = bytes / (bw * eff) + latency.
inline double MemoryCurveTimeS(double eff, double latency_s, double bytes, double bw_bytes_s) {
  return bytes / (bw_bytes_s * eff) + latency_s;
}

}  // namespace xpusim

#endif  // XPUSIM_COST_CALIBRATION_CURVES_H_
