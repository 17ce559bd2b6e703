#include "xpusim/precision.h"

#include "core/suggest.h"
#include "xpusim/sourced.h"

namespace xpusim {

std::string_view PrecisionName(Precision p) {
  switch (p) {
    case Precision::kFp32: return "fp32";
    case Precision::kTf32: return "tf32";
    case Precision::kBf16: return "bf16";
    case Precision::kFp16: return "fp16";
    case Precision::kFp8: return "fp8";
    case Precision::kInt8: return "int8";
    case Precision::kInt4: return "int4";
    case Precision::kFp4: return "fp4";
  }
  return "?";
}

std::optional<Precision> ParsePrecision(std::string_view name) {
  const std::string n = ToLower(name);
  for (Precision p : kAllPrecisions)
    if (PrecisionName(p) == n) return p;
  return std::nullopt;
}

int PrecisionBits(Precision p) {
  switch (p) {
    case Precision::kFp32: case Precision::kTf32: return 32;
    case Precision::kBf16: case Precision::kFp16: return 16;
    case Precision::kFp8: case Precision::kInt8: return 8;
    case Precision::kInt4: case Precision::kFp4: return 4;
  }
  return 0;
}

double PrecisionBytes(Precision p) { return PrecisionBits(p) / 8.0; }

const char* ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kDatasheet: return "datasheet";
    case Confidence::kReported: return "reported";
    case Confidence::kEstimate: return "estimate";
    case Confidence::kMeasured: return "measured";
  }
  return "?";
}

}  // namespace xpusim
