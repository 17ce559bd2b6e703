// Immutable descriptions of accelerators (Chip) and the systems built from
// them (System). Produced only by the catalog loader after validation, so
// model code may assume every required field is present and in range.
//
// Units are in the field names. Bandwidths: memory in TB/s (decimal),
// scale-up in GB/s per chip per direction, scale-out in Gbit/s per chip per
// direction.
#ifndef XPUSIM_HARDWARE_H_
#define XPUSIM_HARDWARE_H_

#include <array>
#include <string>
#include <vector>

#include "xpusim/precision.h"
#include "xpusim/sourced.h"

namespace xpusim {

// product: shipping; roadmap: announced, specs are targets; research: a lab
// prototype (compute-in-memory, photonic), not something one can buy.
enum class Availability { kProduct, kRoadmap, kResearch };
const char* AvailabilityName(Availability a);

struct Chip {
  std::string id;       // lowercase catalog id, e.g. "h100-sxm"
  std::string name;     // display name
  std::string vendor;
  std::string ecosystem;  // e.g. "us", "china" (who makes it; for fleet rules)
  std::vector<std::string> aliases;
  Availability availability = Availability::kProduct;
  int year = 0;
  std::string process_node;
  std::string memory_type;  // "HBM3", "GDDR6", "on-chip SRAM"...
  std::string notes;
  std::string file;  // data file it was loaded from

  // Dense peak throughput (no sparsity) by precision; unknown = NaN.
  std::array<SourcedValue, kNumPrecisions> dense_tflops;
  SourcedValue memory_gb;               // off-chip memory capacity as the datasheet writes it (0 for SRAM-only parts)
  SourcedValue memory_bandwidth_tb_s;   // off-chip memory bandwidth
  SourcedValue sram_mb;                 // on-chip SRAM/L2
  SourcedValue tdp_w;                   // board/module power
  SourcedValue idle_power_w;            // board power at idle
  SourcedValue die_area_mm2;            // all logic dies together
  SourcedValue scaleup_bandwidth_gb_s;  // chip-to-chip (NVLink-class), per direction
  SourcedValue scaleout_bandwidth_gbit_s;  // NIC bandwidth per chip, per direction
  SourcedValue price_usd;               // per chip
  SourcedValue energy_per_op_pj;        // research parts: energy per MAC-equivalent op
  int scaleup_domain_max = 1;           // largest scale-up domain the chip supports

  std::vector<Source> sources;

  const SourcedValue& tflops(Precision p) const { return dense_tflops[static_cast<int>(p)]; }
  // Peak for `p`, falling back to the next wider format the chip supports
  // (fp8 -> bf16 -> fp16), since a chip without fp8 units runs fp8 work at bf16 rate.
  double EffectivePeakTflops(Precision p) const;
  // Off-chip capacity in decimal GB (1e9 bytes), the unit every memory
  // estimate is in. DRAM dies come in binary densities (Gbit = 2^30 bits),
  // so a datasheet's "80 GB" of HBM is 80 GiB = 85.9e9 bytes: nvidia-smi
  // reports 81,920 MiB on an A100 80GB and 81,559 MiB on an H100 80GB (the
  // driver keeps the other 361 MiB), public nvidia-smi logs in
  // NVIDIA/nccl#1264 and modal-labs/modal-client#2797.
  double MemoryCapacityGB() const;
};

// A node or superpod: chips joined by a scale-up fabric, nodes joined by a
// scale-out fabric.
struct System {
  std::string id;
  std::string name;
  std::string vendor;
  std::string chip_id;
  std::vector<std::string> aliases;
  Availability availability = Availability::kProduct;
  std::string scaleup_fabric;   // "NVLink 4 via NVSwitch"
  std::string scaleout_fabric;  // "InfiniBand NDR"
  std::string notes;
  std::string file;

  int chips_per_node = 8;        // chips in one server/tray
  int scaleup_domain_chips = 8;  // chips reachable over the scale-up fabric

  SourcedValue scaleup_bandwidth_gb_s;     // per chip per direction
  SourcedValue scaleout_bandwidth_gbit_s;  // per chip per direction
  SourcedValue scaleup_latency_us;         // one hop, alpha of the alpha-beta model
  SourcedValue scaleout_latency_us;
  SourcedValue scaleup_efficiency;         // achievable / nominal bandwidth (0..1]
  SourcedValue scaleout_efficiency;
  // Achievable / nominal scale-out bandwidth of the low-latency all-to-all
  // kernels of decode (GPU-initiated RDMA, one message per token and expert);
  // unknown = scaleout_efficiency.
  SourcedValue scaleout_decode_alltoall_efficiency;
  // Share of a chip's compute units the high-throughput MoE all-to-all
  // kernels (prefill, training) occupy while they run; unknown = 0.
  SourcedValue alltoall_compute_share;
  SourcedValue node_overhead_power_w;      // CPUs, NICs, switches, fans per node
  SourcedValue pue;                        // facility power usage effectiveness
  SourcedValue node_price_usd;             // per node incl. chips
  SourcedValue storage_bandwidth_gb_s;     // per node, for checkpoints
  SourcedValue nodes_per_rack;

  std::vector<Source> sources;
};

}  // namespace xpusim

#endif  // XPUSIM_HARDWARE_H_
