#include "catalog/rules_loader.h"

#include <set>

#include "catalog/doc_fields.h"
#include "catalog/yaml_fields.h"

namespace xpusim {
namespace {

const std::vector<std::string> kTopKeys = {"schema_version", "kind", "disclaimer", "sources",
                                           "rules"};
const std::vector<std::string> kRuleKeys = {"id",      "name",     "date",  "sources",
                                            "criteria", "events",  "notes"};
const std::vector<std::string> kCriterionKeys = {
    "id",      "description",             "min_tpp", "max_tpp", "min_performance_density",
    "max_performance_density", "min_io_bandwidth_gb_s", "source"};
const std::vector<std::string> kEventKeys = {"date", "description", "chips"};

constexpr Range kTpp{0, 1e7, false};
constexpr Range kDensity{0, 1e4, false};
constexpr Range kIoGbS{0, 1e6, false};

// Runs `fn(reader, index)` over the mappings of the list at `key`.
template <typename Fn>
Status ForEachMap(const FieldReader& parent, std::string_view key, Need need, Fn fn) {
  if (!parent.Has(key)) {
    return need == Need::kRequired ? parent.Missing(key) : Status::Ok();
  }
  const YAML::Node list = parent.Get(key);
  if (!list.IsSequence() || (need == Need::kRequired && list.size() == 0)) {
    return parent.Error(key, "must be a non-empty list of mappings (- id: ...)");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    XPU_ASSIGN_OR_RETURN(
        FieldReader item,
        FieldReader::Map(list[i], parent.file(),
                         parent.FieldName(key) + "[" + std::to_string(i) + "]"));
    XPU_RETURN_IF_ERROR(fn(item));
  }
  return Status::Ok();
}

Status ReadCriterion(const FieldReader& r, const std::vector<Source>& sources,
                     ExportCriterion* c) {
  XPU_RETURN_IF_ERROR(r.CheckKeys(kCriterionKeys));
  XPU_RETURN_IF_ERROR(r.GetString("id", Need::kRequired, &c->id));
  XPU_RETURN_IF_ERROR(r.GetString("description", Need::kOptional, &c->description));
  XPU_RETURN_IF_ERROR(r.GetDouble("min_tpp", Need::kOptional, kTpp, &c->min_tpp));
  XPU_RETURN_IF_ERROR(r.GetDouble("max_tpp", Need::kOptional, kTpp, &c->max_tpp));
  XPU_RETURN_IF_ERROR(r.GetDouble("min_performance_density", Need::kOptional, kDensity,
                                  &c->min_performance_density));
  XPU_RETURN_IF_ERROR(r.GetDouble("max_performance_density", Need::kOptional, kDensity,
                                  &c->max_performance_density));
  XPU_RETURN_IF_ERROR(r.GetDouble("min_io_bandwidth_gb_s", Need::kOptional, kIoGbS,
                                  &c->min_io_bandwidth_gb_s));
  if (r.Has("source")) {
    XPU_RETURN_IF_ERROR(r.GetString("source", Need::kRequired, &c->source));
    XPU_RETURN_IF_ERROR(CheckSourceTag(r, "source", c->source, sources));
  }
  if (c->min_tpp == 0 && c->max_tpp == 0 && c->min_performance_density == 0 &&
      c->max_performance_density == 0 && c->min_io_bandwidth_gb_s == 0) {
    return r.Error("id", "criterion '" + c->id +
                             "' has no threshold; give min_tpp, max_tpp, "
                             "min/max_performance_density or min_io_bandwidth_gb_s");
  }
  if (c->max_tpp > 0 && c->max_tpp <= c->min_tpp) {
    return r.Error("max_tpp", "must be > min_tpp (" + FormatNumber(c->min_tpp) + ")");
  }
  if (c->max_performance_density > 0 &&
      c->max_performance_density <= c->min_performance_density) {
    return r.Error("max_performance_density", "must be > min_performance_density");
  }
  return Status::Ok();
}

Status ReadDate(const FieldReader& r, std::string* date) {
  XPU_RETURN_IF_ERROR(r.GetString("date", Need::kRequired, date));
  if (!IsIsoDate(*date)) return r.Error("date", "must be an ISO date YYYY-MM-DD (got '" + *date + "')");
  return Status::Ok();
}

Status ReadRule(const FieldReader& r, const std::vector<Source>& sources, ExportRule* rule) {
  XPU_RETURN_IF_ERROR(r.CheckKeys(kRuleKeys));
  XPU_RETURN_IF_ERROR(r.GetString("id", Need::kRequired, &rule->id));
  if (!IsValidId(rule->id)) {
    return r.Error("id", "must be lowercase letters, digits, '-' and '.' (got '" + rule->id + "')");
  }
  XPU_RETURN_IF_ERROR(r.GetString("name", Need::kRequired, &rule->name));
  XPU_RETURN_IF_ERROR(ReadDate(r, &rule->date));
  std::vector<std::string> tags;
  XPU_RETURN_IF_ERROR(r.GetStringList("sources", Need::kOptional, &tags));
  for (const auto& tag : tags) {
    XPU_RETURN_IF_ERROR(CheckSourceTag(r, "sources", tag, sources));
    for (const auto& s : sources)
      if (s.tag == tag) rule->sources.push_back(s);
  }
  XPU_RETURN_IF_ERROR(ForEachMap(r, "criteria", Need::kRequired, [&](const FieldReader& c) {
    ExportCriterion crit;
    XPU_RETURN_IF_ERROR(ReadCriterion(c, sources, &crit));
    rule->criteria.push_back(std::move(crit));
    return Status::Ok();
  }));
  XPU_RETURN_IF_ERROR(ForEachMap(r, "events", Need::kOptional, [&](const FieldReader& e) {
    XPU_RETURN_IF_ERROR(e.CheckKeys(kEventKeys));
    ExportEvent ev;
    XPU_RETURN_IF_ERROR(ReadDate(e, &ev.date));
    XPU_RETURN_IF_ERROR(e.GetString("description", Need::kRequired, &ev.description));
    XPU_RETURN_IF_ERROR(e.GetStringList("chips", Need::kOptional, &ev.chips));
    rule->events.push_back(std::move(ev));
    return Status::Ok();
  }));
  return Status::Ok();
}

}  // namespace

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int year = std::stoi(s.substr(0, 4));
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  return year >= 1990 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Result<ExportRules> ParseRules(const YAML::Node& node, const std::string& file) {
  XPU_ASSIGN_OR_RETURN(FieldReader root, FieldReader::Map(node, file, ""));
  XPU_RETURN_IF_ERROR(root.CheckKeys(kTopKeys));
  XPU_RETURN_IF_ERROR(CheckHeader(root, "export_rules"));
  ExportRules out;
  XPU_RETURN_IF_ERROR(root.GetString("disclaimer", Need::kRequired, &out.disclaimer));
  std::vector<Source> sources;
  XPU_RETURN_IF_ERROR(ReadSources(root, &sources));
  std::set<std::string> ids;
  XPU_RETURN_IF_ERROR(ForEachMap(root, "rules", Need::kRequired, [&](const FieldReader& r) {
    ExportRule rule;
    rule.file = file;
    XPU_RETURN_IF_ERROR(ReadRule(r, sources, &rule));
    if (!ids.insert(rule.id).second) return r.Error("id", "duplicate rule id '" + rule.id + "'");
    out.rules.push_back(std::move(rule));
    return Status::Ok();
  }));
  return out;
}

Result<ExportRules> LoadRulesFile(const std::filesystem::path& path) {
  XPU_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlFile(path));
  return CatchYaml(path.string(), [&] { return ParseRules(root, path.string()); });
}

}  // namespace xpusim
