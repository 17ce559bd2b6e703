#include "catalog/yaml_fields.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/suggest.h"

namespace xpusim {
namespace {

// Shortened scalar text for messages.
std::string Shown(const YAML::Node& node) {
  if (!node.IsScalar()) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    return "nothing";
  }
  std::string s = node.Scalar();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return "'" + s + "'";
}

}  // namespace

std::string FormatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

int LineOf(const YAML::Node& node) {
  try {
    const YAML::Mark m = node.Mark();
    return m.line >= 0 ? m.line + 1 : 0;
  } catch (const YAML::Exception&) {
    return 0;
  }
}

std::string Where(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
}

Result<YAML::Node> ParseYamlText(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    return Status::Parse(Where(origin, line) + "malformed YAML: " + e.msg +
                         " (is the file truncated, or a bracket/quote unclosed?)");
  }
  if (!root.IsDefined() || root.IsNull()) {
    return Status::Parse(Where(origin, 0) +
                         "file is empty; expected a YAML mapping starting with 'schema_version: 1'");
  }
  if (!root.IsMap()) {
    return Status::Parse(Where(origin, LineOf(root)) +
                         "expected a YAML mapping (key: value lines) at the top level, got " +
                         Shown(root));
  }
  return root;
}

Result<YAML::Node> ParseYamlFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseYamlText(ss.str(), path.string());
}

std::optional<std::string> ParseNumber(const YAML::Node& node, double* out) {
  if (!node.IsScalar()) return "must be a number, got " + Shown(node);
  if (node.Tag() == "!") return "must be a number, got the quoted string " + Shown(node);
  std::string_view s = node.Scalar();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const std::string low = ToLower(node.Scalar());
  if (low.find("inf") != std::string::npos || low.find("nan") != std::string::npos) {
    return "must be a finite number (got " + Shown(node) + ")";
  }
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
    return "must be a number (got " + Shown(node) + ")";
  }
  if (!std::isfinite(v)) return "must be a finite number (got " + Shown(node) + ")";
  *out = v;
  return std::nullopt;
}

Result<FieldReader> FieldReader::Map(const YAML::Node& node, std::string file, std::string path) {
  if (!node.IsMap()) {
    FieldReader r(node, file, "");
    return r.ErrorAt(node, path.empty() ? "(top level)" : path,
                     "must be a mapping of key: value pairs, got " + Shown(node));
  }
  return FieldReader(node, std::move(file), std::move(path));
}

FieldReader::FieldReader(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    entries_.push_back({it->first, it->second, it->first.IsScalar() ? it->first.Scalar() : ""});
  }
}

const FieldReader::Entry* FieldReader::Find(std::string_view key) const {
  for (const Entry& e : entries_)
    if (e.key.IsScalar() && e.name == key) return &e;
  return nullptr;
}

int FieldReader::line() const { return LineOf(node_); }

std::string FieldReader::FieldName(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string FieldReader::JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " or " : ", ";
    out += "'" + items[i] + "'";
  }
  return out;
}

std::string FieldReader::SuggestFrom(const std::string& word,
                                     const std::vector<std::string>& options) {
  return DidYouMean(word, options);
}

Status FieldReader::CheckKeys(const std::vector<std::string>& allowed) const {
  return CheckKeysImpl(&allowed);
}

Status FieldReader::CheckUniqueKeys() const { return CheckKeysImpl(nullptr); }

std::vector<std::string> FieldReader::Keys() const {
  std::vector<std::string> keys;
  for (const Entry& e : entries_)
    if (e.key.IsScalar()) keys.push_back(e.name);
  return keys;
}

Status FieldReader::CheckKeysImpl(const std::vector<std::string>* allowed_or_null) const {
  std::set<std::string> seen;
  for (const Entry& e : entries_) {
    const YAML::Node& key = e.key;
    if (!key.IsScalar()) {
      return Status::Invalid(Where(file_, LineOf(key)) + "keys must be plain names" +
                             (path_.empty() ? "" : " in '" + path_ + "'"));
    }
    const std::string& k = e.name;
    if (!seen.insert(k).second) {
      return Status::Invalid(Where(file_, LineOf(key)) + "duplicate key '" + FieldName(k) +
                             "'; remove one of the two");
    }
    if (!allowed_or_null) continue;
    const std::vector<std::string>& allowed = *allowed_or_null;
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == k;
    if (!ok) {
      const std::string hint = DidYouMean(k, allowed);
      const std::string in = path_.empty() ? "" : " (in '" + path_ + "')";
      return Status::Invalid(Where(file_, LineOf(key)) + "unknown key '" + k + "'" +
                             (hint.empty() ? in + "; allowed keys: " + JoinQuoted(allowed)
                                           : hint + in));
    }
  }
  return Status::Ok();
}

bool FieldReader::Has(std::string_view key) const { return Find(key) != nullptr; }

YAML::Node FieldReader::Get(std::string_view key) const {
  const Entry* e = Find(key);
  return e ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

Status FieldReader::ErrorAt(const YAML::Node& at, const std::string& full_field,
                            const std::string& problem) const {
  return Status::Invalid(Where(file_, LineOf(at)) + "field '" + full_field + "': " + problem);
}

Status FieldReader::Error(std::string_view key, const std::string& problem) const {
  const YAML::Node v = Get(key);
  int line = v.IsDefined() ? LineOf(v) : 0;
  if (line == 0) line = this->line();
  return Status::Invalid(Where(file_, line) + "field '" + FieldName(key) + "': " + problem);
}

Status FieldReader::Missing(std::string_view key, const std::string& hint) const {
  return Status::Invalid(Where(file_, line()) + "missing required field '" + FieldName(key) +
                         "'" + hint);
}

// Common prologue of the typed getters: *value is set when the key is
// present with a non-null value. Returns an error for a required key that is
// absent or empty, and for an optional key written without a value.
#define XPU_FIELD_PROLOGUE_(key, need, value)                                              \
  if (!Has(key)) {                                                                        \
    if ((need) == Need::kRequired) return Missing(key);                                   \
    return Status::Ok();                                                                  \
  }                                                                                       \
  const YAML::Node value = Get(key);                                                      \
  if (value.IsNull()) {                                                                   \
    return Error(key, (need) == Need::kRequired ? "has no value; it is required"          \
                                                : "has no value; give one or remove the key"); \
  }

Status FieldReader::GetString(std::string_view key, Need need, std::string* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  if (!v.IsScalar()) return Error(key, "must be text, got " + Shown(v));
  *out = v.Scalar();
  return Status::Ok();
}

Status FieldReader::GetInt(std::string_view key, Need need, int64_t lo, int64_t hi,
                           int64_t* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  double d = 0;
  if (auto why = ParseNumber(v, &d)) return Error(key, "must be a whole number; " + *why);
  if (d != std::floor(d)) return Error(key, "must be a whole number (got " + v.Scalar() + ")");
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    return Error(key, "must be a whole number in [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "] (got " + v.Scalar() + ")");
  }
  *out = static_cast<int64_t>(d);
  return Status::Ok();
}

Status FieldReader::GetInt(std::string_view key, Need need, int lo, int hi, int* out) const {
  int64_t v = 0;
  const bool present = Has(key);
  XPU_RETURN_IF_ERROR(GetInt(key, need, int64_t{lo}, int64_t{hi}, &v));
  if (present) *out = static_cast<int>(v);
  return Status::Ok();
}

Status FieldReader::GetDouble(std::string_view key, Need need, const Range& range,
                              double* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  double d = 0;
  if (auto why = ParseNumber(v, &d)) return Error(key, *why);
  const bool too_low = range.lo_open ? !(d > range.lo) : !(d >= range.lo);
  if (too_low) {
    return Error(key, std::string("must be a finite number ") + (range.lo_open ? "> " : ">= ") +
                          FormatNumber(range.lo) + " (got " + v.Scalar() + ")");
  }
  if (d > range.hi) {
    // Large bounds are plausibility limits: exceeding one is usually a unit slip.
    return Error(key, "must be <= " + FormatNumber(range.hi) + " (got " + v.Scalar() + ")" +
                          (range.hi >= 1000 ? ", beyond any real part; check the unit in the key name"
                                            : ""));
  }
  *out = d;
  return Status::Ok();
}

Status FieldReader::GetBool(std::string_view key, Need need, bool* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  if (v.IsScalar() && v.Tag() != "!") {
    if (v.Scalar() == "true") return *out = true, Status::Ok();
    if (v.Scalar() == "false") return *out = false, Status::Ok();
  }
  return Error(key, "must be true or false (got " + Shown(v) + ")");
}

Status FieldReader::GetStringList(std::string_view key, Need need,
                                  std::vector<std::string>* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  if (!v.IsSequence()) return Error(key, "must be a list like [a, b], got " + Shown(v));
  std::vector<std::string> items;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar() || v[i].Scalar().empty()) {
      return ErrorAt(v[i], FieldName(key) + "[" + std::to_string(i) + "]",
                     "must be non-empty text, got " + Shown(v[i]));
    }
    items.push_back(v[i].Scalar());
  }
  *out = std::move(items);
  return Status::Ok();
}

Status FieldReader::GetMap(std::string_view key, Need need, std::optional<FieldReader>* out) const {
  XPU_FIELD_PROLOGUE_(key, need, v);
  if (!v.IsMap()) return Error(key, "must be a mapping of key: value pairs, got " + Shown(v));
  *out = FieldReader(v, file_, FieldName(key));
  return Status::Ok();
}

#undef XPU_FIELD_PROLOGUE_

}  // namespace xpusim
