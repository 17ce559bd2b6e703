"""Shared helpers for the xpusim Python tests.

CTest runs them with PYTHONPATH=<build>/python and XPUSIM_BIN=<build>/src/cli/xpusim
(python/CMakeLists.txt). By hand:
    PYTHONPATH=build/python XPUSIM_BIN=build/src/cli/xpusim /usr/bin/python3 -m pytest python/tests
"""

import json
import os
import pathlib
import subprocess

import pytest

import xpusim

SOURCE_DIR = pathlib.Path(os.environ.get("XPUSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def xpusim_bin():
    b = os.environ.get("XPUSIM_BIN")
    if b:
        return b
    # Next to the package: <build>/python/xpusim -> <build>/src/cli/xpusim
    guess = pathlib.Path(xpusim.__file__).resolve().parents[2] / "src" / "cli" / "xpusim"
    return str(guess)


def run_cli(*args):
    """(returncode, stdout, stderr) of the xpusim binary."""
    p = subprocess.run([xpusim_bin(), *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    rc, out, err = run_cli(*args, "--json")
    assert rc == 0, err
    return json.loads(out)


def has_command(name):
    return name in xpusim.commands()


@pytest.fixture(scope="session")
def cli():
    if not os.path.exists(xpusim_bin()):
        pytest.skip(f"xpusim binary not found at {xpusim_bin()} (set XPUSIM_BIN)")
    return run_cli


TIMING_KEYS = {"seconds", "search_s", "solve_s", "elapsed_s", "wall_s"}


def is_timing(key):
    return key in TIMING_KEYS or key.endswith("_seconds")  # milp_seconds


def without_timings(d):
    """A result without its wall-clock timings (they differ between two runs)."""
    if isinstance(d, dict):
        return {k: without_timings(v) for k, v in d.items() if not is_timing(k)}
    if isinstance(d, list):
        return [without_timings(v) for v in d]
    return d
