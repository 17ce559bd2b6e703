#!/usr/bin/env python3
"""End-to-end tests of the xpusim binary, driven by JSON case files.

Usage: run_e2e.py --binary PATH --data-dir DIR CASES.json [CASES.json ...]

Each case file holds {"cases": [CASE, ...]}. A CASE:
  name            unique name (shown on failure)
  args            argument list (after the program name); "@TESTS@" stands for
                  the tests/ folder (for fixture paths), "@TMP@" for a scratch
                  folder made afresh for each case file and shared by its
                  cases in order (files a command writes)
  exit            expected exit code (default 0)
  stdout_empty    true: stdout must be empty (every error case should say so)
  stdout_contains / stderr_contains / stdout_not_contains: lists of substrings
  json            list of checks on stdout parsed as JSON; each check has
                  "path" (see below) and one of:
                    "approx": number, with "rel_tol" (default 1e-6) or "abs_tol"
                    "equals": any JSON value
                    "type": "number"|"string"|"object"|"array"|"bool"|"null"
                    "exists": true|false
                    "min_len": n (arrays/objects/strings)
                    "contains": substring (strings)
                    "min" / "max": inclusive numeric bounds
                    "scales_as": {"base": P, "num": P2, "den": P3}: the value
                            is base x num / den of the same document (a
                            relation checked by hand), with "rel_tol"
  files_exist     list of paths (with @TMP@) that must exist after the run
  files_contain   {path: [substrings]}: files the run wrote and what they hold
  csv             checks on stdout parsed as CSV:
                    "header_has": [column names]
                    "rows": n, or "rows_eq_files": glob under the data dir
                            (e.g. "chips/*.yaml": one data row per file)
                    "cells": [{"row": i, "column": name, "approx"|"equals": ...}]
JSON paths: dot-separated keys and [index] or [key=value] selectors, e.g.
  "chips[0].tpp.value", "chips[id=h20].tflops.bf16.value".
The data dir is passed to the binary through XPUSIM_DATA_DIR.
"""
import argparse
import csv
import glob
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def resolve(doc, path):
    """Returns the value at `path`; raises KeyError with a readable message."""
    cur = doc
    walked = ""
    for m in _TOKEN.finditer(path):
        key, sel = m.group(1), m.group(2)
        if key is not None:
            if not isinstance(cur, dict) or key not in cur:
                raise KeyError(f"no key '{key}' at '{walked or '$'}'")
            cur = cur[key]
            walked += ("." if walked else "") + key
        elif "=" in sel:
            k, v = sel.split("=", 1)
            if not isinstance(cur, list):
                raise KeyError(f"'{walked}' is not an array")
            found = [x for x in cur if isinstance(x, dict) and str(x.get(k)) == v]
            if not found:
                raise KeyError(f"no element with {k}={v} in '{walked}'")
            cur = found[0]
            walked += f"[{sel}]"
        else:
            i = int(sel)
            if not isinstance(cur, list) or not -len(cur) <= i < len(cur):
                raise KeyError(f"no index {i} in '{walked}'")
            cur = cur[i]
            walked += f"[{i}]"
    return cur


_TYPES = {"number": (int, float), "string": str, "object": dict, "array": list, "bool": bool,
          "null": type(None)}


def check_value(what, value, check):
    """Returns a list of failure messages for one value check."""
    errs = []
    if "approx" in check:
        want = check["approx"]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{what}: expected a number near {want}, got {value!r}"]
        tol = check.get("abs_tol")
        if tol is None:
            tol = abs(want) * check.get("rel_tol", 1e-6)
        if not math.isfinite(value) or abs(value - want) > tol:
            errs.append(f"{what}: {value} is not within {tol:g} of {want}")
    if "equals" in check and value != check["equals"]:
        errs.append(f"{what}: expected {check['equals']!r}, got {value!r}")
    if "type" in check:
        t = _TYPES[check["type"]]
        ok = isinstance(value, t) and not (check["type"] == "number" and isinstance(value, bool))
        if not ok:
            errs.append(f"{what}: expected a {check['type']}, got {value!r}")
    for bound in ("min", "max"):
        if bound in check:
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                errs.append(f"{what}: expected a finite number, got {value!r}")
            elif (value < check[bound]) if bound == "min" else (value > check[bound]):
                errs.append(f"{what}: {value} is {'below' if bound == 'min' else 'above'} {check[bound]}")
    if "min_len" in check and (not hasattr(value, "__len__") or len(value) < check["min_len"]):
        errs.append(f"{what}: expected length >= {check['min_len']}, got {value!r}")
    if "contains" in check and (not isinstance(value, str) or check["contains"] not in value):
        errs.append(f"{what}: expected a string containing {check['contains']!r}, got {value!r}")
    return errs


def check_json(stdout, checks):
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError as e:
        return [f"stdout is not JSON ({e}): {stdout[:300]!r}"]
    errs = []
    for c in checks:
        path = c["path"]
        try:
            value = resolve(doc, path)
        except KeyError as e:
            if c.get("exists", True):
                errs.append(f"json {path}: {e.args[0]}")
            continue
        if c.get("exists") is False:
            errs.append(f"json {path}: should not exist, got {value!r}")
            continue
        if "scales_as" in c:
            sa = c["scales_as"]
            try:
                want = resolve(doc, sa["base"]) * resolve(doc, sa["num"]) / resolve(doc, sa["den"])
            except (KeyError, TypeError, ZeroDivisionError) as e:
                errs.append(f"json {path}: scales_as cannot be computed ({e})")
                continue
            tol = c.get("rel_tol", 1e-6)
            if not isinstance(value, (int, float)) or abs(value - want) > tol * abs(want):
                errs.append(f"json {path}: expected {sa['base']} x {sa['num']} / {sa['den']} = {want!r}, got {value!r}")
            continue
        errs += check_value(f"json {path}", value, c)
    return errs


def to_number(s):
    try:
        return float(s)
    except ValueError:
        return s


def check_csv(stdout, spec, data_dir):
    rows = list(csv.reader(io.StringIO(stdout)))
    if not rows:
        return ["csv: no header row"]
    header, body = rows[0], rows[1:]
    errs = []
    for col in spec.get("header_has", []):
        if col not in header:
            errs.append(f"csv: header {header} lacks '{col}'")
    for i, r in enumerate(body):
        if len(r) != len(header):
            errs.append(f"csv: row {i + 1} has {len(r)} fields, header has {len(header)}")
    want_rows = spec.get("rows")
    if "rows_eq_files" in spec:
        want_rows = len(glob.glob(os.path.join(data_dir, spec["rows_eq_files"])))
    if want_rows is not None and len(body) != want_rows:
        errs.append(f"csv: {len(body)} data rows, expected {want_rows}")
    for c in spec.get("cells", []):
        if c["column"] not in header or c["row"] >= len(body):
            errs.append(f"csv: no cell row {c['row']} column '{c['column']}'")
            continue
        value = to_number(body[c["row"]][header.index(c["column"])])
        errs += check_value(f"csv [{c['row']}].{c['column']}", value, c)
    return errs


def run_case(binary, data_dir, case, tmp_dir):
    env = dict(os.environ, XPUSIM_DATA_DIR=data_dir)
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subst = lambda x: x.replace("@TESTS@", tests_dir).replace("@TMP@", tmp_dir)
    try:
        args = [subst(x) for x in case["args"]]
        p = subprocess.run([binary] + args, capture_output=True, text=True, env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return ["timed out after 60 s"]
    errs = []
    want_exit = case.get("exit", 0)
    if p.returncode != want_exit:
        errs.append(f"exit code {p.returncode}, expected {want_exit}")
    if case.get("stdout_empty") and p.stdout:
        errs.append(f"stdout should be empty, got {p.stdout[:300]!r}")
    for s in case.get("stdout_contains", []):
        if s not in p.stdout:
            errs.append(f"stdout lacks {s!r}")
    for s in case.get("stdout_not_contains", []):
        if s in p.stdout:
            errs.append(f"stdout should not contain {s!r}")
    for s in case.get("stderr_contains", []):
        if s not in p.stderr:
            errs.append(f"stderr lacks {s!r}")
    if "json" in case:
        errs += check_json(p.stdout, case["json"])
    if "csv" in case:
        errs += check_csv(p.stdout, case["csv"], data_dir)
    for path in case.get("files_exist", []):
        if not os.path.isfile(subst(path)):
            errs.append(f"file {path} was not written")
    for path, wants in case.get("files_contain", {}).items():
        try:
            with open(subst(path), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            errs.append(f"cannot read {path}: {e}")
            continue
        errs += [f"{path} lacks {w!r}" for w in wants if w not in text]
    if errs:
        errs.append(f"stderr was: {p.stderr[:500]!r}")
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--filter", default="", help="run only cases whose name contains this")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    failed = total = 0
    names = set()
    for path in a.cases:
        with open(path, encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        scratch = tempfile.TemporaryDirectory(prefix="xpusim-e2e-")
        for case in cases:
            name = case["name"]
            if name in names:
                print(f"FAIL {name}: duplicate case name", flush=True)
                failed += 1
            names.add(name)
            if a.filter not in name:
                continue
            total += 1
            errs = run_case(a.binary, a.data_dir, case, scratch.name)
            cmd = "xpusim " + " ".join(case["args"])
            if errs:
                failed += 1
                print(f"FAIL {name}  ({cmd})", flush=True)
                for e in errs:
                    print(f"     {e}", flush=True)
            else:
                print(f"ok   {name}", flush=True)
    print(f"{total - failed}/{total} e2e cases passed")
    return 1 if failed or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
