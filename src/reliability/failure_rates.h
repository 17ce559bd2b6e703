// Component failure rates of an accelerator fleet, and their scaling with
// fleet size (DESIGN.md C9).
//
// The rates are data (data/reliability/failure_rates.yaml). Each component
// either cites a count of interruptions observed in a reference run
// (Llama 3 405B pre-training: 16,384 H100 in 2,048 nodes, 54 days, 419
// unexpected interruptions; Meta, "The Llama 3 Herd of Models", 2024,
// Table 5), from which its rate per unit-hour is derived, or states a rate
// per 1,000 unit-days directly. A unit is what the component scales with:
//   chip    per accelerator (GPU die, HBM stack, SRAM, SDC, thermal...)
//   nic     per scale-out NIC (chips x nics_per_chip)
//   node    per server (host CPU/memory, PSU, SSD, host maintenance, and
//           software faults, which grow with the number of processes)
//   switch  per scale-out switch/cable group of a folded Clos fabric
//   job     once per job (dependencies: storage, scheduler)
// Every failure interrupts the whole synchronous job.
//
// Thread-safety: immutable after loading.
#ifndef XPUSIM_RELIABILITY_FAILURE_RATES_H_
#define XPUSIM_RELIABILITY_FAILURE_RATES_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "xpusim/status.h"

namespace xpusim::reliability {

enum class Scope { kChip, kNic, kNode, kSwitch, kJob };
const char* ScopeName(Scope s);

struct ComponentRate {
  std::string id;      // "faulty_gpu"
  std::string name;    // "Faulty GPU"
  std::string group;   // gpu | hbm | network | host | software | power
  Scope scope = Scope::kChip;
  double reference_count = -1;        // interruptions in the reference run (-1: none)
  double per_1000_unit_days = 0;      // the rate, derived or stated
  std::string source;
  bool estimate = false;              // true when not measured
};

// The run the counts were observed on.
struct ReferenceRun {
  std::string name;
  std::string chip_id;       // the chip the rates were measured on
  int64_t chips = 0;
  int chips_per_node = 8;
  double days = 0;
  double interruptions = 0;  // total unexpected interruptions reported
  std::string source;
};

// Checkpoint and restart parameters (see goodput.h).
struct CheckpointParams {
  double bytes_per_param = 14;        // bf16 weights 2 + fp32 master 4 + Adam m 4 + v 4
  double storage_backend_max_gb_s = 0;  // cap on the aggregate write bandwidth (0: none)
  double read_bandwidth_factor = 1;   // restore bandwidth / write bandwidth
  double restart_fixed_s = 0;         // detect + drain + reschedule + relaunch + init
  std::string source;
};

struct FailureRates {
  std::string file;
  ReferenceRun reference;
  int switch_radix = 64;     // ports per scale-out switch
  double nics_per_chip = 1;  // scale-out NICs per accelerator
  CheckpointParams checkpoint;
  std::vector<ComponentRate> components;
};

// Parses and validates YAML text (`origin` names it in messages). Rates from
// `reference_count` are derived here. Never throws.
Result<FailureRates> ParseFailureRates(const std::string& text, const std::string& origin);
Result<FailureRates> LoadFailureRates(const std::filesystem::path& path);

// How many units of each scope a fleet has.
struct FleetUnits {
  double chips = 0, nics = 0, nodes = 0, switches = 0, jobs = 1;
  double of(Scope s) const;
};
// REQUIRES: chips >= 1, chips_per_node >= 1.
FleetUnits CountUnits(const FailureRates& rates, int64_t chips, int chips_per_node);

// Scale-out switches of a folded Clos (fat tree) of `radix`-port switches
// joining `endpoints` NICs: 1 tier when one switch suffices, 2 tiers
// (leaf + spine, 3 e/k) up to k^2/2 endpoints, else 3 tiers (5 e/k).
double ClosSwitches(double endpoints, int radix);

// Expected failures per hour of the whole fleet, in total and per group.
struct FleetFailureRate {
  double per_hour = 0;
  double mtbf_h = 0;  // 1 / per_hour (inf when no failures)
  std::vector<std::pair<std::string, double>> per_group_per_hour;  // in first-seen order
};
FleetFailureRate FleetRate(const FailureRates& rates, const FleetUnits& units);

}  // namespace xpusim::reliability

#endif  // XPUSIM_RELIABILITY_FAILURE_RATES_H_
