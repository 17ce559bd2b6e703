#include "catalog/chip_loader.h"

#include "catalog/doc_fields.h"
#include "catalog/yaml_fields.h"

namespace xpusim {
namespace {

// Spec keys for dense peak throughput, by precision. Integer formats are
// "tops" (tera-operations), float formats "tflops".
struct ThroughputKey {
  const char* key;
  Precision precision;
};
constexpr ThroughputKey kThroughputKeys[] = {
    {"tflops_fp32", Precision::kFp32}, {"tflops_tf32", Precision::kTf32},
    {"tflops_bf16", Precision::kBf16}, {"tflops_fp16", Precision::kFp16},
    {"tflops_fp8", Precision::kFp8},   {"tops_int8", Precision::kInt8},
    {"tops_int4", Precision::kInt4},   {"tflops_fp4", Precision::kFp4},
};

// Plausibility bounds: anything beyond these is a unit or typing mistake for
// any chip, including wafer-scale and research parts.
constexpr Range kTflops{0, 1e5};
constexpr Range kMemoryGb{0, 1e4};          // > 0 unless SRAM-only (see below)
constexpr Range kMemoryGbZeroOk{0, 1e4, false};
constexpr Range kMemoryTbS{0, 100};
constexpr Range kMemoryTbSZeroOk{0, 100, false};
constexpr Range kSramMb{0, 1e5};            // Cerebras WSE-3: 44,000 MB
constexpr Range kPowerW{0, 1e5};
constexpr Range kDieAreaMm2{0, 1e5};        // a full wafer is ~46,000 mm^2
constexpr Range kScaleupGbS{0, 1e5};
constexpr Range kScaleoutGbitS{0, 1e5};
constexpr Range kPriceUsd{0, 1e8};
constexpr Range kEnergyPj{0, 1e4};

const std::vector<std::string> kTopKeys = {
    "schema_version", "kind",    "id",   "name",         "vendor",      "ecosystem",
    "aliases",        "availability", "year", "process_node", "memory_type",
    "scaleup_domain_max", "sources", "specs", "notes"};

std::vector<std::string> SpecKeys() {
  std::vector<std::string> keys;
  for (const auto& t : kThroughputKeys) keys.push_back(t.key);
  for (const char* k : {"memory_gb", "memory_bandwidth_tb_s", "sram_mb", "tdp_w", "idle_power_w",
                        "die_area_mm2", "scaleup_bandwidth_gb_s", "scaleout_bandwidth_gbit_s",
                        "price_usd", "energy_per_op_pj"})
    keys.push_back(k);
  return keys;
}

Status ReadSpecs(const FieldReader& root, Chip* c) {
  std::optional<FieldReader> specs;
  XPU_RETURN_IF_ERROR(root.GetMap("specs", Need::kRequired, &specs));
  XPU_RETURN_IF_ERROR(specs->CheckKeys(SpecKeys()));
  const auto& src = c->sources;
  bool any_throughput = false;
  for (const auto& t : kThroughputKeys) {
    SourcedValue* out = &c->dense_tflops[static_cast<int>(t.precision)];
    XPU_RETURN_IF_ERROR(ReadSourced(*specs, t.key, Need::kOptional, kTflops, src, out));
    any_throughput = any_throughput || out->known();
  }
  if (!any_throughput) {
    return specs->Missing("tflops_bf16",
                          ": a chip needs at least one dense peak (tflops_fp32, tflops_tf32, "
                          "tflops_bf16, tflops_fp16, tflops_fp8, tops_int8, tops_int4 or tflops_fp4)");
  }
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "sram_mb", Need::kOptional, kSramMb, src, &c->sram_mb));
  // Off-chip memory is required for products and roadmap parts; 0 GB (and
  // 0 TB/s) is accepted only for SRAM-only parts that state their SRAM.
  const bool research = c->availability == Availability::kResearch;
  const Need mem_need = research ? Need::kOptional : Need::kRequired;
  const bool sram_only_ok = c->sram_mb.known();
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "memory_gb", mem_need,
                                  sram_only_ok ? kMemoryGbZeroOk : kMemoryGb, src, &c->memory_gb));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "memory_bandwidth_tb_s", mem_need,
                                  sram_only_ok ? kMemoryTbSZeroOk : kMemoryTbS, src,
                                  &c->memory_bandwidth_tb_s));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "tdp_w", Need::kOptional, kPowerW, src, &c->tdp_w));
  XPU_RETURN_IF_ERROR(
      ReadSourced(*specs, "idle_power_w", Need::kOptional, kPowerW, src, &c->idle_power_w));
  if (c->idle_power_w.known() && c->tdp_w.known() && c->idle_power_w.value > c->tdp_w.value) {
    return specs->Error("idle_power_w", "idle power (" + FormatNumber(c->idle_power_w.value) +
                                            " W) exceeds tdp_w (" + FormatNumber(c->tdp_w.value) +
                                            " W)");
  }
  XPU_RETURN_IF_ERROR(
      ReadSourced(*specs, "die_area_mm2", Need::kOptional, kDieAreaMm2, src, &c->die_area_mm2));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleup_bandwidth_gb_s", Need::kOptional, kScaleupGbS,
                                  src, &c->scaleup_bandwidth_gb_s));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleout_bandwidth_gbit_s", Need::kOptional,
                                  kScaleoutGbitS, src, &c->scaleout_bandwidth_gbit_s));
  XPU_RETURN_IF_ERROR(
      ReadSourced(*specs, "price_usd", Need::kOptional, kPriceUsd, src, &c->price_usd));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "energy_per_op_pj", Need::kOptional, kEnergyPj, src,
                                  &c->energy_per_op_pj));
  return Status::Ok();
}

}  // namespace

Result<Chip> ParseChip(const YAML::Node& node, const std::string& file) {
  XPU_ASSIGN_OR_RETURN(FieldReader root, FieldReader::Map(node, file, ""));
  XPU_RETURN_IF_ERROR(root.CheckKeys(kTopKeys));
  XPU_RETURN_IF_ERROR(CheckHeader(root, "chip"));
  Chip c;
  c.file = file;
  XPU_RETURN_IF_ERROR(ReadId(root, &c.id));
  XPU_RETURN_IF_ERROR(root.GetString("name", Need::kRequired, &c.name));
  XPU_RETURN_IF_ERROR(root.GetString("vendor", Need::kRequired, &c.vendor));
  XPU_RETURN_IF_ERROR(root.GetString("ecosystem", Need::kOptional, &c.ecosystem));
  XPU_RETURN_IF_ERROR(ReadAliases(root, &c.aliases));
  XPU_RETURN_IF_ERROR(ReadAvailability(root, Need::kRequired, &c.availability));
  XPU_RETURN_IF_ERROR(root.GetInt("year", Need::kOptional, 1990, 2100, &c.year));
  XPU_RETURN_IF_ERROR(root.GetString("process_node", Need::kOptional, &c.process_node));
  XPU_RETURN_IF_ERROR(root.GetString("memory_type", Need::kOptional, &c.memory_type));
  XPU_RETURN_IF_ERROR(
      root.GetInt("scaleup_domain_max", Need::kOptional, 1, 1000000, &c.scaleup_domain_max));
  XPU_RETURN_IF_ERROR(root.GetString("notes", Need::kOptional, &c.notes));
  XPU_RETURN_IF_ERROR(ReadSources(root, &c.sources));
  XPU_RETURN_IF_ERROR(ReadSpecs(root, &c));
  return c;
}

Result<Chip> LoadChipFile(const std::filesystem::path& path) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(path));
  return CatchYaml(path.string(), [&] { return ParseChip(root, path.string()); });
}

}  // namespace xpusim
