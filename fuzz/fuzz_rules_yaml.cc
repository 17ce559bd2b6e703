// libFuzzer target: an export-rules YAML file (src/catalog/rules_loader.h).
#include "catalog/rules_loader.h"
#include "catalog/yaml_fields.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_rules_yaml", [&] {
    auto root = xpusim::ParseYamlText(xpusim::fuzz::AsText(data, size), "fuzz.yaml");
    if (!root.ok()) return;
    (void)xpusim::fuzz::YamlCall([&] { return xpusim::ParseRules(*root, "fuzz.yaml"); });
  });
  return 0;
}
