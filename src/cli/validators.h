// CLI11 validators for flags whose 0 means "unset" in the library options
// (TrainOptions, ServeOptions): an explicit 0 (or a value outside the range)
// must be refused at parse time, not read as "use the default".
#ifndef XPUSIM_CLI_VALIDATORS_H_
#define XPUSIM_CLI_VALIDATORS_H_

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

namespace xpusim::cli {

// A finite number in (lo, hi] (lo_open) or [lo, hi].
inline CLI::Validator NumberIn(double lo, double hi, bool lo_open, const std::string& range_text) {
  return CLI::Validator(
      [=](std::string& in) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(in.c_str(), &end);
        const bool number = !in.empty() && end != nullptr && *end == '\0' && errno == 0 && std::isfinite(v);
        if (number && (lo_open ? v > lo : v >= lo) && v <= hi) return "";
        return "must be a number in " + range_text + " (got '" + in + "')";
      },
      range_text);
}

inline CLI::Validator PositiveNumber() { return NumberIn(0, HUGE_VAL, true, "(0, inf)"); }
inline CLI::Validator Fraction() { return NumberIn(0, 1, true, "(0, 1]"); }
inline CLI::Validator Pue() { return NumberIn(1, 3, false, "[1, 3]"); }

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_VALIDATORS_H_
