// Chip/System helpers declared in include/xpusim/hardware.h.
#include "xpusim/hardware.h"

#include <span>
#include <limits>

namespace xpusim {
namespace {

// Formats to try, in order, when a chip has no units for the requested one:
// the same width first, then wider formats (a chip without fp8 units runs
// fp8 work at its bf16/fp16 rate).
using P = Precision;
constexpr P kFp4Chain[] = {P::kFp4, P::kFp8, P::kBf16, P::kFp16, P::kTf32, P::kFp32};
constexpr P kInt4Chain[] = {P::kInt4, P::kInt8, P::kFp8, P::kBf16, P::kFp16};
constexpr P kFp8Chain[] = {P::kFp8, P::kBf16, P::kFp16, P::kTf32, P::kFp32};
constexpr P kInt8Chain[] = {P::kInt8, P::kFp8, P::kBf16, P::kFp16};
constexpr P kBf16Chain[] = {P::kBf16, P::kFp16, P::kTf32, P::kFp32};
constexpr P kFp16Chain[] = {P::kFp16, P::kBf16, P::kTf32, P::kFp32};
constexpr P kTf32Chain[] = {P::kTf32, P::kFp32};
constexpr P kFp32Chain[] = {P::kFp32};

std::span<const Precision> FallbackChain(Precision p) {
  switch (p) {
    case P::kFp4: return kFp4Chain;
    case P::kInt4: return kInt4Chain;
    case P::kFp8: return kFp8Chain;
    case P::kInt8: return kInt8Chain;
    case P::kBf16: return kBf16Chain;
    case P::kFp16: return kFp16Chain;
    case P::kTf32: return kTf32Chain;
    case P::kFp32: return kFp32Chain;
  }
  return kFp32Chain;
}

}  // namespace

const char* AvailabilityName(Availability a) {
  switch (a) {
    case Availability::kProduct: return "product";
    case Availability::kRoadmap: return "roadmap";
    case Availability::kResearch: return "research";
  }
  return "?";
}

double Chip::MemoryCapacityGB() const {
  constexpr double kBytesPerGiB = 1024.0 * 1024.0 * 1024.0;
  return memory_gb.or_else(0) * kBytesPerGiB / 1e9;
}

double Chip::EffectivePeakTflops(Precision p) const {
  for (Precision q : FallbackChain(p)) {
    const SourcedValue& v = tflops(q);
    if (v.known()) return v.value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace xpusim
