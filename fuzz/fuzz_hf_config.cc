// libFuzzer target: a Hugging Face config.json (src/catalog/hf_config.h),
// then the parameter counts over the accepted model.
#include <string_view>

#include "catalog/hf_config.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_hf_config", [&] {
    auto model = xpusim::ParseHfConfig(std::string_view(reinterpret_cast<const char*>(data), size), "config.json");
    if (!model.ok()) return;
    (void)xpusim::TotalParams(*model);
    (void)xpusim::ActiveParams(*model);
  });
  return 0;
}
