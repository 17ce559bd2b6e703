// xpusim_calibrate: fits the chip cost curves to a directory of measurements
// and prints fit.yaml (parameters, error summary, per-shape residuals).
//
//   xpusim_calibrate DIR CHIP_ID PEAK_BF16_TFLOPS PEAK_FP8_TFLOPS BANDWIDTH_TB_S [UNITS]
//   e.g. xpusim_calibrate data/calibration/h100-sxm h100-sxm 989.4 1978.9 3.35 132 \
//          > data/calibration/h100-sxm/fit.yaml
// PEAK_FP8_TFLOPS may be 0 when the chip has no fp8 measurements. UNITS
// (SMs/CUs) defaults to peaks.json "sm".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "cost/calibration.h"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: xpusim_calibrate DIR CHIP_ID PEAK_BF16_TFLOPS PEAK_FP8_TFLOPS BANDWIDTH_TB_S [UNITS]\n";
    return 1;
  }
  auto m = xpusim::LoadMeasurements(argv[1]);
  if (!m.ok()) {
    std::cerr << "error: " << m.status().ToString() << "\n";
    return 1;
  }
  const double units = argc > 6 ? std::atof(argv[6]) : 0;
  if (m->units <= 0 && units <= 0) {
    std::cerr << "error: no unit (SM) count in peaks.json; pass UNITS\n";
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto fit = xpusim::FitChipCalibration(*m, argv[2], std::atof(argv[3]), std::atof(argv[4]),
                                        std::atof(argv[5]), units);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!fit.ok()) {
    std::cerr << "error: " << fit.status().ToString() << "\n";
    return 1;
  }
  std::cout << xpusim::ChipCalibrationToYaml(*fit, *m);
  std::cerr << "fitted in " << ms << " ms\n";
  return 0;
}
