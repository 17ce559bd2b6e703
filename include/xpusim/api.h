// One entry point for the front ends that are not the command line: the
// Python module, the web UI and sweeps. A call names a command and gives its
// flags as a JSON object; the answer is the JSON object the CLI prints with
// --json. Because the call runs the CLI's own command in-process, flags,
// defaults, validation and error messages are the CLI's, by construction.
//
//   api::Call(catalog, "train", {{"model", "llama3-70b"}, {"system", "dgx-h100"},
//                                {"chips", 1024}, {"tp", 8}, {"pp", 4}})
//
// Keys are the long flag names, with '_' accepted for '-' ("global_batch").
// Values: a string or a number is the flag's value; true adds a bare flag
// (search, reliability), false leaves it out; a list of numbers or strings
// is joined with commas (chips_sweep). null is refused. Nested commands are
// spelled with a space: "catalog list" (positional arguments: key "args",
// a list of strings).
#ifndef XPUSIM_API_H_
#define XPUSIM_API_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::api {

struct CallOptions {
  // Keys refused with an Invalid status (the web UI refuses file-writing and
  // file-reading flags such as "plot", "trace", "cases").
  std::vector<std::string> forbidden_keys;
};

// The command's --json output parsed, or the CLI's error as a Status.
Result<nlohmann::json> Call(const Catalog& catalog, std::string_view command, const nlohmann::json& args,
                            const CallOptions& options = {});

// The argument vector Call passes to the CLI (without the program name);
// exposed for tests and for error messages that quote the equivalent command.
Result<std::vector<std::string>> ToArgs(std::string_view command, const nlohmann::json& args,
                                        const CallOptions& options = {});

// The commands Call accepts (those whose output has a --json form).
std::vector<std::string> Commands();

}  // namespace xpusim::api

#endif  // XPUSIM_API_H_
