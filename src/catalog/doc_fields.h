// Fields shared by every catalog document (chip, system, model, rules):
// the schema header, ids and aliases, the `sources` table and sourced values
// ({value, source, confidence}).
#ifndef XPUSIM_CATALOG_DOC_FIELDS_H_
#define XPUSIM_CATALOG_DOC_FIELDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "catalog/yaml_fields.h"
#include "xpusim/hardware.h"
#include "xpusim/sourced.h"

namespace xpusim {

inline constexpr int kSchemaVersion = 1;

// schema_version must be 1 and kind must equal `kind` ("chip", "system",
// "model", "export_rules"), so a file in the wrong folder is refused.
Status CheckHeader(const FieldReader& root, std::string_view kind);

// True for a valid catalog id: lowercase [a-z0-9.-], starting with a letter
// or digit, at most 64 characters.
bool IsValidId(std::string_view id);

// Reads the required `id` field and checks its form.
Status ReadId(const FieldReader& root, std::string* id);
// Reads optional `aliases`; each is stored lowercase and must be a valid id.
Status ReadAliases(const FieldReader& root, std::vector<std::string>* aliases);
// Reads the required `sources` mapping: tag -> {title, url}.
Status ReadSources(const FieldReader& root, std::vector<Source>* sources);
// product | roadmap | research
Status ReadAvailability(const FieldReader& root, Need need, Availability* out);

// Reads `key` of `specs` as {value, source, confidence}. The value must lie in
// `range`; the source must be a tag of `sources`. Absent + optional: *out
// keeps its NaN value.
Status ReadSourced(const FieldReader& specs, std::string_view key, Need need, const Range& range,
                   const std::vector<Source>& sources, SourcedValue* out);

// Checks that `tag` names one of `sources` (for tag lists outside `specs`).
Status CheckSourceTag(const FieldReader& map, std::string_view key, const std::string& tag,
                      const std::vector<Source>& sources);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_DOC_FIELDS_H_
