#include "web/request_check.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/suggest.h"
#include "plan/search.h"
#include "xpusim/serve.h"

namespace xpusim::web {
namespace {

// Commands a browser may run; validate (reads the validation cases) and the
// program-only commands (ui, sweep) are left out.
constexpr std::array<std::string_view, 8> kOffered = {"train", "serve", "match", "plan", "outlook",
                                                      "catalog list", "catalog show", "catalog compare"};

// Flags that read or write files, or choose how many threads the server uses.
const std::vector<std::string>& ForbiddenKeys() {
  static const std::vector<std::string> keys = {
      "plot", "force", "out", "output", "trace", "cases", "scenario-file", "timeline-csv",
      "csv-out", "json-out", "threads", "data-dir", "data", "config", "file"};
  return keys;
}

// Numeric flags with an upper bound on the work they ask for.
struct NumericCap {
  std::string_view key;
  double max;
  std::string_view why;
};
constexpr std::array<NumericCap, 6> kCaps = {{
    {"chips", kMaxChips, "chips"},
    {"trials", kMaxTrials, "Monte Carlo trials"},
    {"requests", kMaxRequests, "simulated requests"},
    {"top", kMaxTop, "plans listed"},
    {"batch", kMaxChips, "sequences in flight"},
    {"max-num-seqs", kMaxChips, "running sequences per replica"},
}};

// The flags naming catalog entries (ids only: a file name would be read).
enum class IdKind { kModel, kSystem, kChip };
struct IdKey {
  std::string_view key;
  IdKind kind;
};
constexpr std::array<IdKey, 5> kIdKeys = {{
    {"model", IdKind::kModel}, {"system", IdKind::kSystem}, {"chip", IdKind::kChip},
    {"candidate", IdKind::kSystem}, {"systems", IdKind::kSystem},
}};

std::string Normalise(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

bool LooksLikePath(std::string_view s) {
  return s.find('/') != std::string_view::npos || s.find('\\') != std::string_view::npos ||
         (!s.empty() && (s[0] == '.' || s[0] == '~'));
}

// A number given as a JSON number or as a numeric string; nullopt otherwise
// (api::Call reports the bad value).
std::optional<double> AsNumber(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

Status CheckId(const Catalog& catalog, std::string_view key, IdKind kind, std::string_view id) {
  Status st;
  switch (kind) {
    case IdKind::kModel: st = catalog.FindModel(id).status(); break;
    case IdKind::kSystem: st = catalog.FindSystem(id).status(); break;
    case IdKind::kChip: st = catalog.FindChip(id).status(); break;
  }
  if (st.ok()) return st;
  return Status::Invalid(fmt::format("'{}': {} (the UI takes catalog ids only, not files)", key, st.message()));
}

// Every string in the request: short, no path, no control characters.
Status CheckString(std::string_view key, std::string_view s) {
  if (s.size() > kMaxStringBytes)
    return Status::Invalid(fmt::format("'{}' is longer than {} characters", key, kMaxStringBytes));
  if (LooksLikePath(s))
    return Status::Invalid(fmt::format("'{}' value '{}' looks like a file path; the UI reads no files", key, s));
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return Status::Invalid(fmt::format("'{}' holds a control character", key));
  }
  return Status::Ok();
}

Status CheckCap(std::string_view key, double v, double max, std::string_view why) {
  if (!std::isfinite(v)) return Status::Invalid(fmt::format("'{}' must be a finite number (got {})", key, v));
  if (v > max)
    return Status::Invalid(fmt::format("'{}' = {} is more {} than one UI request may ask for (at most {}); use the CLI",
                                       key, v, why, max));
  return Status::Ok();
}

// "SYSTEM:CHIPS" (match --reference).
Status CheckReference(const Catalog& catalog, std::string_view key, std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return Status::Ok();  // the CLI explains the form
  XPU_RETURN_IF_ERROR(CheckId(catalog, key, IdKind::kSystem, s.substr(0, colon)));
  if (auto n = AsNumber(std::string(s.substr(colon + 1)))) return CheckCap(key, *n, kMaxChips, "chips");
  return Status::Ok();
}

// serve --disagg: "auto", or "P:D" with P prefill and D decode chips.
Status CheckDisagg(std::string_view key, const nlohmann::json& v) {
  const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  const auto bad = [&] {
    return Status::Invalid(fmt::format(
        "'{}' must be P:D (prefill and decode chips, whole numbers >= 1, e.g. 8:24) or auto (got '{}')", key, s));
  };
  if (!v.is_string()) return bad();
  if (s == "auto") return Status::Ok();
  const size_t colon = s.find(':');
  if (colon == std::string::npos) return bad();
  double total = 0;
  for (std::string_view part : {std::string_view(s).substr(0, colon), std::string_view(s).substr(colon + 1)}) {
    if (part.empty() || part.size() > 7 || part.find_first_not_of("0123456789") != std::string_view::npos) return bad();
    const double n = std::strtod(std::string(part).c_str(), nullptr);
    if (n < 1) return bad();
    total += n;
  }
  return CheckCap(key, total, kMaxChips, "chips");
}

// The serve flags the UI sets, by the kind of value each takes. api::Call
// would pass a wrong value on to the CLI, whose message names the flag but
// not the UI's field; these say what the field must hold.
enum class ServeKind { kSwitch, kMilliseconds, kDegree, kDraftTokens, kShare, kProbability, kWeights, kKv, kDisagg };
struct ServeKey {
  std::string_view key;
  ServeKind kind;
};
constexpr std::array<ServeKey, 20> kServeKeys = {{
    {"search", ServeKind::kSwitch},           {"ep-overlap", ServeKind::kSwitch},
    {"curve", ServeKind::kSwitch},
    {"balanced-routing", ServeKind::kSwitch}, {"tpot-slo-ms", ServeKind::kMilliseconds},
    {"ttft-slo-ms", ServeKind::kMilliseconds}, {"prefill-tp", ServeKind::kDegree},
    {"prefill-pp", ServeKind::kDegree},       {"prefill-ep", ServeKind::kDegree},
    {"decode-tp", ServeKind::kDegree},        {"decode-pp", ServeKind::kDegree},
    {"decode-ep", ServeKind::kDegree},        {"draft-tokens", ServeKind::kDraftTokens},
    {"prefix-cache-hit", ServeKind::kShare},  {"draft-acceptance", ServeKind::kProbability},
    {"weights", ServeKind::kWeights},         {"kv", ServeKind::kKv},
    {"disagg", ServeKind::kDisagg},           {"input-len", ServeKind::kDegree},
    {"output-len", ServeKind::kDegree},
}};

Status CheckServeValue(std::string_view key, ServeKind kind, const nlohmann::json& v) {
  const std::string shown = v.is_string() ? v.get<std::string>() : v.dump();
  // A finite number (or numeric string) from lo to hi, hi itself left out
  // when `open`; whole when `integer`.
  const auto in_range = [&](std::string_view what, double lo, double hi, bool open, bool integer) {
    const auto n = AsNumber(v);
    if (n && std::isfinite(*n) && *n >= lo && (open ? *n < hi : *n <= hi) && (!integer || std::floor(*n) == *n))
      return Status::Ok();
    return Status::Invalid(fmt::format("'{}' must be {} (got {})", key, what, shown));
  };
  switch (kind) {
    case ServeKind::kSwitch:
      if (v.is_boolean()) return Status::Ok();
      return Status::Invalid(fmt::format("'{}' is an on/off switch: true, or leave it out (got {})", key, shown));
    case ServeKind::kMilliseconds:
      return in_range("a finite number of milliseconds >= 0 (0: no limit)", 0, HUGE_VAL, false, false);
    case ServeKind::kDegree: return in_range("a whole number from 1 to 1000000", 1, kMaxChips, false, true);
    case ServeKind::kDraftTokens: return in_range("a whole number of draft tokens from 0 to 8", 0, 8, false, true);
    case ServeKind::kShare: return in_range("a share from 0 up to (not including) 1", 0, 1, true, false);
    case ServeKind::kProbability: return in_range("a probability from 0 to 1", 0, 1, false, false);
    case ServeKind::kWeights:
    case ServeKind::kKv: {
      if (!v.is_string()) return Status::Invalid(fmt::format("'{}' must be a format name such as bf16 (got {})", key, shown));
      const Status st = (kind == ServeKind::kKv ? ParseKvPrecision(shown) : ParseWeightPrecision(shown)).status();
      if (st.ok()) return st;
      return Status::Invalid(fmt::format("'{}': {}", key, st.message()));
    }
    case ServeKind::kDisagg: return CheckDisagg(key, v);
  }
  return Status::Ok();
}

// The long flag names of each offered command, read from the CLI's own
// parser (cli::Commands()), so that a misspelt key is refused with the
// same did-you-mean as the CLI gives, before any work is done.
const std::map<std::string, std::vector<std::string>, std::less<>>& OfferedFlags() {
  static const auto* flags = [] {
    auto* out = new std::map<std::string, std::vector<std::string>, std::less<>>();
    for (std::string_view command : kOffered) {
      const size_t space = command.find(' ');
      const std::string top(command.substr(0, space));
      for (const cli::CommandDef& def : cli::Commands()) {
        if (top != def.name) continue;
        CLI::App root;
        CLI::App* app = root.add_subcommand(def.name);
        def.setup(*app);
        try {
          if (space != std::string_view::npos) app = app->get_subcommand(std::string(command.substr(space + 1)));
        } catch (const CLI::Error&) {
          break;  // not a subcommand of this build: no list, api::Call decides
        }
        auto& names = (*out)[std::string(command)];
        for (const CLI::Option* opt : app->get_options()) {
          for (const std::string& n : opt->get_lnames()) names.push_back(n);
        }
      }
    }
    return out;
  }();
  return *flags;
}

Status CheckKnown(std::string_view command, std::string_view raw_key, const std::string& key) {
  const auto it = OfferedFlags().find(command);
  if (it == OfferedFlags().end() || it->second.empty()) return Status::Ok();
  if (std::find(it->second.begin(), it->second.end(), key) != it->second.end()) return Status::Ok();
  return Status::Invalid(fmt::format("'{}' is not a flag of '{}'{} (see 'xpusim {} --help')", raw_key, command,
                                     DidYouMean(key, it->second), command));
}

Status CheckSweep(std::string_view key, const nlohmann::json& v) {
  std::string spec;
  if (v.is_array()) {
    if (v.size() > kMaxSweepEntries)
      return Status::Invalid(fmt::format("'{}' lists {} chip counts; the UI takes at most {}", key, v.size(), kMaxSweepEntries));
    for (const auto& item : v) {
      const auto n = AsNumber(item);
      if (!n) return Status::Invalid(fmt::format("'{}' must be a list of chip counts", key));
      spec += (spec.empty() ? "" : ",") + fmt::format("{}", *n);
    }
  } else if (v.is_string()) {
    spec = v.get<std::string>();
  } else {
    return Status::Invalid(fmt::format("'{}' must be a list of chip counts or a range such as 512:8192:x2", key));
  }
  auto counts = ParseChipSweep(spec);
  if (!counts.ok()) return Status::Invalid(fmt::format("'{}': {}", key, counts.status().message()));
  if (counts->size() > kMaxSweepEntries)
    return Status::Invalid(fmt::format("'{}' names {} chip counts; the UI takes at most {}", key, counts->size(), kMaxSweepEntries));
  for (int64_t n : *counts) XPU_RETURN_IF_ERROR(CheckCap(key, static_cast<double>(n), kMaxChips, "chips"));
  return Status::Ok();
}

Status CheckValue(const Catalog& catalog, std::string_view command, const std::string& key, const nlohmann::json& v) {
  if (v.is_string()) XPU_RETURN_IF_ERROR(CheckString(key, v.get_ref<const std::string&>()));
  if (v.is_array()) {
    if (v.size() > kMaxSweepEntries)
      return Status::Invalid(fmt::format("'{}' lists {} values; the UI takes at most {}", key, v.size(), kMaxSweepEntries));
    for (const auto& item : v) {
      if (item.is_string()) XPU_RETURN_IF_ERROR(CheckString(key, item.get_ref<const std::string&>()));
    }
  }
  if (v.is_object()) return Status::Invalid(fmt::format("'{}' must be a string, a number, a boolean or a list", key));
  for (const IdKey& id : kIdKeys) {
    if (key != id.key) continue;
    if (v.is_string()) XPU_RETURN_IF_ERROR(CheckId(catalog, key, id.kind, v.get_ref<const std::string&>()));
    if (v.is_array()) {
      for (const auto& item : v) {
        if (item.is_string()) XPU_RETURN_IF_ERROR(CheckId(catalog, key, id.kind, item.get_ref<const std::string&>()));
      }
    }
  }
  for (const NumericCap& cap : kCaps) {
    if (key != cap.key) continue;
    if (auto n = AsNumber(v)) XPU_RETURN_IF_ERROR(CheckCap(key, *n, cap.max, cap.why));
  }
  if (command == "serve") {
    for (const ServeKey& k : kServeKeys) {
      if (key == k.key) return CheckServeValue(key, k.kind, v);
    }
  }
  if (key == "chips-sweep") return CheckSweep(key, v);
  if (key == "reference" && v.is_string()) return CheckReference(catalog, key, v.get_ref<const std::string&>());
  return Status::Ok();
}

}  // namespace

std::vector<std::string> UiCommands() {
  std::vector<std::string> out;
  for (const std::string& c : api::Commands()) {
    if (std::find(kOffered.begin(), kOffered.end(), c) != kOffered.end()) out.push_back(c);
  }
  return out;
}

Result<std::string> CommandFromPath(std::string_view path) {
  std::string command(path);
  std::replace(command.begin(), command.end(), '/', ' ');
  const std::vector<std::string> offered = UiCommands();
  if (std::find(offered.begin(), offered.end(), command) != offered.end()) return command;
  std::string list;
  for (const auto& c : offered) list += (list.empty() ? "" : ", ") + c;
  return Status::Invalid(fmt::format("unknown command '{}'; the UI offers: {}", command.substr(0, 64), list));
}

const api::CallOptions& UiCallOptions() {
  static const api::CallOptions options{ForbiddenKeys()};
  return options;
}

Status CheckRequest(const Catalog& catalog, std::string_view command, const nlohmann::json& body) {
  if (!body.is_object()) return Status::Invalid("the request body must be a JSON object of flag names to values");
  for (const auto& [raw_key, value] : body.items()) {
    if (raw_key.size() > 64) return Status::Invalid("a flag name is longer than 64 characters");
    const std::string key = Normalise(raw_key);
    for (const auto& f : ForbiddenKeys()) {
      if (key == f) return Status::Invalid(fmt::format("'{}' is not accepted by the UI (it reads or writes files, or sets server threads)", raw_key));
    }
    if (key == "args") {
      if (!value.is_array()) return Status::Invalid("'args' must be a list of strings");
      if (value.size() > kMaxSweepEntries)
        return Status::Invalid(fmt::format("'args' lists {} values; the UI takes at most {}", value.size(), kMaxSweepEntries));
      for (const auto& a : value) {
        if (a.is_string()) XPU_RETURN_IF_ERROR(CheckString("args", a.get_ref<const std::string&>()));
      }
      continue;
    }
    XPU_RETURN_IF_ERROR(CheckKnown(command, raw_key, key));
    XPU_RETURN_IF_ERROR(CheckValue(catalog, command, key, value));
  }
  return Status::Ok();
}

}  // namespace xpusim::web
