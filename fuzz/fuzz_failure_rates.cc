// libFuzzer target: the reliability failure-rate file
// (src/reliability/failure_rates.h), then the fleet scaling and goodput
// over whatever it accepts.
#include "fuzz/fuzz_common.h"
#include "reliability/failure_rates.h"
#include "reliability/goodput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_failure_rates", [&] {
    namespace rel = xpusim::reliability;
    auto fr = rel::ParseFailureRates(xpusim::fuzz::AsText(data, size), "fuzz.yaml");
    if (!fr.ok()) return;
    const auto rate = rel::FleetRate(*fr, rel::CountUnits(*fr, 16384, 8));
    (void)rel::Evaluate({.work_s = 86400.0 * 30, .mtbf_s = rate.mtbf_h * 3600, .checkpoint_s = 10,
                         .restart_s = fr->checkpoint.restart_fixed_s});
  });
  return 0;
}
