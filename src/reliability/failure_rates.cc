#include "reliability/failure_rates.h"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "catalog/yaml_fields.h"

namespace xpusim::reliability {

const char* ScopeName(Scope s) {
  switch (s) {
    case Scope::kChip: return "chip";
    case Scope::kNic: return "nic";
    case Scope::kNode: return "node";
    case Scope::kSwitch: return "switch";
    case Scope::kJob: return "job";
  }
  return "?";
}

double FleetUnits::of(Scope s) const {
  switch (s) {
    case Scope::kChip: return chips;
    case Scope::kNic: return nics;
    case Scope::kNode: return nodes;
    case Scope::kSwitch: return switches;
    case Scope::kJob: return jobs;
  }
  return 0;
}

double ClosSwitches(double endpoints, int radix) {
  if (endpoints <= 0 || radix < 2) return 0;
  const double k = radix;
  if (endpoints <= k) return 1;
  if (endpoints <= k * k / 2) return std::ceil(3 * endpoints / k);
  return std::ceil(5 * endpoints / k);
}

FleetUnits CountUnits(const FailureRates& rates, int64_t chips, int chips_per_node) {
  FleetUnits u;
  u.chips = static_cast<double>(chips);
  u.nics = u.chips * rates.nics_per_chip;
  u.nodes = std::ceil(u.chips / std::max(1, chips_per_node));
  u.switches = ClosSwitches(u.nics, rates.switch_radix);
  u.jobs = 1;
  return u;
}

FleetFailureRate FleetRate(const FailureRates& rates, const FleetUnits& units) {
  FleetFailureRate out;
  for (const ComponentRate& c : rates.components) {
    const double per_hour = c.per_1000_unit_days / 1000.0 / 24.0 * units.of(c.scope);
    out.per_hour += per_hour;
    bool found = false;
    for (auto& [g, v] : out.per_group_per_hour) {
      if (g == c.group) {
        v += per_hour;
        found = true;
      }
    }
    if (!found) out.per_group_per_hour.emplace_back(c.group, per_hour);
  }
  out.mtbf_h = out.per_hour > 0 ? 1.0 / out.per_hour : std::numeric_limits<double>::infinity();
  return out;
}

namespace {

const std::vector<std::pair<std::string, Scope>> kScopes = {
    {"chip", Scope::kChip}, {"nic", Scope::kNic}, {"node", Scope::kNode},
    {"switch", Scope::kSwitch}, {"job", Scope::kJob}};
const std::vector<std::pair<std::string, std::string>> kGroups = {
    {"gpu", "gpu"},   {"hbm", "hbm"},           {"network", "network"},
    {"host", "host"}, {"software", "software"}, {"power", "power"}};

Status ReadSourceTag(const FieldReader& r, const std::map<std::string, std::string>& sources, std::string* out) {
  std::string tag;
  XPU_RETURN_IF_ERROR(r.GetString("source", Need::kRequired, &tag));
  auto it = sources.find(tag);
  if (it == sources.end()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : sources) names.push_back(k);
    return r.Error("source", "unknown source tag '" + tag + "'; define it under 'sources' (known: " +
                                 FieldReader::JoinQuoted(names) + ")");
  }
  *out = it->first + ": " + it->second;
  return Status::Ok();
}

Result<FailureRates> Parse(const YAML::Node& root, const std::string& file) {
  FailureRates fr;
  fr.file = file;
  XPU_ASSIGN_OR_RETURN(FieldReader top, FieldReader::Map(root, file, ""));
  XPU_RETURN_IF_ERROR(top.CheckKeys({"schema_version", "sources", "reference", "fabric", "checkpoint", "components"}));
  int64_t version = 0;
  XPU_RETURN_IF_ERROR(top.GetInt("schema_version", Need::kRequired, int64_t{1}, int64_t{1}, &version));

  std::map<std::string, std::string> sources;
  std::optional<FieldReader> src;
  XPU_RETURN_IF_ERROR(top.GetMap("sources", Need::kRequired, &src));
  XPU_RETURN_IF_ERROR(src->CheckUniqueKeys());
  for (const std::string& k : src->Keys()) {
    std::string text;
    XPU_RETURN_IF_ERROR(src->GetString(k, Need::kRequired, &text));
    if (text.empty()) return src->Error(k, "must describe the source (got an empty string)");
    sources[k] = text;
  }

  std::optional<FieldReader> ref;
  XPU_RETURN_IF_ERROR(top.GetMap("reference", Need::kRequired, &ref));
  XPU_RETURN_IF_ERROR(ref->CheckKeys({"name", "chip", "chips", "chips_per_node", "days", "interruptions", "source"}));
  ReferenceRun& rr = fr.reference;
  XPU_RETURN_IF_ERROR(ref->GetString("name", Need::kRequired, &rr.name));
  XPU_RETURN_IF_ERROR(ref->GetString("chip", Need::kRequired, &rr.chip_id));
  XPU_RETURN_IF_ERROR(ref->GetInt("chips", Need::kRequired, int64_t{1}, int64_t{10'000'000}, &rr.chips));
  XPU_RETURN_IF_ERROR(ref->GetInt("chips_per_node", Need::kRequired, 1, 100'000, &rr.chips_per_node));
  XPU_RETURN_IF_ERROR(ref->GetDouble("days", Need::kRequired, Range{0, 36500, true}, &rr.days));
  XPU_RETURN_IF_ERROR(ref->GetDouble("interruptions", Need::kRequired, Range{0, 1e9, false}, &rr.interruptions));
  XPU_RETURN_IF_ERROR(ReadSourceTag(*ref, sources, &rr.source));

  std::optional<FieldReader> fab;
  XPU_RETURN_IF_ERROR(top.GetMap("fabric", Need::kRequired, &fab));
  XPU_RETURN_IF_ERROR(fab->CheckKeys({"switch_radix", "nics_per_chip", "source"}));
  XPU_RETURN_IF_ERROR(fab->GetInt("switch_radix", Need::kRequired, 2, 4096, &fr.switch_radix));
  XPU_RETURN_IF_ERROR(fab->GetDouble("nics_per_chip", Need::kRequired, Range{0, 64, true}, &fr.nics_per_chip));
  std::string fab_source;
  XPU_RETURN_IF_ERROR(ReadSourceTag(*fab, sources, &fab_source));

  std::optional<FieldReader> ck;
  XPU_RETURN_IF_ERROR(top.GetMap("checkpoint", Need::kRequired, &ck));
  XPU_RETURN_IF_ERROR(ck->CheckKeys({"bytes_per_param", "storage_backend_max_gb_s", "read_bandwidth_factor",
                                     "restart_fixed_s", "source"}));
  CheckpointParams& cp = fr.checkpoint;
  XPU_RETURN_IF_ERROR(ck->GetDouble("bytes_per_param", Need::kRequired, Range{0, 64, true}, &cp.bytes_per_param));
  XPU_RETURN_IF_ERROR(ck->GetDouble("storage_backend_max_gb_s", Need::kRequired, Range{0, 1e9, false},
                                    &cp.storage_backend_max_gb_s));
  XPU_RETURN_IF_ERROR(ck->GetDouble("read_bandwidth_factor", Need::kRequired, Range{0, 1000, true},
                                    &cp.read_bandwidth_factor));
  XPU_RETURN_IF_ERROR(ck->GetDouble("restart_fixed_s", Need::kRequired, Range{0, 1e7, false}, &cp.restart_fixed_s));
  XPU_RETURN_IF_ERROR(ReadSourceTag(*ck, sources, &cp.source));

  // Units of each scope in the reference run, to turn counts into rates.
  const FleetUnits ref_units = CountUnits(fr, rr.chips, rr.chips_per_node);

  std::optional<FieldReader> comps;
  XPU_RETURN_IF_ERROR(top.GetMap("components", Need::kRequired, &comps));
  XPU_RETURN_IF_ERROR(comps->CheckUniqueKeys());
  double count_sum = 0;
  bool all_counted = true;
  for (const std::string& id : comps->Keys()) {
    std::optional<FieldReader> c;
    XPU_RETURN_IF_ERROR(comps->GetMap(id, Need::kRequired, &c));
    XPU_RETURN_IF_ERROR(c->CheckKeys({"name", "group", "scope", "reference_count", "per_1000_unit_days", "source"}));
    ComponentRate cr;
    cr.id = id;
    XPU_RETURN_IF_ERROR(c->GetString("name", Need::kRequired, &cr.name));
    XPU_RETURN_IF_ERROR(c->GetEnum("group", Need::kRequired, kGroups, &cr.group));
    XPU_RETURN_IF_ERROR(c->GetEnum("scope", Need::kRequired, kScopes, &cr.scope));
    const bool has_count = c->Has("reference_count"), has_rate = c->Has("per_1000_unit_days");
    if (has_count == has_rate)
      return c->Error(has_count ? "per_1000_unit_days" : "reference_count",
                      "give exactly one of reference_count (interruptions in the reference run) or "
                      "per_1000_unit_days (a rate)");
    if (has_count) {
      XPU_RETURN_IF_ERROR(c->GetDouble("reference_count", Need::kRequired, Range{0, 1e9, false}, &cr.reference_count));
      const double units = ref_units.of(cr.scope);
      cr.per_1000_unit_days = cr.reference_count / (units * rr.days) * 1000.0;
      count_sum += cr.reference_count;
    } else {
      XPU_RETURN_IF_ERROR(c->GetDouble("per_1000_unit_days", Need::kRequired, Range{0, 1e6, false},
                                       &cr.per_1000_unit_days));
      all_counted = false;
    }
    XPU_RETURN_IF_ERROR(ReadSourceTag(*c, sources, &cr.source));
    cr.estimate = cr.source.rfind("est:", 0) == 0;
    fr.components.push_back(std::move(cr));
  }
  if (fr.components.empty()) return top.Error("components", "needs at least one component");
  if (all_counted && std::abs(count_sum - rr.interruptions) > 0.5) {
    return top.Error("components", "the reference counts add up to " + FormatNumber(count_sum) +
                                       " but reference.interruptions is " + FormatNumber(rr.interruptions) +
                                       "; fix a count or the total");
  }
  return fr;
}

}  // namespace

Result<FailureRates> ParseFailureRates(const std::string& text, const std::string& origin) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlText(text, origin));
  try {
    return Parse(root, origin);
  } catch (const YAML::Exception& e) {
    return Status::Parse(origin + ": unreadable YAML: " + e.msg);
  }
}

Result<FailureRates> LoadFailureRates(const std::filesystem::path& path) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(path));
  try {
    return Parse(root, path.string());
  } catch (const YAML::Exception& e) {
    return Status::Parse(path.string() + ": unreadable YAML: " + e.msg);
  }
}

}  // namespace xpusim::reliability
