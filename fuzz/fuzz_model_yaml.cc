// libFuzzer target: a model YAML file (src/catalog/model_loader.h), then the
// parameter counts over the accepted model, which must not overflow.
#include "catalog/model_loader.h"
#include "catalog/yaml_fields.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_model_yaml", [&] {
    auto root = xpusim::ParseYamlText(xpusim::fuzz::AsText(data, size), "fuzz.yaml");
    if (!root.ok()) return;
    auto model = xpusim::fuzz::YamlCall([&] { return xpusim::ParseModel(*root, "fuzz.yaml"); });
    if (!model.ok()) return;
    (void)xpusim::TotalParams(*model);
    (void)xpusim::ActiveParams(*model);
  });
  return 0;
}
