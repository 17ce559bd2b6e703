// libFuzzer target: a system YAML file (src/catalog/system_loader.h), parsed
// and linked against the real chip catalog (loaded once from data/chips).
#include <filesystem>
#include <vector>

#include "catalog/chip_loader.h"
#include "catalog/system_loader.h"
#include "catalog/yaml_fields.h"
#include "fuzz/fuzz_common.h"

namespace {

std::vector<xpusim::Chip>& Chips() {
  static std::vector<xpusim::Chip> chips = [] {
    std::vector<xpusim::Chip> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(XPUSIM_SOURCE_DATA_DIR "/chips", ec)) {
      auto c = xpusim::LoadChipFile(e.path());
      if (c.ok()) out.push_back(std::move(c).value());
    }
    return out;
  }();
  return chips;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xpusim::fuzz::MustNotThrow("fuzz_system_yaml", [&] {
    const auto& chips = Chips();
    auto root = xpusim::ParseYamlText(xpusim::fuzz::AsText(data, size), "fuzz.yaml");
    if (!root.ok()) return;
    auto sys = xpusim::fuzz::YamlCall([&] { return xpusim::ParseSystem(*root, "fuzz.yaml"); });
    if (!sys.ok()) return;
    xpusim::System s = std::move(sys).value();
    (void)xpusim::fuzz::YamlCall([&] { return xpusim::LinkSystem(chips, *root, &s); });
  });
  return 0;
}
