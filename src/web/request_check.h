// What the web UI refuses before a request reaches api::Call: commands it
// does not offer, flags that read or write files, values that look like
// paths, ids that are not in the catalog, and work too large for one
// request. api::Call then validates the flags themselves (types, ranges,
// combinations) exactly as the CLI does.
#ifndef XPUSIM_WEB_REQUEST_CHECK_H_
#define XPUSIM_WEB_REQUEST_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "xpusim/api.h"
#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::web {

// Limits on one request (doc/ui.md lists them).
inline constexpr size_t kMaxBodyBytes = 64 * 1024;
inline constexpr double kMaxChips = 1'000'000;
inline constexpr double kMaxTrials = 10'000;
inline constexpr double kMaxRequests = 100'000;
inline constexpr double kMaxTop = 200;
inline constexpr size_t kMaxSweepEntries = 32;
inline constexpr size_t kMaxStringBytes = 256;

// The commands the UI offers: those of api::Commands() in this allow-list
// (plan and outlook appear when the program has them).
std::vector<std::string> UiCommands();

// "train" from the URL path "train", "catalog show" from "catalog/show";
// an Invalid status naming the choices when the UI does not offer it.
Result<std::string> CommandFromPath(std::string_view path);

// The options passed to api::Call (the forbidden file-reading and
// file-writing flags).
const api::CallOptions& UiCallOptions();

// Ok, or an Invalid/NotFound status saying which field is refused and why.
Status CheckRequest(const Catalog& catalog, std::string_view command, const nlohmann::json& body);

}  // namespace xpusim::web

#endif  // XPUSIM_WEB_REQUEST_CHECK_H_
