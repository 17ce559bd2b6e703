// Numeric formats that chips advertise peak throughput for.
#ifndef XPUSIM_PRECISION_H_
#define XPUSIM_PRECISION_H_

#include <array>
#include <optional>
#include <string_view>

namespace xpusim {

enum class Precision { kFp32 = 0, kTf32, kBf16, kFp16, kFp8, kInt8, kInt4, kFp4 };
inline constexpr int kNumPrecisions = 8;
inline constexpr std::array<Precision, kNumPrecisions> kAllPrecisions = {
    Precision::kFp32, Precision::kTf32, Precision::kBf16, Precision::kFp16,
    Precision::kFp8,  Precision::kInt8, Precision::kInt4, Precision::kFp4};

// "fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"
std::string_view PrecisionName(Precision p);
std::optional<Precision> ParsePrecision(std::string_view name);
// Bits per element (tf32 counts as 32 for storage; see export screening for TPP).
int PrecisionBits(Precision p);
// Bytes per element when stored (fp4/int4 are 0.5).
double PrecisionBytes(Precision p);

}  // namespace xpusim

#endif  // XPUSIM_PRECISION_H_
