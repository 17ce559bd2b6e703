// Export-control screening from public specs (US ECCN 3A090 and later
// updates). This is a mechanical screen, NOT a legal classification.
#ifndef XPUSIM_EXPORT_RULES_H_
#define XPUSIM_EXPORT_RULES_H_

#include <string>
#include <vector>

#include "xpusim/hardware.h"
#include "xpusim/sourced.h"

namespace xpusim {

// One threshold test of a rule, e.g. 3A090.a: TPP >= 4800, or
// TPP >= 1600 and performance density >= 5.92.
struct ExportCriterion {
  std::string id;           // "3A090.a"
  std::string description;
  double min_tpp = 0;                    // criterion applies when TPP >= this
  double min_performance_density = 0;   // and PD >= this (0: not tested)
  double max_performance_density = 0;   // and PD < this (0: not tested)
  double max_tpp = 0;                    // and TPP < this (0: not tested)
  double min_io_bandwidth_gb_s = 0;     // and bidirectional I/O >= this (0: not tested)
  std::string source;
};

// A dated event under a rule (e.g. a licence requirement naming chips).
struct ExportEvent {
  std::string date;                // ISO date
  std::string description;
  std::vector<std::string> chips;  // catalog chip ids (checked to exist)
};

struct ExportRule {
  std::string id;        // "us-2023-10"
  std::string name;
  std::string date;      // ISO date
  std::vector<ExportCriterion> criteria;  // checked in order; first match wins
  std::vector<Source> sources;
  std::vector<ExportEvent> events;
  std::string file;      // data file it was loaded from
};

struct ExportRules {
  std::vector<ExportRule> rules;  // in file order, files in sorted order
  std::string disclaimer;
};

// Total processing performance: max over formats of dense TOPS x bit length
// (TF32 excluded). NaN when no throughput is known.
double ComputeTpp(const Chip& chip);
// TPP / die area (mm^2). NaN when area is unknown.
double ComputePerformanceDensity(const Chip& chip);

struct ExportScreen {
  double tpp = 0;
  double performance_density = 0;  // NaN if unknown
  std::string rule_id;
  std::string classification;   // "3A090.a", "3A090.b", "not captured", "unknown (no die area)"
  std::string explanation;
};

// Screens a chip against one rule (the newest when rule_id is empty).
ExportScreen ScreenChip(const Chip& chip, const ExportRules& rules, const std::string& rule_id = "");

}  // namespace xpusim

#endif  // XPUSIM_EXPORT_RULES_H_
