#include "xpusim/api.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "cli/app.h"

namespace xpusim::api {
namespace {

bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > 64 || key[0] < 'a' || key[0] > 'z') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Result<std::string> Scalar(const std::string& key, const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d)) return Status::Invalid(fmt::format("'{}' must be a finite number", key));
    return fmt::format("{}", d);  // shortest round-trip form
  }
  return Status::Invalid(fmt::format("'{}' must be a string or a number, not {}", key, v.type_name()));
}

}  // namespace

std::vector<std::string> Commands() {
  return {"catalog list", "catalog show", "catalog compare", "train", "serve", "match", "plan", "outlook", "validate"};
}

Result<std::vector<std::string>> ToArgs(std::string_view command, const nlohmann::json& args,
                                        const CallOptions& options) {
  const std::vector<std::string> known = Commands();
  if (std::find(known.begin(), known.end(), command) == known.end()) {
    std::string list;
    for (const auto& c : known) list += (list.empty() ? "" : ", ") + c;
    return Status::Invalid(fmt::format("unknown command '{}'; choose one of: {}", command, list));
  }
  if (!args.is_object()) return Status::Invalid("arguments must be a JSON object of flag names to values");
  std::vector<std::string> argv;
  for (size_t start = 0; start <= command.size();) {  // "catalog list" -> two words
    const size_t end = std::min(command.find(' ', start), command.size());
    argv.emplace_back(command.substr(start, end - start));
    start = end + 1;
  }
  std::vector<std::string> positional;
  for (const auto& [raw_key, value] : args.items()) {
    if (!ValidKey(raw_key)) return Status::Invalid(fmt::format("'{}' is not a flag name", raw_key));
    std::string key = raw_key;
    std::replace(key.begin(), key.end(), '_', '-');
    for (const auto& f : options.forbidden_keys) {
      if (key == f || raw_key == f) return Status::Invalid(fmt::format("'{}' is not accepted here", raw_key));
    }
    if (key == "json" || key == "csv" || key == "data-dir" || key == "help" || key == "version") {
      return Status::Invalid(fmt::format("'{}' is not accepted here", raw_key));
    }
    if (key == "args") {
      if (!value.is_array()) return Status::Invalid("'args' must be a list of strings");
      for (const auto& a : value) {
        if (!a.is_string()) return Status::Invalid("'args' must be a list of strings");
        const std::string s = a.get<std::string>();
        if (!s.empty() && s[0] == '-') return Status::Invalid(fmt::format("'args' item '{}' looks like a flag", s));
        positional.push_back(s);
      }
      continue;
    }
    const std::string flag = "--" + key;
    if (value.is_null()) return Status::Invalid(fmt::format("'{}' is null; leave it out for the default", raw_key));
    if (value.is_boolean()) {
      if (value.get<bool>()) argv.push_back(flag);
      continue;
    }
    if (value.is_array()) {
      std::string joined;
      for (const auto& item : value) {
        XPU_ASSIGN_OR_RETURN(std::string s, Scalar(raw_key, item));
        joined += (joined.empty() ? "" : ",") + s;
      }
      argv.push_back(flag + "=" + joined);
      continue;
    }
    XPU_ASSIGN_OR_RETURN(std::string s, Scalar(raw_key, value));
    argv.push_back(flag + "=" + s);  // '=' keeps a value that starts with '-' a value
  }
  for (auto& p : positional) argv.push_back(std::move(p));
  argv.push_back("--json");
  return argv;
}

Result<nlohmann::json> Call(const Catalog& catalog, std::string_view command, const nlohmann::json& args,
                            const CallOptions& options) {
  XPU_ASSIGN_OR_RETURN(std::vector<std::string> argv, ToArgs(command, args, options));
  XPU_ASSIGN_OR_RETURN(std::string out, cli::RunCli(argv, &catalog));
  nlohmann::json j = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Internal(fmt::format("'{}' did not print JSON", command));
  return j;
}

}  // namespace xpusim::api
