#include "report/catalog_json.h"

#include <cmath>
#include <string>

#include "xpusim/precision.h"

namespace xpusim::report {

namespace {


Json NumberOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// Reads j[key] as T when present; a Parse error naming the key otherwise
// (missing keys keep the default when `required` is false).
template <typename T>
Status Read(const Json& j, const char* key, T* out, bool required = false) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return required ? Status::Parse(std::string("missing key '") + key + "'") : Status::Ok();
  }
  try {
    *out = it->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return Status::Parse(std::string("key '") + key + "': " + e.what());
  }
  return Status::Ok();
}

Status ReadSourced(const Json& j, const char* key, SourcedValue* out) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  auto v = SourcedFromJson(*it);
  if (!v.ok()) return v.status().WithContext(std::string("key '") + key + "'");
  *out = std::move(v).value();
  return Status::Ok();
}

Status ReadSources(const Json& j, std::vector<Source>* out) {
  auto it = j.find("sources");
  if (it == j.end()) return Status::Ok();
  if (!it->is_array()) return Status::Parse("key 'sources': expected an array");
  for (const Json& s : *it) {
    Source src;
    XPU_RETURN_IF_ERROR(Read(s, "tag", &src.tag, true).WithContext("sources"));
    XPU_RETURN_IF_ERROR(Read(s, "title", &src.title).WithContext("sources"));
    XPU_RETURN_IF_ERROR(Read(s, "url", &src.url).WithContext("sources"));
    out->push_back(std::move(src));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<ChipField>& ChipSpecFields() {
  static const std::vector<ChipField> kFields = {
      {"memory_gb", "memory", "GB", &Chip::memory_gb},
      {"memory_bandwidth_tb_s", "memory bandwidth", "TB/s", &Chip::memory_bandwidth_tb_s},
      {"sram_mb", "on-chip SRAM", "MB", &Chip::sram_mb},
      {"tdp_w", "TDP", "W", &Chip::tdp_w},
      {"idle_power_w", "idle power", "W", &Chip::idle_power_w},
      {"die_area_mm2", "die area", "mm^2", &Chip::die_area_mm2},
      {"scaleup_bandwidth_gb_s", "scale-up bandwidth", "GB/s", &Chip::scaleup_bandwidth_gb_s},
      {"scaleout_bandwidth_gbit_s", "scale-out bandwidth", "Gbit/s", &Chip::scaleout_bandwidth_gbit_s},
      {"price_usd", "price", "USD", &Chip::price_usd},
      {"energy_per_op_pj", "energy per op", "pJ", &Chip::energy_per_op_pj},
  };
  return kFields;
}

const std::vector<SystemField>& SystemSpecFields() {
  static const std::vector<SystemField> kFields = {
      {"scaleup_bandwidth_gb_s", "scale-up bandwidth", "GB/s", &System::scaleup_bandwidth_gb_s},
      {"scaleout_bandwidth_gbit_s", "scale-out bandwidth", "Gbit/s", &System::scaleout_bandwidth_gbit_s},
      {"scaleup_latency_us", "scale-up latency", "us", &System::scaleup_latency_us},
      {"scaleout_latency_us", "scale-out latency", "us", &System::scaleout_latency_us},
      {"scaleup_efficiency", "scale-up efficiency", "", &System::scaleup_efficiency},
      {"scaleout_efficiency", "scale-out efficiency", "", &System::scaleout_efficiency},
      {"scaleout_decode_alltoall_efficiency", "scale-out decode all-to-all efficiency", "",
       &System::scaleout_decode_alltoall_efficiency},
      {"alltoall_compute_share", "compute share of the all-to-all", "", &System::alltoall_compute_share},
      {"node_overhead_power_w", "node overhead power", "W", &System::node_overhead_power_w},
      {"pue", "PUE", "", &System::pue},
      {"node_price_usd", "node price", "USD", &System::node_price_usd},
      {"storage_bandwidth_gb_s", "storage bandwidth", "GB/s", &System::storage_bandwidth_gb_s},
      {"nodes_per_rack", "nodes per rack", "", &System::nodes_per_rack},
  };
  return kFields;
}

Result<Availability> AvailabilityFromName(const std::string& name) {
  for (Availability a : {Availability::kProduct, Availability::kRoadmap, Availability::kResearch})
    if (name == AvailabilityName(a)) return a;
  return Status::Parse("unknown availability '" + name + "' (product, roadmap or research)");
}

Result<Confidence> ConfidenceFromName(const std::string& name) {
  for (Confidence c : {Confidence::kDatasheet, Confidence::kReported, Confidence::kEstimate,
                       Confidence::kMeasured})
    if (name == ConfidenceName(c)) return c;
  return Status::Parse("unknown confidence '" + name + "' (datasheet, reported, estimate or measured)");
}

Json SourcedToJson(const SourcedValue& v) {
  Json j;
  j["value"] = NumberOrNull(v.value);
  j["source"] = v.source;
  j["confidence"] = ConfidenceName(v.confidence);
  return j;
}

Result<SourcedValue> SourcedFromJson(const Json& j) {
  SourcedValue v;
  if (j.is_number()) {
    v.value = j.get<double>();
    return v;
  }
  if (j.is_null()) return v;
  if (!j.is_object()) return Status::Parse("expected {\"value\", \"source\", \"confidence\"} or a number");
  auto value = j.find("value");
  if (value != j.end() && !value->is_null()) {
    if (!value->is_number()) return Status::Parse("'value' must be a number or null");
    v.value = value->get<double>();
  }
  XPU_RETURN_IF_ERROR(Read(j, "source", &v.source));
  std::string confidence;
  XPU_RETURN_IF_ERROR(Read(j, "confidence", &confidence));
  if (!confidence.empty()) {
    XPU_ASSIGN_OR_RETURN(v.confidence, ConfidenceFromName(confidence));
  }
  return v;
}

Json SourcesToJson(const std::vector<Source>& sources) {
  Json arr = Json::array();
  for (const Source& s : sources) arr.push_back(Json{{"tag", s.tag}, {"title", s.title}, {"url", s.url}});
  return arr;
}

Json TflopsToJson(const Chip& chip) {
  Json j = Json::object();
  for (Precision p : kAllPrecisions)
    if (chip.tflops(p).known()) j[std::string(PrecisionName(p))] = SourcedToJson(chip.tflops(p));
  return j;
}

Json ChipToJson(const Chip& chip) {
  Json j;
  j["id"] = chip.id;
  j["name"] = chip.name;
  j["vendor"] = chip.vendor;
  j["ecosystem"] = chip.ecosystem;
  j["aliases"] = chip.aliases;
  j["availability"] = AvailabilityName(chip.availability);
  j["year"] = chip.year;
  j["process_node"] = chip.process_node;
  j["memory_type"] = chip.memory_type;
  j["scaleup_domain_max"] = chip.scaleup_domain_max;
  j["tflops"] = TflopsToJson(chip);
  for (const ChipField& f : ChipSpecFields()) j[f.key] = SourcedToJson(chip.*f.member);
  j["notes"] = chip.notes;
  j["file"] = chip.file;
  j["sources"] = SourcesToJson(chip.sources);
  return j;
}

Result<Chip> ChipFromJson(const Json& j) {
  if (!j.is_object()) return Status::Parse("chip: expected a JSON object");
  Chip c;
  XPU_RETURN_IF_ERROR(Read(j, "id", &c.id, true));
  XPU_RETURN_IF_ERROR(Read(j, "name", &c.name));
  XPU_RETURN_IF_ERROR(Read(j, "vendor", &c.vendor));
  XPU_RETURN_IF_ERROR(Read(j, "ecosystem", &c.ecosystem));
  XPU_RETURN_IF_ERROR(Read(j, "aliases", &c.aliases));
  std::string availability;
  XPU_RETURN_IF_ERROR(Read(j, "availability", &availability));
  if (!availability.empty()) {
    XPU_ASSIGN_OR_RETURN(c.availability, AvailabilityFromName(availability));
  }
  XPU_RETURN_IF_ERROR(Read(j, "year", &c.year));
  XPU_RETURN_IF_ERROR(Read(j, "process_node", &c.process_node));
  XPU_RETURN_IF_ERROR(Read(j, "memory_type", &c.memory_type));
  XPU_RETURN_IF_ERROR(Read(j, "scaleup_domain_max", &c.scaleup_domain_max));
  auto tflops = j.find("tflops");
  if (tflops != j.end()) {
    if (!tflops->is_object()) return Status::Parse("key 'tflops': expected an object");
    for (const auto& [name, value] : tflops->items()) {
      auto p = ParsePrecision(name);
      if (!p) return Status::Parse("key 'tflops': unknown precision '" + name + "'");
      auto v = SourcedFromJson(value);
      if (!v.ok()) return v.status().WithContext("key 'tflops." + name + "'");
      c.dense_tflops[static_cast<int>(*p)] = std::move(v).value();
    }
  }
  for (const ChipField& f : ChipSpecFields()) XPU_RETURN_IF_ERROR(ReadSourced(j, f.key, &(c.*f.member)));
  XPU_RETURN_IF_ERROR(Read(j, "notes", &c.notes));
  XPU_RETURN_IF_ERROR(Read(j, "file", &c.file));
  XPU_RETURN_IF_ERROR(ReadSources(j, &c.sources));
  return c;
}

Json SystemToJson(const System& s) {
  Json j;
  j["id"] = s.id;
  j["name"] = s.name;
  j["vendor"] = s.vendor;
  j["chip"] = s.chip_id;
  j["aliases"] = s.aliases;
  j["availability"] = AvailabilityName(s.availability);
  j["scaleup_fabric"] = s.scaleup_fabric;
  j["scaleout_fabric"] = s.scaleout_fabric;
  j["chips_per_node"] = s.chips_per_node;
  j["scaleup_domain_chips"] = s.scaleup_domain_chips;
  for (const SystemField& f : SystemSpecFields()) j[f.key] = SourcedToJson(s.*f.member);
  j["notes"] = s.notes;
  j["file"] = s.file;
  j["sources"] = SourcesToJson(s.sources);
  return j;
}

Json ModelToJson(const Model& m) {
  Json j;
  j["id"] = m.id;
  j["name"] = m.name;
  j["family"] = m.family;
  j["layers"] = m.layers;
  j["hidden"] = m.hidden;
  j["ffn_hidden"] = m.ffn_hidden;
  j["heads"] = m.heads;
  j["kv_heads"] = m.kv_heads;
  j["head_dim"] = m.head_dim;
  j["vocab"] = m.vocab;
  j["max_seq"] = m.max_seq;
  j["activation"] = m.activation == Activation::kSwiGlu ? "swiglu" : "gelu";
  j["norm"] = m.norm == NormKind::kRmsNorm ? "rmsnorm" : "layernorm";
  j["position"] = m.position == PositionKind::kRope      ? "rope"
                  : m.position == PositionKind::kLearned ? "learned"
                                                         : "alibi";
  j["tied_embeddings"] = m.tied_embeddings;
  j["qkv_bias"] = m.qkv_bias;
  j["linear_bias"] = m.linear_bias;
  if (m.moe.enabled()) {
    j["moe"] = Json{{"num_experts", m.moe.num_experts},
                    {"top_k", m.moe.top_k},
                    {"shared_experts", m.moe.shared_experts},
                    {"expert_ffn_hidden", m.moe.expert_ffn_hidden},
                    {"shared_ffn_hidden", m.moe.shared_ffn_hidden},
                    {"first_dense_layers", m.moe.first_dense_layers},
                    {"layer_frequency", m.moe.layer_frequency}};
  }
  if (m.mla.enabled()) {
    j["mla"] = Json{{"q_lora_rank", m.mla.q_lora_rank},
                    {"kv_lora_rank", m.mla.kv_lora_rank},
                    {"qk_nope_head_dim", m.mla.qk_nope_head_dim},
                    {"qk_rope_head_dim", m.mla.qk_rope_head_dim},
                    {"v_head_dim", m.mla.v_head_dim}};
  }
  j["total_params"] = TotalParams(m);
  j["active_params"] = ActiveParams(m);
  j["published_params_b"] = SourcedToJson(m.published_params_b);
  j["published_active_params_b"] = SourcedToJson(m.published_active_params_b);
  j["file"] = m.file;
  j["sources"] = SourcesToJson(m.sources);
  return j;
}

Json ExportScreenToJson(const ExportScreen& s) {
  Json j;
  j["rule"] = s.rule_id;
  j["classification"] = s.classification;
  j["explanation"] = s.explanation;
  j["tpp"] = NumberOrNull(s.tpp);
  j["performance_density"] = NumberOrNull(s.performance_density);
  j["label"] = kExportScreenLabel;
  return j;
}

Json TppToJson(const Chip& chip) {
  // The confidence is that of the format that sets the maximum.
  double best = -1;
  Confidence confidence = Confidence::kEstimate;
  for (Precision p : kAllPrecisions) {
    if (p == Precision::kTf32 || !chip.tflops(p).known()) continue;
    const double tpp = chip.tflops(p).value * PrecisionBits(p);
    if (tpp > best) {
      best = tpp;
      confidence = chip.tflops(p).confidence;
    }
  }
  return Json{{"value", NumberOrNull(ComputeTpp(chip))},
              {"source", "computed: max(dense TOPS x bits)"},
              {"confidence", ConfidenceName(confidence)}};
}

Json PerformanceDensityToJson(const Chip& chip) {
  return Json{{"value", NumberOrNull(ComputePerformanceDensity(chip))},
              {"source", "computed: TPP / die area (mm^2)"},
              {"confidence", ConfidenceName(chip.die_area_mm2.confidence)}};
}

}  // namespace xpusim::report
