#include "catalog/system_loader.h"

#include <algorithm>

#include "catalog/doc_fields.h"
#include "catalog/yaml_fields.h"
#include "core/suggest.h"

namespace xpusim {
namespace {

const std::vector<std::string> kTopKeys = {
    "schema_version", "kind",         "id",             "name",          "vendor",
    "chip",           "aliases",      "availability",   "scaleup_fabric", "scaleout_fabric",
    "chips_per_node", "scaleup_domain_chips", "sources", "specs",        "notes"};

const std::vector<std::string> kSpecKeys = {
    "scaleup_bandwidth_gb_s", "scaleout_bandwidth_gbit_s", "scaleup_latency_us",
    "scaleout_latency_us",    "scaleup_efficiency",        "scaleout_efficiency",
    "node_overhead_power_w",  "pue",                       "node_price_usd",
    "storage_bandwidth_gb_s", "nodes_per_rack",            "scaleout_decode_alltoall_efficiency",
    "alltoall_compute_share"};

constexpr Range kBandwidth{0, 1e5};       // GB/s or Gbit/s per chip per direction
constexpr Range kLatencyUs{0, 1e4};
constexpr Range kEfficiency{0, 1};        // (0, 1]
constexpr Range kOverheadW{0, 1e7};       // a "node" may be a whole NVL72 rack
constexpr Range kPue{1, 3, false};        // [1, 3]
constexpr Range kNodePriceUsd{0, 1e9};
constexpr Range kStorageGbS{0, 1e5};
constexpr Range kNodesPerRack{0, 1000};

Status ReadSpecs(const FieldReader& root, System* s) {
  std::optional<FieldReader> specs;
  XPU_RETURN_IF_ERROR(root.GetMap("specs", Need::kRequired, &specs));
  XPU_RETURN_IF_ERROR(specs->CheckKeys(kSpecKeys));
  const auto& src = s->sources;
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleup_bandwidth_gb_s", Need::kRequired, kBandwidth,
                                  src, &s->scaleup_bandwidth_gb_s));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleout_bandwidth_gbit_s", Need::kRequired, kBandwidth,
                                  src, &s->scaleout_bandwidth_gbit_s));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleup_latency_us", Need::kOptional, kLatencyUs, src,
                                  &s->scaleup_latency_us));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleout_latency_us", Need::kOptional, kLatencyUs, src,
                                  &s->scaleout_latency_us));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleup_efficiency", Need::kOptional, kEfficiency, src,
                                  &s->scaleup_efficiency));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleout_efficiency", Need::kOptional, kEfficiency, src,
                                  &s->scaleout_efficiency));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "scaleout_decode_alltoall_efficiency", Need::kOptional, kEfficiency,
                                  src, &s->scaleout_decode_alltoall_efficiency));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "alltoall_compute_share", Need::kOptional, Range{0, 0.9, false}, src,
                                  &s->alltoall_compute_share));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "node_overhead_power_w", Need::kOptional, kOverheadW, src,
                                  &s->node_overhead_power_w));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "pue", Need::kOptional, kPue, src, &s->pue));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "node_price_usd", Need::kOptional, kNodePriceUsd, src,
                                  &s->node_price_usd));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "storage_bandwidth_gb_s", Need::kOptional, kStorageGbS,
                                  src, &s->storage_bandwidth_gb_s));
  XPU_RETURN_IF_ERROR(ReadSourced(*specs, "nodes_per_rack", Need::kOptional, kNodesPerRack, src,
                                  &s->nodes_per_rack));
  return Status::Ok();
}

}  // namespace

Result<System> ParseSystem(const YAML::Node& node, const std::string& file) {
  XPU_ASSIGN_OR_RETURN(FieldReader root, FieldReader::Map(node, file, ""));
  XPU_RETURN_IF_ERROR(root.CheckKeys(kTopKeys));
  XPU_RETURN_IF_ERROR(CheckHeader(root, "system"));
  System s;
  s.file = file;
  XPU_RETURN_IF_ERROR(ReadId(root, &s.id));
  XPU_RETURN_IF_ERROR(root.GetString("name", Need::kRequired, &s.name));
  XPU_RETURN_IF_ERROR(root.GetString("vendor", Need::kOptional, &s.vendor));
  XPU_RETURN_IF_ERROR(root.GetString("chip", Need::kRequired, &s.chip_id));
  XPU_RETURN_IF_ERROR(ReadAliases(root, &s.aliases));
  XPU_RETURN_IF_ERROR(ReadAvailability(root, Need::kOptional, &s.availability));
  XPU_RETURN_IF_ERROR(root.GetString("scaleup_fabric", Need::kOptional, &s.scaleup_fabric));
  XPU_RETURN_IF_ERROR(root.GetString("scaleout_fabric", Need::kOptional, &s.scaleout_fabric));
  XPU_RETURN_IF_ERROR(root.GetString("notes", Need::kOptional, &s.notes));
  XPU_RETURN_IF_ERROR(root.GetInt("chips_per_node", Need::kRequired, 1, 100000, &s.chips_per_node));
  XPU_RETURN_IF_ERROR(
      root.GetInt("scaleup_domain_chips", Need::kRequired, 1, 1000000, &s.scaleup_domain_chips));
  if (s.scaleup_domain_chips < s.chips_per_node) {
    return root.Error("scaleup_domain_chips",
                      "must be >= chips_per_node (" + std::to_string(s.chips_per_node) +
                          "): the chips of one node share its scale-up fabric (got " +
                          std::to_string(s.scaleup_domain_chips) + ")");
  }
  XPU_RETURN_IF_ERROR(ReadSources(root, &s.sources));
  XPU_RETURN_IF_ERROR(ReadSpecs(root, &s));
  return s;
}

Result<System> LoadSystemFile(const std::filesystem::path& path, const std::vector<Chip>& chips) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(path));
  return CatchYaml(path.string(), [&]() -> Result<System> {
    XPU_ASSIGN_OR_RETURN(System s, ParseSystem(root, path.string()));
    XPU_RETURN_IF_ERROR(LinkSystem(chips, root, &s));
    return s;
  });
}

Status LinkSystem(const std::vector<Chip>& chips, const YAML::Node& root, System* s) {
  const Chip* chip = nullptr;
  std::vector<std::string> ids;
  const std::string low = ToLower(s->chip_id);
  for (const auto& c : chips) {
    ids.push_back(c.id);
    if (c.id == low || std::find(c.aliases.begin(), c.aliases.end(), low) != c.aliases.end()) {
      chip = &c;
    }
  }
  if (!chip) {
    return Status::Invalid(Where(s->file, LineOf(root["chip"])) + "field 'chip': unknown chip '" +
                           s->chip_id + "'" + DidYouMean(s->chip_id, ids) +
                           " (chips are the ids under data/chips/)");
  }
  s->chip_id = chip->id;
  if (!root["availability"].IsDefined()) s->availability = chip->availability;
  if (chip->scaleup_domain_max > 1 && s->scaleup_domain_chips > chip->scaleup_domain_max) {
    return Status::Invalid(Where(s->file, LineOf(root["scaleup_domain_chips"])) +
                           "field 'scaleup_domain_chips': " + std::to_string(s->scaleup_domain_chips) +
                           " exceeds the chip's scaleup_domain_max (" +
                           std::to_string(chip->scaleup_domain_max) + " in " + chip->file + ")");
  }
  return Status::Ok();
}

}  // namespace xpusim
