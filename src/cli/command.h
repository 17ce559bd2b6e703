// The CLI's subcommands: a table of {name, summary, setup}. The parser, the
// --help text and the did-you-mean for misspelt commands all come from it.
//
// HOW TO ADD A SUBCOMMAND (e.g. `xpusim train`):
//   1. Write src/cli/train_cmd.cc defining
//        CommandRunner SetupTrainCommand(CLI::App& app);
//      It declares the command's flags on `app` (bound to a struct it owns
//      through a shared_ptr) and returns the function that runs the command.
//      That function gets a Context (global flags, the lazily loaded
//      Catalog) and returns Result<std::string>: the complete stdout text on
//      success, or a Status on failure. It never prints, throws or exits.
//      Use ctx.CheckFormat(...) to reject --csv/--json where meaningless.
//   2. Add one line to kCommands in src/cli/command_table.cc (and its
//      declaration just above it):
//        {"train", "Predict step time, MFU, memory and energy of a training job", &SetupTrainCommand},
//   3. Add train_cmd.cc to add_executable(xpusim ...) in src/cli/CMakeLists.txt.
//   4. Add end-to-end cases as data in tests/e2e/cases/train.json (picked up
//      by CTest automatically; see tests/e2e/README.md).
// Nested commands (`catalog list`) are CLI11 subcommands of `app`; see
// catalog_cmd.cc.
#ifndef XPUSIM_CLI_COMMAND_H_
#define XPUSIM_CLI_COMMAND_H_

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::cli {

enum class OutputFormat { kTable, kJson, kCsv };
const char* OutputFormatFlag(OutputFormat f);  // "table", "--json", "--csv"

// Flags that every command sees (declared once on the top-level app; they
// may appear before or after the subcommand).
struct GlobalOptions {
  std::string data_dir;  // empty: Catalog::DefaultDataDir()
  bool json = false;
  bool csv = false;
  OutputFormat format() const {
    return json ? OutputFormat::kJson : csv ? OutputFormat::kCsv : OutputFormat::kTable;
  }
};

// What a running command may use. Not thread-safe; one per invocation.
class Context {
 public:
  explicit Context(GlobalOptions options) : options_(std::move(options)) {}
  // With a catalog loaded by the caller (src/api: one load serves many calls);
  // --data-dir is then refused.
  Context(GlobalOptions options, const Catalog* preloaded) : options_(std::move(options)), preloaded_(preloaded) {}

  const GlobalOptions& options() const { return options_; }
  OutputFormat format() const { return options_.format(); }
  // Loads the catalog from --data-dir on first use.
  Result<const Catalog*> catalog();
  // Fails with an Invalid status naming `command` when the chosen output
  // format is not in `allowed`.
  Status CheckFormat(std::string_view command, std::initializer_list<OutputFormat> allowed) const;

 private:
  GlobalOptions options_;
  std::optional<Catalog> catalog_;
  const Catalog* preloaded_ = nullptr;
};

// Runs a parsed command: the full stdout text, or an error.
using CommandRunner = std::function<Result<std::string>(Context&)>;

struct CommandDef {
  const char* name;
  const char* summary;  // one line, shown by --help
  CommandRunner (*setup)(CLI::App& app);
};

// The command table (command_table.cc).
std::span<const CommandDef> Commands();

}  // namespace xpusim::cli

#endif  // XPUSIM_CLI_COMMAND_H_
