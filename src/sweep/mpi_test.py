#!/usr/bin/env python3
"""`mpirun -n 2 xpusim sweep` writes the same rows as one process, into one
database, with both ranks doing work.

Usage: mpi_test.py --binary build/src/cli/xpusim --data-dir data --mpirun /usr/bin/mpiexec
         [--grid GRID.yaml] [--ranks 2] [--bench]
--bench also prints the throughput of K ranks against 1 (points/s).
Rows are read with Python's sqlite3 module; timing fields are ignored.
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

# Real plan searches (1 search thread per rank), small enough for CI.
GRID = """models: [llama3-8b, qwen2.5-7b, mixtral-8x7b]
systems: [dgx-h100, hgx-h20]
chips: [8, 16, 32, 64]
global_batch: 256
tokens: 1e12
search: true
"""
TIMING = {"eval_s", "rank", "search_s"}


def rows(db):
    con = sqlite3.connect(db)
    cur = con.execute("SELECT * FROM points ORDER BY idx")
    names = [d[0] for d in cur.description]
    out = []
    for r in cur:
        row = {n: v for n, v in zip(names, r) if n not in TIMING}
        if row["error"]:  # the search's message says how long it took
            row["error"] = re.sub(r" in [0-9.]+ s \(", " in ? s (", row["error"])
        if row["json"]:
            j = json.loads(row["json"])
            for k in ("seconds", "threads"):
                j.get("search", {}).pop(k, None)
            row["json"] = j
        out.append(row)
    ranks = {r[0] for r in con.execute("SELECT DISTINCT rank FROM points")}
    con.close()
    return out, ranks


def run(cmd, env):
    t = time.time()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=280)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return json.loads(p.stdout), time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--mpirun", required=True)
    ap.add_argument("--grid")
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--bench", action="store_true")
    a = ap.parse_args()
    env = dict(os.environ, XPUSIM_DATA_DIR=a.data_dir,
               # root in containers; loopback only; no single-copy (ptrace is often refused)
               OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl="self,vader", OMPI_MCA_btl_vader_single_copy_mechanism="none",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    with tempfile.TemporaryDirectory() as tmp:
        grid = a.grid
        if not grid:
            grid = os.path.join(tmp, "grid.yaml")
            with open(grid, "w") as f:
                f.write(GRID)
        one, two = os.path.join(tmp, "one.sqlite"), os.path.join(tmp, "two.sqlite")
        args = ["sweep", grid, "--quiet", "--json", "--threads", "1"]
        s1, t1 = run([a.binary] + args + ["--out", one], env)
        s2, t2 = run([a.mpirun, "--oversubscribe", "-n", str(a.ranks), a.binary] + args + ["--out", two], env)
        if s2["run"]["ranks"] != a.ranks:
            sys.exit(f"FAIL: the MPI run used {s2['run']['ranks']} ranks: {s2}")
        r1, ranks1 = rows(one)
        r2, ranks2 = rows(two)
        if len(r1) != s1["points_total"] or len(r2) != len(r1):
            sys.exit(f"FAIL: {len(r1)} rows with 1 rank, {len(r2)} with {a.ranks}")
        if r1 != r2:
            i = next(i for i, (x, y) in enumerate(zip(r1, r2)) if x != y)
            sys.exit(f"FAIL: row {i} differs:\n{r1[i]}\n{r2[i]}")
        if ranks1 != {0} or ranks2 != set(range(a.ranks)):
            sys.exit(f"FAIL: rows came from ranks {sorted(ranks2)} (1-rank run: {sorted(ranks1)})")
        p1, p2 = s1["run"]["points_per_s"], s2["run"]["points_per_s"]
        print(f"{len(r1)} points: 1 rank {p1:.1f} points/s, {a.ranks} ranks {p2:.1f} points/s "
              f"(x{p2 / p1:.2f}); wall {t1:.2f} s vs {t2:.2f} s incl. start-up")
        print("PASS")


if __name__ == "__main__":
    main()
