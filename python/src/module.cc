// _xpusim: the compiled half of the `xpusim` Python package. It runs the CLI's
// commands in-process through src/api (include/xpusim/api.h) and hands back
// their --json objects as Python dicts. The pure-Python half
// (python/xpusim/__init__.py) adds the named functions, docstrings and pandas.
//
// Every call releases the GIL while the command runs, so searches in several
// Python threads run in parallel and other Python threads keep running.
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cli/app.h"
#include "json_convert.h"
#include "xpusim/api.h"
#include "xpusim/catalog.h"
#include "xpusim/status.h"

#ifndef XPUSIM_VERSION
#define XPUSIM_VERSION "unknown"
#endif

namespace py = pybind11;

namespace xpusim::python {
namespace {

// The catalog every call reads: loaded on first use (or by load_catalog) and
// shared; a reload swaps the pointer, and running calls keep the old one.
std::mutex g_catalog_mu;
std::shared_ptr<const Catalog> g_catalog;

// The exception classes (xpusim.Error, xpusim.InternalError), created at
// module init and kept alive by the module.
PyObject* g_error = nullptr;
PyObject* g_internal_error = nullptr;

// Raises xpusim.Error (user errors) or xpusim.InternalError for `st`, with
// the CLI's message and the error code name as `.code`.
[[noreturn]] void Raise(const Status& st) {
  PyObject* type = st.IsUserError() ? g_error : g_internal_error;
  py::object exc = py::reinterpret_borrow<py::object>(type)(st.message());
  exc.attr("code") = ErrorCodeName(st.code());
  PyErr_SetObject(type, exc.ptr());
  throw py::error_already_set();
}

Result<std::shared_ptr<const Catalog>> LoadCatalog(const std::string& data_dir) {
  Result<Catalog> c = Catalog::Load(data_dir.empty() ? Catalog::DefaultDataDir() : std::filesystem::path(data_dir));
  if (!c.ok()) return c.status();
  return std::make_shared<const Catalog>(std::move(c).value());
}

// The shared catalog, loading the default one on first use. GIL released.
Result<std::shared_ptr<const Catalog>> CurrentCatalog() {
  std::lock_guard<std::mutex> lock(g_catalog_mu);
  if (!g_catalog) {
    Result<std::shared_ptr<const Catalog>> c = LoadCatalog("");
    if (!c.ok()) return c.status();
    g_catalog = *c;
  }
  return g_catalog;
}

// Runs `command` with `args` (api::ToArgs's JSON) without the GIL; the
// --json object with the keys in the CLI's order.
Result<nlohmann::ordered_json> Run(const std::string& command, const nlohmann::json& args) {
  try {
    Result<std::vector<std::string>> argv = api::ToArgs(command, args);
    if (!argv.ok()) return argv.status();
    Result<std::shared_ptr<const Catalog>> catalog = CurrentCatalog();
    if (!catalog.ok()) return catalog.status();
    Result<std::string> out = cli::RunCli(*argv, catalog->get());
    if (!out.ok()) return out.status();
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(*out, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::Internal("'" + command + "' did not print JSON");
    return j;
  } catch (const std::exception& e) {
    return Status::Internal(std::string(e.what()) + " (please report this bug)");
  }
}

py::object Call(const std::string& command, const py::dict& kwargs) {
  std::string error;
  nlohmann::json args = FromKwargs(kwargs, &error);
  if (args.is_discarded()) Raise(Status::Invalid(error));
  Result<nlohmann::ordered_json> r = Status::Internal("not run");
  {
    py::gil_scoped_release release;
    r = Run(command, args);
  }
  if (!r.ok()) Raise(r.status());
  return ToPython(*r);
}

// The CLI's --help text of `command` ("train", "catalog show").
std::string CommandHelp(const std::string& command) {
  std::vector<std::string> argv;
  for (size_t start = 0; start <= command.size();) {
    const size_t end = std::min(command.find(' ', start), command.size());
    argv.push_back(command.substr(start, end - start));
    start = end + 1;
  }
  argv.push_back("--help");
  Result<std::string> out = Status::Internal("not run");
  {
    py::gil_scoped_release release;
    try {
      out = cli::RunCli(argv, nullptr);
    } catch (const std::exception& e) {
      out = Status::Internal(e.what());
    }
  }
  if (!out.ok()) Raise(out.status());
  return *out;
}

// Loads the catalog from `data_dir` (None: the default) and makes it the one
// every later call uses. Returns the directory it was loaded from.
std::string LoadCatalogPy(const py::object& data_dir) {
  const std::string dir = data_dir.is_none() ? "" : py::str(data_dir).cast<std::string>();
  Result<std::shared_ptr<const Catalog>> c = Status::Internal("not run");
  {
    py::gil_scoped_release release;
    c = LoadCatalog(dir);
    if (c.ok()) {
      std::lock_guard<std::mutex> lock(g_catalog_mu);
      g_catalog = *c;
    }
  }
  if (!c.ok()) Raise(c.status());
  return (*c)->data_dir().string();
}

}  // namespace
}  // namespace xpusim::python

PYBIND11_MODULE(_xpusim, m) {
  using namespace xpusim::python;
  m.doc() = "Compiled core of the xpusim package; use the functions of `xpusim` instead.";
  m.attr("__version__") = XPUSIM_VERSION;

  py::object error = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("xpusim.Error",
                                "A user error (bad flag, unknown id, bad file), with the CLI's message; "
                                ".code names the kind (invalid argument, not found, ...).",
                                PyExc_ValueError, nullptr));
  py::object internal = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "xpusim.InternalError", "A bug in xpusim (the CLI exits with status 2); please report it.",
      PyExc_RuntimeError, nullptr));
  if (!error || !internal) throw py::error_already_set();
  g_error = error.inc_ref().ptr();  // one reference kept for the process's lifetime
  g_internal_error = internal.inc_ref().ptr();
  m.attr("Error") = error;
  m.attr("InternalError") = internal;

  m.def("call", &Call, py::arg("command"), py::arg("kwargs"),
        "Runs CLI `command` with flags from the dict `kwargs`; returns its --json object.");
  m.def("command_help", &CommandHelp, py::arg("command"), "The CLI's --help text of `command`.");
  m.def("commands", &xpusim::api::Commands, "The commands `call` accepts.");
  m.def("load_catalog", &LoadCatalogPy, py::arg("data_dir") = py::none(),
        "Loads the catalog (default: the CLI's default data directory) for every later call.");
  m.def("default_data_dir", [] { return xpusim::Catalog::DefaultDataDir().string(); });
}
