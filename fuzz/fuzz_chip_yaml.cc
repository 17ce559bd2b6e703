// libFuzzer target: a chip YAML file (src/catalog/chip_loader.h).
#include "catalog/chip_loader.h"
#include "catalog/yaml_fields.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_chip_yaml", [&] {
    auto root = xpusim::ParseYamlText(xpusim::fuzz::AsText(data, size), "fuzz.yaml");
    if (!root.ok()) return;
    auto chip = xpusim::fuzz::YamlCall([&] { return xpusim::ParseChip(*root, "fuzz.yaml"); });
    if (chip.ok()) (void)chip->EffectivePeakTflops(xpusim::Precision::kFp8);
  });
  return 0;
}
