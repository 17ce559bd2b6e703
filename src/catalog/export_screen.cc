// Export-control screening (include/xpusim/export_rules.h).
//
// TPP ("total processing performance", US ECCN 3A090) = 2 x MacTOPS x bit
// length, maximised over the formats the chip supports. Data files give
// dense peaks in TFLOPS/TOPS counting 2 operations per MAC, so TPP is simply
// max over formats of TFLOPS x bits. TF32 is excluded (its bit length is
// not 32 in the rule's sense, and it never sets the maximum on real parts).
// Performance density = TPP / total die area in mm^2.
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/suggest.h"
#include "xpusim/export_rules.h"

namespace xpusim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct TppTerm {
  double tpp = kNaN;
  Precision precision = Precision::kFp32;
};

TppTerm MaxTppTerm(const Chip& chip) {
  TppTerm best;
  for (Precision p : kAllPrecisions) {
    if (p == Precision::kTf32) continue;
    const SourcedValue& v = chip.tflops(p);
    if (!v.known()) continue;
    const double tpp = v.value * PrecisionBits(p);
    if (std::isnan(best.tpp) || tpp > best.tpp) best = {tpp, p};
  }
  return best;
}

// "15,832"
std::string Grouped(double v) {
  std::string digits = fmt::format("{:.0f}", v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out += digits[i];
    if (digits[0] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

const ExportRule* PickRule(const ExportRules& rules, const std::string& rule_id) {
  const ExportRule* pick = nullptr;
  for (const auto& r : rules.rules) {
    if (!rule_id.empty()) {
      if (ToLower(r.id) == ToLower(rule_id)) return &r;
    } else if (!pick || r.date >= pick->date) {  // ISO dates compare as strings
      pick = &r;
    }
  }
  return pick;
}

// Outcome of one criterion: met, not met, or undecidable for lack of data.
enum class Test { kMet, kNotMet, kUnknownPd, kUnknownIo };

Test Evaluate(const ExportCriterion& c, double tpp, double pd, double io_gb_s) {
  if (tpp < c.min_tpp) return Test::kNotMet;
  if (c.max_tpp > 0 && tpp >= c.max_tpp) return Test::kNotMet;
  const bool needs_pd = c.min_performance_density > 0 || c.max_performance_density > 0;
  if (needs_pd) {
    if (std::isnan(pd)) return Test::kUnknownPd;
    if (pd < c.min_performance_density) return Test::kNotMet;
    if (c.max_performance_density > 0 && pd >= c.max_performance_density) return Test::kNotMet;
  }
  if (c.min_io_bandwidth_gb_s > 0) {
    if (std::isnan(io_gb_s)) return Test::kUnknownIo;
    if (io_gb_s < c.min_io_bandwidth_gb_s) return Test::kNotMet;
  }
  return Test::kMet;
}

std::string Thresholds(const ExportCriterion& c) {
  std::string s = "TPP >= " + Grouped(c.min_tpp);
  if (c.max_tpp > 0) s += " and TPP < " + Grouped(c.max_tpp);
  if (c.min_performance_density > 0) s += fmt::format(" and PD >= {:g}", c.min_performance_density);
  if (c.max_performance_density > 0) s += fmt::format(" and PD < {:g}", c.max_performance_density);
  if (c.min_io_bandwidth_gb_s > 0) s += fmt::format(" and I/O >= {:g} GB/s", c.min_io_bandwidth_gb_s);
  return s;
}

}  // namespace

double ComputeTpp(const Chip& chip) { return MaxTppTerm(chip).tpp; }

double ComputePerformanceDensity(const Chip& chip) {
  const double tpp = ComputeTpp(chip);
  if (std::isnan(tpp) || !chip.die_area_mm2.known() || chip.die_area_mm2.value <= 0) return kNaN;
  return tpp / chip.die_area_mm2.value;
}

ExportScreen ScreenChip(const Chip& chip, const ExportRules& rules, const std::string& rule_id) {
  ExportScreen out;
  const TppTerm term = MaxTppTerm(chip);
  out.tpp = term.tpp;
  out.performance_density = ComputePerformanceDensity(chip);
  // Bidirectional chip-to-chip bandwidth; data files give it per direction.
  const double io = chip.scaleup_bandwidth_gb_s.known() ? 2 * chip.scaleup_bandwidth_gb_s.value
                                                         : kNaN;
  std::string text = "Screen from public specs, not legal advice.";
  std::string disclaimer = rules.disclaimer;
  while (!disclaimer.empty() && std::isspace(static_cast<unsigned char>(disclaimer.back()))) disclaimer.pop_back();
  if (!disclaimer.empty()) text += " " + disclaimer;
  text += " " + chip.id + ": ";
  if (std::isnan(out.tpp)) {
    out.classification = "unknown (no throughput)";
    out.explanation = text + "no dense peak throughput is known, so TPP cannot be computed.";
    return out;
  }
  text += fmt::format("TPP {} ({:g} T{}OPS {} x {} bits)", Grouped(out.tpp),
                      chip.tflops(term.precision).value,
                      PrecisionName(term.precision)[0] == 'i' ? "" : "FL",
                      PrecisionName(term.precision), PrecisionBits(term.precision));
  text += std::isnan(out.performance_density)
              ? "; performance density unknown (no die area)"
              : fmt::format("; performance density {:.2f} (TPP / {:g} mm^2)",
                            out.performance_density, chip.die_area_mm2.value);
  if (!std::isnan(io)) text += fmt::format("; I/O {:g} GB/s bidirectional", io);
  const ExportRule* rule = PickRule(rules, rule_id);
  if (!rule) {
    std::vector<std::string> ids;
    for (const auto& r : rules.rules) ids.push_back(r.id);
    out.classification = rule_id.empty() ? "unknown (no rules loaded)" : "unknown rule";
    out.explanation = text + ". " +
                      (rule_id.empty() ? std::string("No export rules are loaded.")
                                       : "No rule '" + rule_id + "'" + DidYouMean(rule_id, ids));
    return out;
  }
  out.rule_id = rule->id;
  text += ". Rule " + rule->id + " (" + rule->name + ", " + rule->date + "): ";
  for (const auto& c : rule->criteria) {
    switch (Evaluate(c, out.tpp, out.performance_density, io)) {
      case Test::kMet:
        out.classification = c.id;
        out.explanation = text + "meets " + c.id + " (" + Thresholds(c) + ").";
        return out;
      case Test::kUnknownPd:
        out.classification = "unknown (no die area)";
        out.explanation = text + "TPP is in range of " + c.id + " (" + Thresholds(c) +
                          ") but the die area, hence performance density, is unknown.";
        return out;
      case Test::kUnknownIo:
        out.classification = "unknown (no I/O bandwidth)";
        out.explanation = text + "TPP is in range of " + c.id + " (" + Thresholds(c) +
                          ") but the chip-to-chip bandwidth is unknown.";
        return out;
      case Test::kNotMet:
        break;
    }
  }
  out.classification = "not captured";
  out.explanation = text + "meets none of its criteria.";
  return out;
}

}  // namespace xpusim
