// Typed, validating readers over yaml-cpp nodes: the "parse" half of every
// catalog loader.
//
// A FieldReader wraps one YAML mapping plus the file it came from and the
// dotted path of the mapping ("specs", "architecture.moe"). Every Get* call
// checks presence, type and range and, on failure, returns a Status whose
// message names the file, the 1-based line, the full field path and the fix:
//   "data/chips/x.yaml:14: field 'specs.tflops_bf16.value': must be a finite
//    number > 0 (got -5)"
// Absent optional fields leave *out untouched, so callers keep NaN/unknown
// rather than inventing a default.
//
// No function here throws: yaml-cpp exceptions are caught and turned into
// ParseError statuses.
#ifndef XPUSIM_CATALOG_YAML_FIELDS_H_
#define XPUSIM_CATALOG_YAML_FIELDS_H_

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xpusim/status.h"

namespace xpusim {

// Reads and parses a YAML file. Fails (with file:line) on I/O errors, syntax
// errors, and on an empty document.
Result<YAML::Node> ParseYamlFile(const std::filesystem::path& path);
// Same, from text; `origin` names the text in messages.
Result<YAML::Node> ParseYamlText(const std::string& text, const std::string& origin);

enum class Need { kRequired, kOptional };

// Accepted interval for a number. `lo_open`: lo itself is refused.
struct Range {
  double lo = 0;
  double hi = 0;
  bool lo_open = true;  // true: x > lo; false: x >= lo
};

class FieldReader {
 public:
  // Wraps `node` if it is a mapping; fails otherwise. `path` is the dotted
  // prefix of its fields ("" for the document root).
  static Result<FieldReader> Map(const YAML::Node& node, std::string file, std::string path);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  // 1-based line where the mapping starts (0 when unknown).
  int line() const;
  // "specs.tflops_bf16" for key "tflops_bf16" under "specs".
  std::string FieldName(std::string_view key) const;

  // Fails on the first key not in `allowed` (with did-you-mean), on a
  // duplicated key, and on a non-scalar key.
  Status CheckKeys(const std::vector<std::string>& allowed) const;
  // Same checks with any key name allowed (for tag tables like `sources`).
  Status CheckUniqueKeys() const;
  // The keys in file order. REQUIRES: CheckUniqueKeys() or CheckKeys() passed.
  std::vector<std::string> Keys() const;

  bool Has(std::string_view key) const;
  // The value node, or an invalid/undefined node when absent.
  YAML::Node Get(std::string_view key) const;

  // "<file>:<line>: field '<path.key>': <problem>", at the value's line.
  Status Error(std::string_view key, const std::string& problem) const;
  // Same at the line of `at`, for a field named in full.
  Status ErrorAt(const YAML::Node& at, const std::string& full_field,
                 const std::string& problem) const;
  // "<file>:<line>: missing required field '<path.key>'<hint>".
  Status Missing(std::string_view key, const std::string& hint = "") const;

  Status GetString(std::string_view key, Need need, std::string* out) const;
  Status GetInt(std::string_view key, Need need, int64_t lo, int64_t hi, int64_t* out) const;
  Status GetInt(std::string_view key, Need need, int lo, int hi, int* out) const;
  Status GetDouble(std::string_view key, Need need, const Range& range, double* out) const;
  Status GetBool(std::string_view key, Need need, bool* out) const;
  // A YAML sequence of scalars ([a, b] or block form).
  Status GetStringList(std::string_view key, Need need, std::vector<std::string>* out) const;
  // A nested mapping; *out stays empty when the key is absent and optional.
  Status GetMap(std::string_view key, Need need, std::optional<FieldReader>* out) const;

  // One of `names` (case-sensitive), e.g. {{"swiglu", kSwiGlu}, ...}.
  template <typename T>
  Status GetEnum(std::string_view key, Need need,
                 const std::vector<std::pair<std::string, T>>& names, T* out) const {
    std::string s;
    const bool present = Has(key);
    XPU_RETURN_IF_ERROR(GetString(key, need, &s));
    if (!present) return Status::Ok();
    std::vector<std::string> options;
    for (const auto& [name, value] : names) {
      if (name == s) {
        *out = value;
        return Status::Ok();
      }
      options.push_back(name);
    }
    return Error(key, "must be one of " + JoinQuoted(options) + " (got '" + s + "')" +
                          SuggestFrom(s, options));
  }

  static std::string JoinQuoted(const std::vector<std::string>& items);

 private:
  FieldReader(YAML::Node node, std::string file, std::string path);
  Status CheckKeysImpl(const std::vector<std::string>* allowed) const;
  static std::string SuggestFrom(const std::string& word, const std::vector<std::string>& options);

  // One entry per key, in file order (yaml-cpp iteration is slow, so the
  // mapping is walked once).
  struct Entry {
    YAML::Node key;
    YAML::Node value;
    std::string name;  // key text; empty for a non-scalar key
  };
  const Entry* Find(std::string_view key) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::vector<Entry> entries_;
};

// Runs `fn()` (returning Result<T> or Status), converting any yaml-cpp
// exception that escapes the readers into a ParseError naming `file`, so
// loaders never throw past their boundary.
template <typename Fn>
auto CatchYaml(const std::string& file, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    return Status::Parse((line > 0 ? file + ":" + std::to_string(line) : file) +
                         ": unreadable YAML: " + e.msg);
  }
}

// Shortest round-trip text of a number: 900, 0.8, 1e+06.
std::string FormatNumber(double v);

// 1-based line of a node (0 when yaml-cpp has no mark for it).
int LineOf(const YAML::Node& node);
// "file:line: " (or "file: " when the line is unknown).
std::string Where(const std::string& file, int line);

// Parses a YAML scalar as a finite double: rejects quoted strings, .inf,
// .nan, hex and trailing garbage. On failure returns a short reason.
std::optional<std::string> ParseNumber(const YAML::Node& node, double* out);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_YAML_FIELDS_H_
