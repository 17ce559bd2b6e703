#include "catalog/doc_fields.h"

#include <set>

#include "core/suggest.h"

namespace xpusim {
namespace {

std::vector<std::string> Tags(const std::vector<Source>& sources) {
  std::vector<std::string> tags;
  for (const auto& s : sources) tags.push_back(s.tag);
  return tags;
}

}  // namespace

Status CheckHeader(const FieldReader& root, std::string_view kind) {
  int version = 0;
  XPU_RETURN_IF_ERROR(root.GetInt("schema_version", Need::kRequired, 0, 1000000, &version));
  if (version != kSchemaVersion) {
    return root.Error("schema_version", "this xpusim reads schema_version 1 (got " +
                                            std::to_string(version) + ")");
  }
  std::string k;
  XPU_RETURN_IF_ERROR(root.GetString("kind", Need::kRequired, &k));
  if (k != kind) {
    return root.Error("kind", "must be '" + std::string(kind) + "' for a file in this folder (got '" +
                                  k + "'); move the file or fix the kind");
  }
  return Status::Ok();
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  if (id.front() == '-' || id.front() == '.') return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Status ReadId(const FieldReader& root, std::string* id) {
  XPU_RETURN_IF_ERROR(root.GetString("id", Need::kRequired, id));
  if (!IsValidId(*id)) {
    return root.Error("id", "must be lowercase letters, digits, '-' and '.', at most 64 characters (got '" +
                                *id + "'); e.g. '" + ToLower(*id) + "'");
  }
  return Status::Ok();
}

Status ReadAliases(const FieldReader& root, std::vector<std::string>* aliases) {
  std::vector<std::string> raw;
  XPU_RETURN_IF_ERROR(root.GetStringList("aliases", Need::kOptional, &raw));
  std::set<std::string> seen;
  for (const auto& a : raw) {
    const std::string low = ToLower(a);
    if (!IsValidId(low)) {
      return root.Error("aliases", "alias '" + a +
                                       "' must be letters, digits, '-' and '.' (lookups ignore case)");
    }
    if (!seen.insert(low).second) {
      return root.Error("aliases", "alias '" + a + "' is listed twice");
    }
    aliases->push_back(low);
  }
  return Status::Ok();
}

Status ReadSources(const FieldReader& root, std::vector<Source>* sources) {
  std::optional<FieldReader> map;
  XPU_RETURN_IF_ERROR(root.GetMap("sources", Need::kRequired, &map));
  XPU_RETURN_IF_ERROR(map->CheckUniqueKeys());
  for (const std::string& tag : map->Keys()) {
    if (!(map->Get(tag).IsMap())) {
      return map->Error(tag, "must be {title: \"...\", url: \"...\"}");
    }
    XPU_ASSIGN_OR_RETURN(FieldReader entry,
                         FieldReader::Map(map->Get(tag), map->file(), map->FieldName(tag)));
    XPU_RETURN_IF_ERROR(entry.CheckKeys({"title", "url"}));
    Source s;
    s.tag = tag;
    XPU_RETURN_IF_ERROR(entry.GetString("title", Need::kRequired, &s.title));
    XPU_RETURN_IF_ERROR(entry.GetString("url", Need::kRequired, &s.url));
    if (s.title.empty()) return entry.Error("title", "must not be empty");
    sources->push_back(std::move(s));
  }
  if (sources->empty()) {
    return root.Error("sources", "must list at least one source (tag: {title, url})");
  }
  return Status::Ok();
}

Status ReadAvailability(const FieldReader& root, Need need, Availability* out) {
  return root.GetEnum<Availability>("availability", need,
                                    {{"product", Availability::kProduct},
                                     {"roadmap", Availability::kRoadmap},
                                     {"research", Availability::kResearch}},
                                    out);
}

Status CheckSourceTag(const FieldReader& map, std::string_view key, const std::string& tag,
                      const std::vector<Source>& sources) {
  for (const auto& s : sources)
    if (s.tag == tag) return Status::Ok();
  return map.Error(key, "source '" + tag + "' is not a tag of this file's `sources`" +
                            DidYouMean(tag, Tags(sources)) +
                            " (add it to `sources` or use an existing tag)");
}

Status ReadSourced(const FieldReader& specs, std::string_view key, Need need, const Range& range,
                   const std::vector<Source>& sources, SourcedValue* out) {
  std::optional<FieldReader> m;
  if (specs.Has(key) && !specs.Get(key).IsMap() && !specs.Get(key).IsNull()) {
    return specs.Error(key, "must be {value: <number>, source: <tag>, confidence: "
                            "datasheet|reported|estimate|measured}");
  }
  XPU_RETURN_IF_ERROR(specs.GetMap(key, need, &m));
  if (!m) return Status::Ok();
  XPU_RETURN_IF_ERROR(m->CheckKeys({"value", "source", "confidence"}));
  SourcedValue v;
  XPU_RETURN_IF_ERROR(m->GetDouble("value", Need::kRequired, range, &v.value));
  XPU_RETURN_IF_ERROR(m->GetString("source", Need::kRequired, &v.source));
  XPU_RETURN_IF_ERROR(CheckSourceTag(*m, "source", v.source, sources));
  XPU_RETURN_IF_ERROR(m->GetEnum<Confidence>("confidence", Need::kRequired,
                                             {{"datasheet", Confidence::kDatasheet},
                                              {"reported", Confidence::kReported},
                                              {"estimate", Confidence::kEstimate},
                                              {"measured", Confidence::kMeasured}},
                                             &v.confidence));
  *out = v;
  return Status::Ok();
}

}  // namespace xpusim
