#!/usr/bin/env python3
"""A 10,000-point sweep killed with SIGKILL mid-way and resumed loses and
repeats no point, and ends with the same rows as an uninterrupted run.

Usage: resume_test.py --binary build/src/cli/xpusim --data-dir data
The database is read with Python's own sqlite3 module (not xpusim's code).
Points are cheap fixed-plan evaluations (search: false) so the test is short.
"""
import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

GRID = """# 4 models x 5 systems x 5 chip counts x 4 seq x 5 batches x 5 token counts = 10,000 points
models: [llama3-8b, llama2-7b, qwen2.5-7b, gpt-1.7b]
systems: [dgx-h100, dgx-a100, hgx-h20, mi300x-oam8, dgx-b200]
chips: [1, 2, 4, 8, 16]
seq: [1024, 2048, 4096, 8192]
global_batch: [64, 128, 256, 512, 1024]
tokens: [1e9, 1e10, 1e11, 1e12, 1e13]
search: false
plan: {tp: 1, pp: 1}
"""
TOTAL = 10_000
# The same axes, in the documented order (doc/sweep.md: tokens varies fastest).
AXES = [("model", ["llama3-8b", "llama2-7b", "qwen2.5-7b", "gpt-1.7b"]),
        ("system", ["dgx-h100", "dgx-a100", "hgx-h20", "mi300x-oam8", "dgx-b200"]),
        ("chips", [1, 2, 4, 8, 16]), ("seq", [1024, 2048, 4096, 8192]),
        ("global-batch", [64, 128, 256, 512, 1024]), ("tokens", ["1e9", "1e10", "1e11", "1e12", "1e13"])]


def point_flags(index):
    """The `xpusim train` flags of point `index`, from the documented order."""
    flags = []
    for name, values in reversed(AXES):
        flags = [f"--{name}", str(values[index % len(values)])] + flags
        index //= len(values)
    return flags + ["--tp", "1", "--pp", "1", "--json"]
# Columns that describe how a row was computed, not what it says.
TIMING = {"eval_s", "rank"}


def count(db):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM points").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet


def rows(db):
    con = sqlite3.connect(db)
    cur = con.execute("SELECT * FROM points ORDER BY idx")
    names = [d[0] for d in cur.description]
    out = [{n: v for n, v in zip(names, r) if n not in TIMING} for r in cur]
    con.close()
    return out


def run(cmd, env):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}\n{p.stderr}")
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data-dir", required=True)
    a = ap.parse_args()
    env = dict(os.environ, XPUSIM_DATA_DIR=a.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        grid = os.path.join(tmp, "grid.yaml")
        with open(grid, "w") as f:
            f.write(GRID)
        killed_db = os.path.join(tmp, "killed.sqlite")
        whole_db = os.path.join(tmp, "whole.sqlite")
        base = [a.binary, "sweep", grid, "--quiet", "--json"]

        # 1. Start, wait for some committed rows, kill -9.
        t0 = time.time()
        proc = subprocess.Popen(base + ["--out", killed_db], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        while count(killed_db) < 500:
            if proc.poll() is not None:
                sys.exit(f"FAIL: the sweep ended before it could be killed (exit {proc.returncode}): "
                         f"{proc.stderr.read().decode()}")
            if time.time() - t0 > 120:
                proc.kill()
                sys.exit("FAIL: no rows after 120 s")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        before = count(killed_db)
        print(f"killed after {time.time() - t0:.1f} s with {before} committed rows")
        if not 0 < before < TOTAL:
            sys.exit(f"FAIL: expected a partial database, found {before} rows")

        # 2. Resume: only the missing points are computed.
        summary = run(base + ["--out", killed_db], env)
        r = summary["run"]
        print(f"resumed: {r['already_done']} already done, {r['computed']} computed in {r['seconds']:.1f} s")
        if r["already_done"] != before or r["computed"] != TOTAL - before:
            sys.exit(f"FAIL: resume redid or skipped points: {summary}")
        con = sqlite3.connect(killed_db)
        n, distinct, lo, hi = con.execute("SELECT count(*), count(DISTINCT idx), min(idx), max(idx) FROM points").fetchone()
        statuses = dict(con.execute("SELECT status, count(*) FROM points GROUP BY status").fetchall())
        con.close()
        if (n, distinct, lo, hi) != (TOTAL, TOTAL, 0, TOTAL - 1):
            sys.exit(f"FAIL: rows {n}, distinct {distinct}, idx {lo}..{hi}")
        print(f"statuses: {statuses}")
        if statuses.get("ok", 0) < TOTAL // 2:
            sys.exit(f"FAIL: most points should evaluate: {statuses}")

        # 3. Same rows as an uninterrupted run.
        run(base + ["--out", whole_db], env)
        killed, whole = rows(killed_db), rows(whole_db)
        if killed != whole:
            diff = next(i for i, (x, y) in enumerate(zip(killed, whole)) if x != y)
            sys.exit(f"FAIL: row {diff} differs:\n{killed[diff]}\n{whole[diff]}")
        # Rows hold what `xpusim train` prints for the point at that index.
        con = sqlite3.connect(killed_db)
        for idx in (0, 1, 4321, before - 1, before, TOTAL - 1):
            stored = json.loads(con.execute("SELECT json FROM points WHERE idx = ?", (idx,)).fetchone()[0])
            p = subprocess.run([a.binary, "train"] + point_flags(idx), env=env, capture_output=True, text=True)
            if p.returncode != 0 or json.loads(p.stdout) != stored:
                sys.exit(f"FAIL: point {idx} differs from xpusim train {' '.join(point_flags(idx))}")
        con.close()
        # A second resume of the finished database computes nothing.
        again = run(base + ["--out", killed_db], env)["run"]
        if again["computed"] != 0 or again["already_done"] != TOTAL:
            sys.exit(f"FAIL: a finished sweep recomputed points: {again}")
        print(f"PASS in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
