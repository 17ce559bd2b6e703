#include "cli/app.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/suggest.h"

#ifndef XPUSIM_VERSION
#define XPUSIM_VERSION "unknown"
#endif

namespace xpusim::cli {

namespace {

// The deepest subcommand the parser entered ("xpusim catalog" -> catalog).
CLI::App* DeepestParsed(CLI::App* app) {
  for (;;) {
    auto subs = app->get_subcommands();
    if (subs.empty()) return app;
    app = subs.front();
  }
}

std::vector<std::string> SubcommandNames(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "xpusim catalog" for the catalog app.
std::string CommandPath(CLI::App* app) {
  std::string path = app->get_name();
  for (CLI::App* p = app->get_parent(); p != nullptr; p = p->get_parent()) path = p->get_name() + " " + path;
  return path;
}

// The first argument that is not an option: CLI11 reports an unknown
// command as an unexpected positional.
std::string FirstPositional(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a.empty() || a[0] != '-') return a;
  return "";
}

// Rewrites CLI11's errors about commands into ours, with did-you-mean from
// the command table; other parse errors keep CLI11's wording.
Status DescribeParseError(const CLI::ParseError& e, CLI::App& root, const std::vector<std::string>& args) {
  CLI::App* at = DeepestParsed(&root);
  const std::vector<std::string> names = SubcommandNames(at);
  const std::string where = at == &root ? "" : at->get_name() + " ";
  if (!names.empty() && at->get_subcommands().empty()) {
    // A command was expected at this level.
    std::vector<std::string> extras = at->remaining();
    if (extras.empty()) extras = root.remaining(true);
    // CLI11 2.1 leaves nothing in remaining() after an ExtrasError; fall back
    // to the argument after the last parsed command name.
    std::string word = FirstPositional(extras);
    if (word.empty() && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      size_t start = 0;
      for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == at->get_name()) start = i + 1;
      if (at == &root) start = 0;
      std::vector<std::string> rest(args.begin() + static_cast<long>(start), args.end());
      word = FirstPositional(rest);
    }
    if (!word.empty()) {
      std::string msg = "unknown " + where + "command '" + word + "'";
      const std::string hint = DidYouMean(word, names);
      msg += hint.empty() ? " (commands: " + Join(names, ", ") + ")" : hint;
      return Status::Invalid(msg);
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      return Status::Invalid("missing " + where + "command; choose one of: " + Join(names, ", ") +
                             " (see '" + CommandPath(at) + " --help')");
    }
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    // An unknown --flag: name it and suggest the nearest flag of this command
    // or the global ones.
    std::vector<std::string> flags;
    for (CLI::App* a : {at, &root})
      for (const CLI::Option* o : a->get_options())
        for (const auto& l : o->get_lnames()) flags.push_back("--" + l);
    for (const auto& a : args) {
      if (a.rfind("--", 0) != 0 || a == "--") continue;
      const std::string flag = a.substr(0, a.find('='));
      if (std::find(flags.begin(), flags.end(), flag) != flags.end()) continue;
      return Status::Invalid("unknown flag '" + flag + "' for '" + CommandPath(at) + "'" + DidYouMean(flag, flags) +
                             " (see '" + CommandPath(at) + " --help')");
    }
  }
  std::string msg = e.what();
  return Status::Invalid(msg + " (see '" + CommandPath(at) + " --help')");
}

// Subcommand help does not list the top-level flags; say where they are.
void SetFooters(CLI::App* app) {
  app->footer("Global flags: --data-dir DIR, --json, --csv (see 'xpusim --help').");
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) SetFooters(sub);
}

std::string EndWithNewline(std::string s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

}  // namespace

namespace {

Result<std::string> Run(const std::vector<std::string>& args, const Catalog* preloaded,
                        std::span<const CommandDef> extra) {
  CLI::App app{"xpusim predicts LLM training and serving on AI accelerator fleets.", "xpusim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "xpusim " XPUSIM_VERSION);
  app.footer("Run 'xpusim COMMAND --help' for a command's flags.");

  GlobalOptions global;
  app.add_option("--data-dir", global.data_dir,
                 "Catalog data directory (default: $XPUSIM_DATA_DIR, the source tree's data/, "
                 "or <prefix>/share/xpusim/data; now " +
                     Catalog::DefaultDataDir().string() + ")");
  auto* json = app.add_flag("--json", global.json, "Print JSON instead of a table");
  auto* csv = app.add_flag("--csv", global.csv, "Print CSV instead of a table (where meaningful)");
  json->excludes(csv);

  std::map<CLI::App*, CommandRunner> runners;
  std::vector<CommandDef> defs(Commands().begin(), Commands().end());
  defs.insert(defs.end(), extra.begin(), extra.end());
  for (const CommandDef& def : defs) {
    CLI::App* sub = app.add_subcommand(def.name, def.summary);
    sub->fallthrough();  // global flags may follow the command
    runners[sub] = def.setup(*sub);
    SetFooters(sub);
  }

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return EndWithNewline(app.help());
  } catch (const CLI::CallForAllHelp&) {
    return EndWithNewline(app.help("", CLI::AppFormatMode::All));
  } catch (const CLI::CallForVersion& e) {
    return std::string(e.what()) + "\n";
  } catch (const CLI::ParseError& e) {
    return DescribeParseError(e, app, args);
  }

  CLI::App* chosen = app.get_subcommands().at(0);
  auto it = runners.find(chosen);
  if (it == runners.end() || !it->second) return Status::Internal("no runner for command '" + chosen->get_name() + "'");
  Context ctx(global, preloaded);
  return it->second(ctx);
}

}  // namespace

Result<std::string> RunCli(int argc, const char* const* argv, std::span<const CommandDef> extra) {
  return Run(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc), nullptr, extra);
}

Result<std::string> RunCli(const std::vector<std::string>& args, const Catalog* catalog) {
  return Run(args, catalog, {});
}

}  // namespace xpusim::cli
