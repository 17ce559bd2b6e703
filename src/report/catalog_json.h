// JSON forms of catalog objects (nlohmann::json), shared by every --json
// output so the same field has the same shape everywhere.
//
// Every numeric spec is {"value": number|null, "source": tag,
// "confidence": "datasheet"|"reported"|"estimate"|"measured"}; null means
// unknown. Objects carry their "sources" list ([{"tag","title","url"}]) so a
// tag can be resolved to a URL. Keys are the data-file keys (units in names).
//
// The spec tables below (ChipSpecFields, SystemSpecFields) are the single
// list of sourced fields: JSON, `catalog show` and `catalog compare` all
// iterate them, so a new field added there shows up everywhere.
#ifndef XPUSIM_REPORT_CATALOG_JSON_H_
#define XPUSIM_REPORT_CATALOG_JSON_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "xpusim/export_rules.h"
#include "xpusim/hardware.h"
#include "xpusim/model.h"
#include "xpusim/sourced.h"
#include "xpusim/status.h"

namespace xpusim::report {

using Json = nlohmann::ordered_json;

// The label every export screen carries, in text and JSON.
inline constexpr const char* kExportScreenLabel = "screen from public specs, not legal advice";

template <typename T>
struct SpecField {
  const char* key;    // JSON / data-file key, e.g. "memory_bandwidth_tb_s"
  const char* label;  // human label, e.g. "memory bandwidth"
  const char* unit;   // "TB/s"
  SourcedValue T::*member;
};
using ChipField = SpecField<Chip>;
using SystemField = SpecField<System>;

// Sourced fields of a Chip other than the per-precision TFLOPS.
const std::vector<ChipField>& ChipSpecFields();
const std::vector<SystemField>& SystemSpecFields();

Json SourcedToJson(const SourcedValue& v);
// Also accepts a bare number. Missing "value" or null -> NaN.
Result<SourcedValue> SourcedFromJson(const Json& j);
Json SourcesToJson(const std::vector<Source>& sources);

// {"fp32": {...}, "bf16": {...}, ...}: known formats only.
Json TflopsToJson(const Chip& chip);

Json ChipToJson(const Chip& chip);
// Inverse of ChipToJson (a Parse error naming the key on bad input).
Result<Chip> ChipFromJson(const Json& j);
Json SystemToJson(const System& system);
// Architecture, MoE/MLA blocks, computed parameter counts and published totals.
Json ModelToJson(const Model& model);

// {"rule","classification","explanation","tpp","performance_density","label"}
Json ExportScreenToJson(const ExportScreen& screen);
// {"value": TPP, "source": "computed: max(dense TOPS x bits)", "confidence": of
// the format that sets the maximum}
Json TppToJson(const Chip& chip);
// {"value": TPP / die area, "source": "computed: TPP / die area (mm^2)", ...}
Json PerformanceDensityToJson(const Chip& chip);

Result<Availability> AvailabilityFromName(const std::string& name);
Result<Confidence> ConfidenceFromName(const std::string& name);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_CATALOG_JSON_H_
