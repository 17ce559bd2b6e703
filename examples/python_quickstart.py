#!/usr/bin/env python3
"""xpusim from Python: NVIDIA H100 vs Huawei Ascend 910C training Llama-3-70B.

Run it like a notebook, cell by cell, or as a script:
    PYTHONPATH=build/python python3 examples/python_quickstart.py
(after scripts/install_python_path.sh no PYTHONPATH is needed). Takes seconds.
"""

# %% Load the package; the catalog (chips, systems, models) loads on first use.
import xpusim

CHIPS = 1024
SYSTEMS = ["dgx-h100", "ascend-910c-8"]
MODEL = "llama3-70b"

for s in SYSTEMS:
    system = xpusim.show(s)
    chip = xpusim.show(system["chip"])
    print(f"{s:15} {chip['name']:32} {chip['tflops']['bf16']['value']:7.1f} BF16 TFLOPS")
print()

# %% Search the best parallel plan of the same job on 1,024 chips of each.
# Keywords are the CLI's flags: global_batch=512 is --global-batch 512.
results = [xpusim.search(model=MODEL, system=s, chips=CHIPS, global_batch=512, seq=8192, tokens=15e12)
           for s in SYSTEMS]

# %% A small table (a pandas DataFrame when pandas is installed).
columns = [
    ("system", lambda r: r["system"], "{:15}"),
    ("plan tp/pp/dp", lambda r: "{tp}/{pp}/{dp}".format(**r["parallel"]), "{:>13}"),
    ("step s", lambda r: r["step_time_s"], "{:7.2f}"),
    ("tokens/s", lambda r: r["tokens_per_s"], "{:10,.0f}"),
    ("MFU", lambda r: r["mfu"], "{:5.1%}"),
    ("W/chip", lambda r: r["power_w_per_chip"], "{:6.0f}"),
    ("J/token", lambda r: r["energy_per_token_j"], "{:7.2f}"),
    ("days@15T", lambda r: r["train_days"], "{:8.1f}"),
]
print(f"{MODEL} on {CHIPS} chips, best plan each (xpusim.search):")
widths = [len(fmt.format(get(results[0]))) for _, get, fmt in columns]
print("  ".join(f"{name:{'<' if i == 0 else '>'}{w}}" for i, ((name, _, _), w) in enumerate(zip(columns, widths))))
for r in results:
    print("  ".join(fmt.format(get(r)) for _, get, fmt in columns))

try:
    frame = xpusim.to_frame(results)[["system", "parallel.tp", "parallel.pp", "parallel.dp", "mfu", "tokens_per_s"]]
    print("\nAs a DataFrame:\n" + frame.to_string(index=False))
except ImportError:
    pass  # pandas is optional

# %% How much faster per chip, and how many 910C chips match the H100 cluster.
h100, ascend = results
print(f"\nH100 / 910C throughput per chip: {h100['tokens_per_s'] / ascend['tokens_per_s']:.2f}x")
m = xpusim.match(reference=f"dgx-h100:{CHIPS}", candidate="ascend-910c-8", model=MODEL, tokens=15e12)
c = m["candidate"]
print(f"910C chips matching {CHIPS} H100 on time-to-train: {c['chips']:,} "
      f"({c['train_days']:.0f} vs {m['reference']['train_days']:.0f} days, "
      f"{c['power_mw']:.1f} vs {m['reference']['power_mw']:.1f} MW)")

# %% Errors carry the CLI's messages.
try:
    xpusim.train(model=MODEL, system="dgx-h10O", chips=CHIPS)
except xpusim.Error as e:
    print(f"\nxpusim.Error: {e}")
