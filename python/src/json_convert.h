// Conversions between Python objects and JSON for the xpusim module, done
// natively (no json.dumps / json.loads round trip through text).
#ifndef XPUSIM_PYTHON_JSON_CONVERT_H_
#define XPUSIM_PYTHON_JSON_CONVERT_H_

#include <string>

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

namespace xpusim::python {

// A JSON value as the equivalent Python object: dict (keys in the CLI's
// order), list, str, int, float, bool or None. REQUIRES: the GIL is held.
pybind11::object ToPython(const nlohmann::ordered_json& j);

// Keyword arguments as the JSON object api::ToArgs takes. None values are
// left out (the flag's default); bools, ints (any object with __index__),
// floats (any object with __float__), str, and lists/tuples of those pass
// through. Anything else sets *error and returns a discarded value.
// REQUIRES: the GIL is held.
nlohmann::json FromKwargs(const pybind11::dict& kwargs, std::string* error);

}  // namespace xpusim::python

#endif  // XPUSIM_PYTHON_JSON_CONVERT_H_
