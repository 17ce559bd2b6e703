#include "json_convert.h"

#include <Python.h>

namespace py = pybind11;

namespace xpusim::python {

py::object ToPython(const nlohmann::ordered_json& j) {
  using V = nlohmann::ordered_json::value_t;
  switch (j.type()) {
    case V::null:
    case V::discarded:
      return py::none();
    case V::boolean:
      return py::bool_(j.get<bool>());
    case V::number_integer:
      return py::int_(j.get<int64_t>());
    case V::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case V::number_float:
      return py::float_(j.get<double>());
    case V::string:
      return py::str(j.get_ref<const std::string&>());
    case V::array: {
      py::list out(j.size());
      size_t i = 0;
      for (const auto& item : j) out[i++] = ToPython(item);
      return out;
    }
    case V::object: {
      py::dict out;
      for (const auto& [key, value] : j.items()) out[py::str(key)] = ToPython(value);
      return out;
    }
    case V::binary:
      break;
  }
  return py::none();
}

namespace {

// One scalar keyword value; false with *error set when it has no JSON form.
bool Scalar(const std::string& key, py::handle v, nlohmann::json* out, std::string* error) {
  PyObject* o = v.ptr();
  if (PyBool_Check(o)) {
    *out = (o == Py_True);
  } else if (PyUnicode_Check(o)) {
    *out = v.cast<std::string>();
  } else if (PyLong_Check(o) || (PyIndex_Check(o) && !PyFloat_Check(o))) {
    // int, or an integer-like object such as numpy.int64.
    py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(o));
    if (!i) {
      PyErr_Clear();
      *error = "'" + key + "' is not a usable integer";
      return false;
    }
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (overflow != 0) {
      *error = "'" + key + "' is out of range";
      return false;
    }
    *out = static_cast<int64_t>(value);
  } else if (PyFloat_Check(o) || PyObject_HasAttrString(o, "__float__")) {
    const double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      *error = "'" + key + "' is not a usable number";
      return false;
    }
    *out = d;
  } else {
    *error = "'" + key + "' must be a string, a number, a bool or a list of those, not " +
             std::string(Py_TYPE(o)->tp_name);
    return false;
  }
  return true;
}

}  // namespace

nlohmann::json FromKwargs(const py::dict& kwargs, std::string* error) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : kwargs) {
    const std::string key = py::str(k);
    if (v.is_none()) continue;  // the flag's default
    nlohmann::json value;
    if (PyList_Check(v.ptr()) || PyTuple_Check(v.ptr())) {
      value = nlohmann::json::array();
      for (py::handle item : v) {
        nlohmann::json s;
        if (!Scalar(key, item, &s, error)) return nlohmann::json(nlohmann::json::value_t::discarded);
        value.push_back(std::move(s));
      }
    } else if (!Scalar(key, v, &value, error)) {
      return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    out[key] = std::move(value);
  }
  return out;
}

}  // namespace xpusim::python
