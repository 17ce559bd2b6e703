// Number formatting for human-readable output (tables, text) and for
// machine-readable output (CSV cells).
//
// Unknown values are NaN throughout xpusim; every helper here renders NaN as
// kUnknownText (tables) or "" (raw), never as "nan".
#ifndef XPUSIM_REPORT_FORMAT_H_
#define XPUSIM_REPORT_FORMAT_H_

#include <string>

namespace xpusim::report {

// What tables show for an unknown (NaN) value.
inline constexpr const char* kUnknownText = "-";

// Fixed-point with at most `max_decimals` decimals (trailing zeros and a
// trailing point dropped) and, when `thousands`, comma separators:
// FormatNumber(1978.9) == "1,978.9", FormatNumber(80) == "80",
// FormatNumber(3.35) == "3.35".
std::string FormatNumber(double v, int max_decimals = 2, bool thousands = true);

// `sig` significant digits without exponent notation; integer digits are
// never rounded away (FormatSig(15831.2, 3) == "15,831"):
// FormatSig(0.012345, 3) == "0.0123", FormatSig(5.9213, 3) == "5.92".
std::string FormatSig(double v, int sig = 3, bool thousands = true);

// Integer with thousands separators: FormatInt(8030261248) == "8,030,261,248".
std::string FormatInt(long long v);

// Shortest text that reads back as the same double ("989.4", "1e-06");
// "" for NaN. For CSV and other machine-readable output.
std::string FormatRaw(double v);

// Inserts comma separators into the integer part of a plain decimal string
// ("-1234567.5" -> "-1,234,567.5").
std::string AddThousandsSeparators(const std::string& plain);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_FORMAT_H_
