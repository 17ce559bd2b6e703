// libFuzzer target: a validation case file (src/plan/validation.h).
#include "fuzz/fuzz_common.h"
#include "plan/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_validation", [&] {
    xpusim::ValidationSuite suite;
    (void)xpusim::LoadValidationText(xpusim::fuzz::AsText(data, size), "fuzz.yaml", &suite);
  });
  return 0;
}
