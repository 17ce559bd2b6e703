// A number with its provenance. Every hardware figure in xpusim carries the
// source tag it came from and how much to trust it.
#ifndef XPUSIM_SOURCED_H_
#define XPUSIM_SOURCED_H_

#include <cmath>
#include <limits>
#include <string>

namespace xpusim {

enum class Confidence { kDatasheet, kReported, kEstimate, kMeasured };

const char* ConfidenceName(Confidence c);

// A bibliographic source, keyed by a short tag inside one data file.
struct Source {
  std::string tag;
  std::string title;
  std::string url;
};

struct SourcedValue {
  double value = std::numeric_limits<double>::quiet_NaN();  // NaN = unknown
  std::string source;                                       // tag into the file's sources
  Confidence confidence = Confidence::kEstimate;

  bool known() const { return !std::isnan(value); }
  // The value, or `fallback` when unknown.
  double or_else(double fallback) const { return known() ? value : fallback; }
};

}  // namespace xpusim

#endif  // XPUSIM_SOURCED_H_
