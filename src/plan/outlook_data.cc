#include "plan/outlook_data.h"

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "catalog/doc_fields.h"
#include "catalog/yaml_fields.h"

namespace xpusim {
namespace {

constexpr int kMinYear = 2000, kMaxYear = 2100;

const std::vector<std::pair<std::string, Confidence>> kConfidences = {{"datasheet", Confidence::kDatasheet},
                                                                      {"reported", Confidence::kReported},
                                                                      {"estimate", Confidence::kEstimate},
                                                                      {"measured", Confidence::kMeasured}};

// Each item of the sequence `key` of `r` as a mapping named "key[i]".
Result<std::vector<FieldReader>> Items(const FieldReader& r, std::string_view key, Need need) {
  std::vector<FieldReader> out;
  YAML::Node n = r.Get(key);
  if (!n.IsDefined() || n.IsNull()) {
    if (need == Need::kRequired) return r.Missing(key);
    return out;
  }
  if (!n.IsSequence()) return r.Error(key, "must be a list of mappings (- {...})");
  for (size_t i = 0; i < n.size(); ++i) {
    XPU_ASSIGN_OR_RETURN(FieldReader m, FieldReader::Map(n[i], r.file(), fmt::format("{}[{}]", r.FieldName(key), i)));
    out.push_back(std::move(m));
  }
  return out;
}

Status ReadSourceConf(const FieldReader& m, const std::vector<Source>& sources, std::string* source, Confidence* conf) {
  XPU_RETURN_IF_ERROR(m.GetString("source", Need::kRequired, source));
  XPU_RETURN_IF_ERROR(CheckSourceTag(m, "source", *source, sources));
  return m.GetEnum<Confidence>("confidence", Need::kRequired, kConfidences, conf);
}

Result<const Chip*> ChipField(const FieldReader& m, std::string_view key, const Catalog& cat, std::string* id) {
  XPU_RETURN_IF_ERROR(m.GetString(key, Need::kRequired, id));
  Result<const Chip*> c = cat.FindChip(*id);
  if (!c.ok()) return m.Error(key, c.status().message());
  *id = (*c)->id;
  return *c;
}

Result<const System*> SystemField(const FieldReader& m, std::string_view key, const Catalog& cat, std::string* id) {
  XPU_RETURN_IF_ERROR(m.GetString(key, Need::kRequired, id));
  Result<const System*> s = cat.FindSystem(*id);
  if (!s.ok()) return m.Error(key, s.status().message());
  *id = (*s)->id;
  return *s;
}

Status CheckChipUsable(const FieldReader& m, std::string_view key, const Chip& c,
                       const std::map<std::string, SourcedValue>& power) {
  if (!(c.tflops(Precision::kBf16).or_else(0) > 0))
    return m.Error(key, fmt::format("chip '{}' has no dense BF16 peak in {}; the outlook needs one", c.id, c.file));
  if (!c.tdp_w.known() && !power.count(c.id))
    return m.Error(key, fmt::format("chip '{}' has no TDP in {}; add 'chip_power_w: {{{}: {{value: W, source: TAG, "
                                    "confidence: estimate}}}}' to the outlook file",
                                    c.id, c.file, c.id));
  return Status::Ok();
}

Result<OutlookEcosystem> ReadEcosystem(const FieldReader& e, const OutlookData& d, const Catalog& cat) {
  OutlookEcosystem eco;
  XPU_RETURN_IF_ERROR(e.CheckKeys({"id", "name", "home", "systems", "roadmap", "supply", "growth_per_year"}));
  XPU_RETURN_IF_ERROR(ReadId(e, &eco.id));
  XPU_RETURN_IF_ERROR(e.GetStringList("home", Need::kOptional, &eco.home));
  if (eco.home.empty()) eco.home = {eco.id};
  XPU_RETURN_IF_ERROR(e.GetString("name", Need::kRequired, &eco.name));
  XPU_ASSIGN_OR_RETURN(std::vector<FieldReader> systems, Items(e, "systems", Need::kRequired));
  if (systems.empty()) return e.Error("systems", "must list at least one system");
  for (const FieldReader& m : systems) {
    XPU_RETURN_IF_ERROR(m.CheckKeys({"system", "year", "source", "confidence"}));
    OutlookAvailable a;
    XPU_ASSIGN_OR_RETURN(const System* s, SystemField(m, "system", cat, &a.system_id));
    a.chip_id = s->chip_id;
    XPU_RETURN_IF_ERROR(m.GetInt("year", Need::kRequired, kMinYear, kMaxYear, &a.year));
    XPU_RETURN_IF_ERROR(ReadSourceConf(m, d.sources, &a.source, &a.confidence));
    XPU_RETURN_IF_ERROR(CheckChipUsable(m, "system", cat.ChipOf(*s), d.chip_power_w));
    eco.systems.push_back(a);
  }
  XPU_ASSIGN_OR_RETURN(std::vector<FieldReader> roadmap, Items(e, "roadmap", Need::kOptional));
  for (const FieldReader& m : roadmap) {
    XPU_RETURN_IF_ERROR(m.CheckKeys({"chip", "year", "source", "confidence"}));
    OutlookAvailable a;
    XPU_ASSIGN_OR_RETURN(const Chip* c, ChipField(m, "chip", cat, &a.chip_id));
    XPU_RETURN_IF_ERROR(m.GetInt("year", Need::kRequired, kMinYear, kMaxYear, &a.year));
    XPU_RETURN_IF_ERROR(ReadSourceConf(m, d.sources, &a.source, &a.confidence));
    XPU_RETURN_IF_ERROR(CheckChipUsable(m, "chip", *c, d.chip_power_w));
    eco.roadmap.push_back(a);
  }
  XPU_ASSIGN_OR_RETURN(std::vector<FieldReader> supply, Items(e, "supply", Need::kRequired));
  if (supply.empty()) return e.Error("supply", "must list at least one year of shipments");
  for (const FieldReader& m : supply) {
    XPU_RETURN_IF_ERROR(m.CheckKeys({"year", "chip", "system", "units"}));
    OutlookSupply s;
    XPU_RETURN_IF_ERROR(m.GetInt("year", Need::kRequired, kMinYear, kMaxYear, &s.year));
    XPU_ASSIGN_OR_RETURN(const Chip* c, ChipField(m, "chip", cat, &s.chip_id));
    XPU_RETURN_IF_ERROR(CheckChipUsable(m, "chip", *c, d.chip_power_w));
    if (m.Has("system")) {
      XPU_ASSIGN_OR_RETURN(const System* sys, SystemField(m, "system", cat, &s.system_id));
      if (sys->chip_id != s.chip_id)
        return m.Error("system", fmt::format("system '{}' is built from '{}', not from this line's chip '{}'", sys->id,
                                             sys->chip_id, s.chip_id));
    }
    XPU_RETURN_IF_ERROR(ReadSourced(m, "units", Need::kRequired, Range{0, 1e9, true}, d.sources, &s.units));
    eco.supply.push_back(s);
  }
  XPU_RETURN_IF_ERROR(ReadSourced(e, "growth_per_year", Need::kRequired, Range{-1, 10, true}, d.sources,
                                  &eco.growth_per_year));
  return eco;
}

}  // namespace

const OutlookEcosystem* OutlookData::Find(std::string_view id) const {
  for (const OutlookEcosystem& e : ecosystems)
    if (e.id == id) return &e;
  return nullptr;
}

std::filesystem::path DefaultOutlookFile(const Catalog& catalog) { return catalog.data_dir() / "outlook" / "outlook.yaml"; }

Result<OutlookData> LoadOutlookFile(const std::filesystem::path& path, const Catalog& cat) {
  const std::string file = path.string();
  return CatchYaml(file, [&]() -> Result<OutlookData> {
    XPU_ASSIGN_OR_RETURN(YAML::Node doc, ParseYamlFile(path));
    XPU_ASSIGN_OR_RETURN(FieldReader root, FieldReader::Map(doc, file, ""));
    XPU_RETURN_IF_ERROR(root.CheckKeys(
        {"schema_version", "kind", "sources", "lifetime_years", "default_pue", "ecosystems", "chip_power_w"}));
    XPU_RETURN_IF_ERROR(CheckHeader(root, "outlook"));
    OutlookData d;
    d.file = file;
    XPU_RETURN_IF_ERROR(ReadSources(root, &d.sources));
    XPU_RETURN_IF_ERROR(ReadSourced(root, "lifetime_years", Need::kRequired, Range{0, 30, true}, d.sources,
                                    &d.lifetime_years));
    XPU_RETURN_IF_ERROR(ReadSourced(root, "default_pue", Need::kRequired, Range{1, 3, false}, d.sources, &d.default_pue));
    std::optional<FieldReader> power;
    XPU_RETURN_IF_ERROR(root.GetMap("chip_power_w", Need::kOptional, &power));
    if (power) {
      XPU_RETURN_IF_ERROR(power->CheckUniqueKeys());
      for (const std::string& k : power->Keys()) {
        Result<const Chip*> c = cat.FindChip(k);
        if (!c.ok()) return power->Error(k, c.status().message());
        SourcedValue v;
        XPU_RETURN_IF_ERROR(ReadSourced(*power, k, Need::kRequired, Range{0, 1e5, true}, d.sources, &v));
        d.chip_power_w[(*c)->id] = v;
      }
    }
    XPU_ASSIGN_OR_RETURN(std::vector<FieldReader> ecos, Items(root, "ecosystems", Need::kRequired));
    if (ecos.empty()) return root.Error("ecosystems", "must list at least one ecosystem");
    std::set<std::string> ids;
    for (const FieldReader& e : ecos) {
      XPU_ASSIGN_OR_RETURN(OutlookEcosystem eco, ReadEcosystem(e, d, cat));
      if (!ids.insert(eco.id).second) return e.Error("id", fmt::format("ecosystem '{}' is defined twice", eco.id));
      d.ecosystems.push_back(std::move(eco));
    }
    return d;
  });
}

}  // namespace xpusim
